#!/usr/bin/env bash
# Runs golangci-lint, installing it first with go install when missing.
set -euo pipefail
version="${GOLANGCI_LINT_VERSION:-v2.15.0}"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-optimize/golangci-lint-$version"
if [ ! -x "$bin_dir/golangci-lint" ]; then
  echo "Installing golangci-lint $version into $bin_dir with go install..." >&2
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir" GOFLAGS=-buildvcs=false go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$version" >&2
fi
exec "$bin_dir/golangci-lint" "$@"
