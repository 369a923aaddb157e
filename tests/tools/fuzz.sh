#!/usr/bin/env bash
# fuzz.sh SECONDS TARGET... — runs each libFuzzer target for SECONDS on a
# scratch copy of its saved corpus. Fails if any target finds a crash; the
# reproducer stays in build/fuzz/crashes/<target>/ (copy it into the corpus
# once fixed).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
secs=$1
shift
rc=0
for t in "$@"; do
    work="build/fuzz/work/$t"
    crashes="build/fuzz/crashes/$t"
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    cp -r "tests/fuzz/corpus/$t/." "$work/" 2>/dev/null
    dict=()
    [[ -f "tests/fuzz/dict/$t.dict" ]] && dict=("-dict=tests/fuzz/dict/$t.dict")
    log="build/fuzz/$t.log"
    "build/fuzz/$t" -max_total_time="$secs" -print_final_stats=1 \
        -artifact_prefix="$crashes/" "${dict[@]}" "$work" >"$log" 2>&1
    status=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
    echo "fuzz $t: ${execs:-?} executions in ${secs}s, exit $status"
    if [[ $status -ne 0 ]]; then
        rc=1
        grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5
    fi
done
exit $rc
