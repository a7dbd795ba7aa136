#!/usr/bin/env bash
# make bench: measures the provider against the emulator with the real
# Terraform CLI and prints one table (figures, not timed tests).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export CHECKPOINT_DISABLE=1
TF_ACC_TERRAFORM_PATH=$("$root/scripts/terraform.sh")
export TF_ACC_TERRAFORM_PATH
# terraform query and actions need Terraform 1.14; the other rows run with
# 1.8.5, the oldest supported.
TF_BENCH_TERRAFORM_NEWEST_PATH=$("$root/scripts/terraform.sh" 1.14.9)
export TF_BENCH_TERRAFORM_NEWEST_PATH
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then unset TF_CLI_CONFIG_FILE; fi
cd "$root"
go test ./internal/bench -run '^$' -bench BenchmarkProvider -benchtime 1x -count 1 -timeout 10m
