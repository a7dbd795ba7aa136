#!/usr/bin/env bash
# Runs gremlins (mutation testing), installing it first with go install when
# missing.
set -euo pipefail
version="${GREMLINS_VERSION:-v0.6.0}"
bin_dir="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-optimize/gremlins-$version"
if [ ! -x "$bin_dir/gremlins" ]; then
  echo "Installing gremlins $version into $bin_dir with go install..." >&2
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir" GOFLAGS=-buildvcs=false go install "github.com/go-gremlins/gremlins/cmd/gremlins@$version" >&2
fi
exec "$bin_dir/gremlins" "$@"
