#!/usr/bin/env bash
# Builds the provider for every target .goreleaser.yml releases (goos x goarch
# minus ignore), as the release builds it (CGO off, -trimpath), two at a
# time. A target Go cannot build, or one it has no port for, fails here, in
# CI, rather than at release time.
#
#   scripts/release-targets.sh          build every target
#   scripts/release-targets.sh --list   print them
set -euo pipefail
cd "$(dirname "$0")/.."
targets=$(python3 - <<'PY'
import re
lines = open('.goreleaser.yml').read().splitlines()
def items(key):
    out, on = [], False
    for l in lines:
        if re.match(r'^\s*%s:\s*$' % key, l):
            on = True; continue
        if on:
            m = re.match(r'^\s*-\s*[\'"]?([\w]+)[\'"]?\s*$', l)
            if m: out.append(m.group(1)); continue
            if re.match(r'^\s*#', l): continue
            on = False
    return out
ignore, cur = set(), None
on = False
for l in lines:
    if re.match(r'^\s*ignore:\s*$', l): on = True; continue
    if on:
        m = re.match(r'^\s*-\s*goos:\s*[\'"]?(\w+)', l)
        if m: cur = m.group(1); continue
        m = re.match(r'^\s*goarch:\s*[\'"]?(\w+)', l)
        if m and cur: ignore.add((cur, m.group(1))); continue
        if re.match(r'^\s*#', l): continue
        on = False
for o in items('goos'):
    for a in items('goarch'):
        if (o, a) not in ignore:
            print(o + '/' + a)
PY
)
if [ "${1:-}" = "--list" ]; then echo "$targets"; exit 0; fi
ports=$(go tool dist list)
for t in $targets; do
  grep -qx "$t" <<<"$ports" || { echo "scripts/release-targets.sh: .goreleaser.yml releases $t, which $(go version | cut -d' ' -f3) has no port for: add it to ignore" >&2; exit 1; }
done
echo "$targets" | xargs -P 2 -I{} sh -c 'os=${1%/*}; arch=${1#*/}; CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -o /dev/null . && echo "built $1" || { echo "FAILED $1" >&2; exit 255; }' _ {}
echo "every release target builds ($(echo "$targets" | wc -l))"
