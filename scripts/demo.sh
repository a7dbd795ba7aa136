#!/usr/bin/env bash
# make demo: build the provider, start the emulator seeded with an Optimize
# 8.10 installation (OPTIMIZE_VERSION=3.9.0 for the string-id flow) and the fs
# repository "backups", apply examples/quickstart with the real Terraform CLI,
# print the backup's state and snapshots, destroy. ENGINE=elasticsearch-8 or
# ENGINE=opensearch-2 runs it against that engine (default elasticsearch-7.17).
# A terraform (or tofu) 1.8 or newer on PATH is used as it is; otherwise
# scripts/terraform.sh builds Terraform 1.8.5 into its cache first.
set -euo pipefail
engine=${ENGINE:-elasticsearch-7.17}
root=$(cd "$(dirname "$0")/.." && pwd)
export CHECKPOINT_DISABLE=1
optimize_version=${OPTIMIZE_VERSION:-8.10.0}
backup_id=${BACKUP_ID:-$(date +%s)}
# A CLI on PATH, if it is 1.8 or newer (tests keep their pinned CLIs).
terraform=""
for cli in terraform tofu; do
  path=$(command -v "$cli" 2>/dev/null) || continue
  v=$("$path" version 2>/dev/null | head -1 | grep -o 'v[0-9]*\.[0-9]*' | head -1 | tr -d v) || continue
  major=${v%%.*} minor=${v#*.}
  if [ -n "$v" ] && { [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }; }; then
    terraform=$path
    break
  fi
done
if [ -z "$terraform" ]; then
  echo "==> No terraform or tofu 1.8+ on PATH: building Terraform 1.8.5 (minutes, once)"
  terraform=$("$root/scripts/terraform.sh")
fi
echo "==> Using $("$terraform" version | head -1) ($terraform)"
work=$(mktemp -d)
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "==> Building the provider and the emulator"
go build -o "$work/bin/terraform-provider-optimize" "$root"
go build -o "$work/esemulator" "$root/internal/esemulator/cmd/esemulator"

echo "==> Starting the $engine emulator (Optimize $optimize_version indices, repository \"backups\")"
"$work/esemulator" -engine "$engine" -listen 127.0.0.1:0 -seed-optimize "$optimize_version" -index-prefix optimize \
  -repository backups -snapshot-duration 1s 2>"$work/emulator.log" &
emulator_pid=$!
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'listening on http://[0-9.:]*' "$work/emulator.log" | head -1 | sed 's/listening on //') || true
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/emulator.log"; echo "the emulator did not start" >&2; exit 1; }
echo "    $url"
curl -s "$url/" | grep -E '"(distribution|number)"' || true

# Use the freshly built provider instead of a registry download.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "optimize-tf/optimize" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cp -r "$root/examples/quickstart" "$work/quickstart"
tf() { "$terraform" -chdir="$work/quickstart" "$@" -var "elasticsearch_endpoint=$url" -var "backup_id=$backup_id"; }

echo "==> terraform apply (takes the backup: part 1, then part 2)"
tf apply -auto-approve -input=false -no-color
echo "==> The backup"
"$terraform" -chdir="$work/quickstart" output -no-color
echo "==> What Elasticsearch holds"
curl -s "$url/_snapshot/backups/_all?verbose=false"; echo
echo "==> terraform destroy (deletes exactly the backup's two snapshots)"
tf destroy -auto-approve -input=false -no-color
echo "==> Snapshots left in the repository:"
curl -s "$url/_snapshot/backups/_all?verbose=false"; echo
echo "==> Done"
