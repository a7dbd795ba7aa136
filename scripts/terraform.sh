#!/usr/bin/env bash
# Prints the path of a Terraform (or OpenTofu) CLI for the tests and docs,
# installing it into a cache directory first when it is missing. Only the Go
# module proxy is reachable here (no releases.hashicorp.com, no GitHub
# releases), so every CLI is built from Go sources:
#
#   scripts/terraform.sh               Terraform 1.8.5 (or $TERRAFORM_VERSION)
#   scripts/terraform.sh 1.16.4        Terraform 1.16.4 (1.14.9 too: any 1.9+)
#   scripts/terraform.sh tofu-1.12.6   OpenTofu 1.12.6 (tofu-1.10.10 too)
#   scripts/terraform.sh --patch DIR   only apply the Terraform 1.9+ patch to
#                                      the source tree DIR (for its test)
#
# - Terraform up to 1.8: `go install github.com/hashicorp/terraform@vX`.
# - Terraform 1.9+ (1.14 here): `go install` is refused, because Terraform's
#   go.mod has replace directives to nested modules (nine remote-state backends
#   under internal/backend/remote-state and internal/legacy) that the module
#   zip does not contain and the proxy does not serve. So this copies the
#   module's source from `go mod download`, removes those nine backends from
#   internal/backend/init/init.go and the nested modules' require and replace
#   lines from go.mod, and builds it. The result runs everything a provider
#   test needs; only the azurerm, consul, cos, gcs, kubernetes, oci, oss, pg
#   and s3 state backends are missing. When a patch step no longer matches
#   the source (a newer Terraform), the script stops with an error rather than
#   building something else.
# - OpenTofu: `go install` is refused for the same reason (a replace directive),
#   but its module zip builds as it is, since that directive points at a fork
#   the proxy serves.
# Both source builds set version.dev=no so that the CLI reports its release
# version (1.14.9, not 1.14.9-dev) like a released binary.
set -euo pipefail
patch_only=""
if [ "${1:-}" = "--patch" ]; then
  patch_only="${2:?--patch needs a source directory}"
  set -- 0.0.0
fi
spec="${1:-${TERRAFORM_VERSION:-1.8.5}}"
cache_root="${TERRAFORM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-optimize}"

die() { echo "scripts/terraform.sh: $*" >&2; exit 1; }

case "$spec" in
  tofu-*) kind=tofu; version="${spec#tofu-}"; module=github.com/opentofu/opentofu; cache="$cache_root/tofu-$version"; bin="$cache/tofu" ;;
  *) kind=terraform; version="$spec"; module=github.com/hashicorp/terraform; cache="$cache_root/terraform-$version"; bin="$cache/terraform" ;;
esac
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "'$spec' is not a version (want 1.8.5, 1.16.4 or tofu-1.12.6)"

if [ -z "$patch_only" ] && [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

export GOFLAGS=-buildvcs=false CGO_ENABLED=0

# source_copy prints a writable copy of the module's source.
source_copy() {
  local dir work
  dir=$(go mod download -json "$module@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || die "go mod download $module@v$version gave no source directory"
  work=$(mktemp -d)
  cp -r "$dir/." "$work/"
  chmod -R u+w "$work"
  echo "$work"
}

# patch_terraform removes the nested remote-state backend modules and
# internal/legacy from a Terraform source tree, checking each step.
patch_terraform() {
  local src="$1" init="$1/internal/backend/init/init.go" b alias
  local backends="azure consul cos gcs kubernetes oci oss pg s3"
  [ -f "$init" ] || die "patch no longer applies: $init is missing"
  for b in $backends; do
    # The import line: `backendAzure "github.com/.../remote-state/azure"`.
    alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\) \"github.com/hashicorp/terraform/internal/backend/remote-state/$b\"$|\1|p" "$init")
    [ -n "$alias" ] || die "patch no longer applies: no import of remote-state/$b in $init"
    grep -q "return $alias.New()" "$init" || die "patch no longer applies: no $alias.New() registration in $init"
    sed -i "\|\"github.com/hashicorp/terraform/internal/backend/remote-state/$b\"|d; /return $alias.New()/d" "$init"
    grep -q "internal/backend/remote-state/$b " "$src/go.mod" || die "patch no longer applies: go.mod does not require remote-state/$b"
    sed -i "\|github.com/hashicorp/terraform/internal/backend/remote-state/$b |d" "$src/go.mod"
  done
  grep -q "github.com/hashicorp/terraform/internal/legacy " "$src/go.mod" || die "patch no longer applies: go.mod does not require internal/legacy"
  sed -i "\|github.com/hashicorp/terraform/internal/legacy |d" "$src/go.mod"
  if grep -q "=> ./internal/" "$src/go.mod"; then
    die "patch no longer applies: go.mod still has replace directives to nested modules: $(grep '=> ./internal/' "$src/go.mod" | tr '\n' ' ')"
  fi
}

if [ -n "$patch_only" ]; then
  patch_terraform "$patch_only"
  echo "patched $patch_only"
  exit 0
fi

mkdir -p "$cache"
ldflags="-s -w -X $module/version.dev=no"
case "$kind" in
  terraform)
    if [ "$(printf '%s\n' "$version" 1.9.0 | sort -V | head -1)" != 1.9.0 ]; then
      echo "Installing Terraform $version into $cache with go install (about 6-10 minutes the first time)..." >&2
      GOBIN="$cache" go install -ldflags "$ldflags" "$module@v$version" >&2
    else
      echo "Building Terraform $version from its module source into $cache (nested remote-state backends removed; a few minutes the first time)..." >&2
      src=$(source_copy)
      trap 'rm -rf "$src"' EXIT
      patch_terraform "$src"
      (cd "$src" && go build -ldflags "$ldflags" -o "$bin.tmp" .) >&2
      mv "$bin.tmp" "$bin"
    fi
    ;;
  tofu)
    echo "Building OpenTofu $version from its module source into $cache (about 2 minutes the first time)..." >&2
    src=$(source_copy)
    trap 'rm -rf "$src"' EXIT
    (cd "$src" && go build -ldflags "$ldflags" -o "$bin.tmp" ./cmd/tofu) >&2
    mv "$bin.tmp" "$bin"
    ;;
esac
"$bin" version >/dev/null || die "the CLI built at $bin does not run"
echo "$bin"
