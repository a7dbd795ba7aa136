#!/usr/bin/env bash
# make conformance: drive the emulator with the engines' official JavaScript
# clients, at the exact versions of scripts/conformance/package-lock.json:
# @elastic/elasticsearch 7.17 against elasticsearch-7.17, @elastic/elasticsearch
# 8 against elasticsearch-8, @opensearch-project/opensearch 2 against
# opensearch-2, and the 7.17 client in REST API compatibility mode
# (compatible-with=7, as the provider talks to Elasticsearch 8) against
# elasticsearch-8. For each, the emulator command is started on a free
# loopback port with an Optimize installation and the fs repository
# "backups", and scripts/conformance/driver.js sends every request the
# provider sends through the client's own methods and checks what the client
# gives back.
#
# ENGINES="opensearch-2" runs that engine's runs only; OPTIMIZE_VERSION picks
# the seeded installation (default 8.10.0); EMULATOR=/path/to/esemulator uses
# that binary instead of building internal/esemulator/cmd/esemulator. Needs
# Node.js 18+ and npm; `npm ci` runs when node_modules does not match the
# lockfile. Exits non-zero when any run failed, after doing them all.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$root/scripts/conformance
engines=${ENGINES:-elasticsearch-7.17 elasticsearch-8 opensearch-2}
# engine:client (driver.js --client).
runs="elasticsearch-7.17:es7 elasticsearch-8:es8 opensearch-2:os2 elasticsearch-8:es7-compat"
optimize_version=${OPTIMIZE_VERSION:-8.10.0}

die() { echo "conformance: $*" >&2; exit 1; }

command -v node >/dev/null || die "node is not on PATH (Node.js 18 or newer is needed)"
command -v npm >/dev/null || die "npm is not on PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 18 ] || die "Node.js $(node --version) is too old: 18 or newer is needed"

selected=()
for run in $runs; do
  case " $engines " in *" ${run%%:*} "*) selected+=("$run") ;; esac
done
[ "${#selected[@]}" -gt 0 ] || die "ENGINES=\"$engines\" names none of the engines elasticsearch-7.17, elasticsearch-8, opensearch-2"

work=$(mktemp -d)
emulator_pid="" driver_pid=""
stop_emulator() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
    emulator_pid=""
  fi
}
cleanup() {
  if [ -n "$driver_pid" ]; then
    kill "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  stop_emulator
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The clients, exactly as locked. npm ci empties node_modules first, so it
# runs only when the lockfile differs from the one last installed.
stamp=$dir/node_modules/.conformance-lock.json
if ! cmp -s "$dir/package-lock.json" "$stamp"; then
  echo "==> npm ci (scripts/conformance)"
  start=$SECONDS
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  cp "$dir/package-lock.json" "$stamp"
  echo "    npm ci: $((SECONDS - start)) s"
fi

if [ -n "${EMULATOR:-}" ]; then
  [ -x "$EMULATOR" ] || die "EMULATOR=$EMULATOR is not an executable"
  emulator=$EMULATOR
  commit="the binary $EMULATOR"
else
  echo "==> Building the emulator"
  start=$SECONDS
  emulator=$work/esemulator
  go build -o "$emulator" "$root/internal/esemulator/cmd/esemulator" || die "building internal/esemulator/cmd/esemulator failed"
  echo "    go build: $((SECONDS - start)) s"
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$root" status --porcelain -- internal/esemulator 2>/dev/null)" ]; then
    commit="$commit with uncommitted changes in internal/esemulator"
  fi
fi
echo "    emulator: $commit"

failed=()
for run in "${selected[@]}"; do
  engine=${run%%:*} client=${run#*:}
  echo "==> $engine with the $client client"
  start=$SECONDS
  log=$work/$engine-$client.log
  "$emulator" -engine "$engine" -listen 127.0.0.1:0 -seed-optimize "$optimize_version" -index-prefix optimize \
    -repository backups -snapshot-duration 500ms 2>"$log" &
  emulator_pid=$!
  url=""
  for _ in $(seq 1 100); do
    url=$(grep -o 'listening on http://[0-9.:]*' "$log" | head -1 | sed 's/listening on //') || true
    [ -n "$url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$url" ]; then
    cat "$log" >&2
    echo "conformance: the $engine emulator did not start" >&2
    stop_emulator
    failed+=("$run (the emulator did not start)")
    continue
  fi
  # In the background and waited for, so that a signal stops the run at once
  # (bash runs its traps only once a foreground command has finished).
  node "$dir/driver.js" --engine "$engine" --client "$client" --url "$url" \
    --repository backups --index-prefix optimize --optimize-version "$optimize_version" &
  driver_pid=$!
  status=0
  wait "$driver_pid" || status=$?
  driver_pid=""
  if [ "$status" -ne 0 ]; then
    failed+=("$run (see its 'not ok' lines)")
    echo "--- the emulator's request log ($run):"
    tail -n 60 "$log"
  fi
  stop_emulator
  echo "    $run: $((SECONDS - start)) s"
done

if [ "${#failed[@]}" -gt 0 ]; then
  printf -v list '%s; ' "${failed[@]}"
  die "FAILED against the emulator ($commit): ${list%; }"
fi
echo "==> conformance: every run passed (${selected[*]}; emulator: $commit)"
