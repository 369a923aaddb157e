#!/usr/bin/env bash
# Runs every test of `make test` and closes with one line "N passed, N failed".
# Counts: each cmocka test case, the lint check, and each fuzz corpus replay.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
build=${BUILD:-build}
passed=0
failed=0
failures=()

record() { # name status
    if [[ $2 -eq 0 ]]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); failures+=("$1"); fi
}

echo "== lint"
tests/tools/lint.sh
record lint $?

echo "== unit tests"
while read -r bin; do
    out=$("$bin" 2>&1)
    rc=$?
    p=$(grep -oE '^\[  PASSED  \] [0-9]+' <<<"$out" | grep -oE '[0-9]+$' | tail -1)
    f=$(grep -oE '^\[  FAILED  \] [0-9]+' <<<"$out" | grep -oE '[0-9]+$' | tail -1)
    p=${p:-0}
    f=${f:-0}
    # A crash or a non-zero exit without a cmocka summary is one failure.
    if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    name=${bin#"$build"/tests/}
    if [[ $f -ne 0 ]]; then
        failures+=("$name")
        echo "$out"
    fi
    echo "  $name: $p passed, $f failed"
done < <(find "$build/tests/unit" -type f -perm -u+x -name 'test_*' 2>/dev/null | sort)

echo "== fuzz corpus replay"
for replay in "$build"/fuzz/*-replay; do
    [[ -e "$replay" ]] || continue
    target=$(basename "$replay" -replay)
    corpus="tests/fuzz/corpus/$target"
    if [[ ! -d "$corpus" ]] || [[ -z $(ls -A "$corpus") ]]; then
        echo "  $target: no corpus in $corpus"
        record "replay $target" 1
        continue
    fi
    out=$("$replay" "$corpus" 2>&1)
    rc=$?
    echo "  $target: $(tail -1 <<<"$out") (exit $rc)"
    [[ $rc -eq 0 ]] || echo "$out" | tail -20
    record "replay $target" $rc
done

echo "== browser tests"
# Each prints PASS/FAIL per case and closes with "browser: N passed, N failed".
for t in tests/browser/test_*.js; do
    [[ -e "$t" ]] || continue
    out=$(node "$t" 2>&1)
    rc=$?
    echo "$out" | grep -E '^(PASS|FAIL|  )' | sed 's/^/  /'
    line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -1)
    p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+')
    f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+')
    p=${p:-0}
    f=${f:-0}
    if [[ $rc -ne 0 && $f -eq 0 ]]; then
        f=1
        echo "$out" | tail -20
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    [[ $f -eq 0 ]] || failures+=("$t")
done

if ((${#failures[@]})); then
    echo "failed: ${failures[*]}"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
