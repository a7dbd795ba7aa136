#!/usr/bin/env bash
# Prints the path of the Terraform CLI the tests and docs use, installing it
# first when missing: Terraform 1.8.5, built with `go install` from the Go
# module proxy into a cache directory (a few minutes the first time).
set -euo pipefail
version="${TERRAFORM_VERSION:-1.8.5}"
cache="${TERRAFORM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-optimize}/terraform-$version"
bin="$cache/terraform"
if [ ! -x "$bin" ]; then
  echo "Installing Terraform $version into $cache with go install (a few minutes the first time)..." >&2
  mkdir -p "$cache"
  GOBIN="$cache" CGO_ENABLED=0 GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$version" >&2
fi
echo "$bin"
