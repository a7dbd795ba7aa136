#!/usr/bin/env bash
# Runs the acceptance tests (and every other test of the packages given)
# under each supported CLI in turn, installing what is missing:
#   Terraform 1.8.5 (the oldest supported), Terraform 1.16.4 (the newest:
#   identity 1.12+, terraform query and actions 1.14+) and OpenTofu 1.12.6
#   (the newest OpenTofu).
# Tests of newer features skip below their version (tfversion.SkipBelow).
# OpenTofu's provider addresses, and so its dev_overrides, live on
# registry.opentofu.org: TF_ACC_PROVIDER_HOST tells the test framework.
#
#   scripts/testacc.sh [go test arguments...]      default: ./... -count=1
#   ACC_CLIS="1.16.4" scripts/testacc.sh ...       only some CLIs
#   ACC_CLIS="1.14.9 tofu-1.10.10" ...               CLIs outside the gate
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CHECKPOINT_DISABLE=1 TF_ACC=1
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
clis="${ACC_CLIS:-1.8.5 1.16.4 tofu-1.12.6}"
[ $# -gt 0 ] || set -- ./... -count=1 -timeout 30m
# Install every CLI first, so a failed build stops before any test runs.
declare -A paths
for cli in $clis; do
  paths[$cli]=$(scripts/terraform.sh "$cli")
done
# Every CLI runs, even after one failed; the exit status says whether all passed.
failed=""
for cli in $clis; do
  bin=${paths[$cli]}
  echo "==> Acceptance tests with $("$bin" version | head -1) ($bin)"
  host=""
  [[ "$cli" == tofu-* ]] && host=registry.opentofu.org
  if ! TF_ACC_TERRAFORM_PATH="$bin" TF_ACC_PROVIDER_HOST="$host" go test "$@"; then
    failed="$failed $cli"
  fi
done
if [ -n "$failed" ]; then
  echo "==> Tests failed under:$failed" >&2
  exit 1
fi
