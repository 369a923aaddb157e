#!/usr/bin/env bash
# lint.sh — the project's standing checks; exit 1 on any finding.
#  - clang-format: every tracked .c/.h matches .clang-format
#  - size: files over 600 lines, functions over 80 lines
#  - sans-IO: core/ files that include GLib, libnice, OpenSSL, libsrtp or
#    libwebsockets headers, or read a clock
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
findings=0
report() { echo "lint: $*"; findings=$((findings + 1)); }

mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^tests/fuzz/corpus/')

for f in "${files[@]}"; do
    [[ -f "$f" ]] || continue
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        report "$f: not clang-formatted (make format)"
    fi
    n=$(wc -l <"$f")
    ((n > 600)) && report "$f: $n lines (over 600: split by concept)"
    # Function bodies: clang-format puts a function's braces in column 0.
    awk -v f="$f" '
        /^\{/ { start = NR; next }
        /^\}/ && start { len = NR - start - 1;
                         if (len > 80) printf "lint: %s:%d: function of %d lines (over 80)\n", f, start, len;
                         start = 0 }' "$f" | while read -r line; do echo "$line"; done >/tmp/lint.$$
    if [[ -s /tmp/lint.$$ ]]; then
        cat /tmp/lint.$$
        findings=$((findings + $(wc -l </tmp/lint.$$)))
    fi
    rm -f /tmp/lint.$$
done

bad=$(git grep -nE '#include *[<"](glib|gio/|nice/|openssl/|srtp2/|libwebsockets)|clock_gettime|g_get_monotonic_time|gettimeofday|[^_]time\(NULL\)' \
    -- '*/core/*.c' '*/core/*.h' 2>/dev/null)
if [[ -n "$bad" ]]; then
    while read -r line; do report "sans-IO rule broken: $line"; done <<<"$bad"
fi

if ((findings)); then
    echo "lint: $findings finding(s)"
    exit 1
fi
echo "lint: clean (${#files[@]} files)"
