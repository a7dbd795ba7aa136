#!/usr/bin/env bash
# Mutation testing (make mutation): gremlins mutates the code of each package
# below, one mutant at a time, and runs the package's tests against it. A
# mutant the tests do not notice (LIVED) is a bug they would not catch.
# Efficacy = KILLED / (KILLED + LIVED). Prints the survivors and a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
packages=("${@:-./internal/searchhttp ./internal/elasticsearch ./internal/opensearch ./internal/engine ./internal/optimize}")
summary=()
for pkg in ${packages[@]}; do
  log="$(mktemp)"
  start=$(date +%s)
  # One worker, one CPU per test run: the numbers do not depend on the load.
  scripts/gremlins.sh unleash "$pkg" --workers 1 --test-cpu 1 --timeout-coefficient 3 >"$log" 2>&1 || { cat "$log"; exit 1; }
  secs=$(( $(date +%s) - start ))
  echo "== $pkg"
  grep -E '^ *(LIVED|TIMED OUT)' "$log" || echo "   no surviving mutant"
  grep -E '^(Killed|Timed out|Test efficacy|Mutator coverage)' "$log"
  summary+=("$pkg: $(grep -E '^Test efficacy' "$log" | sed 's/Test efficacy: //') efficacy, $(grep -E '^Mutator coverage' "$log" | sed 's/Mutator coverage: //') of mutants covered, ${secs}s")
  rm -f "$log"
done
echo
printf '%s\n' "${summary[@]}"
