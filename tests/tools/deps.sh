#!/usr/bin/env bash
# Installs every Debian package listed in configs/debian-packages.txt that is
# missing, and the npm packages of tests/browser. Does nothing when all are present.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
list="$top/configs/debian-packages.txt"

missing=()
while read -r pkg; do
    [[ -z "$pkg" || "$pkg" == \#* ]] && continue
    status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done <"$list"
# Node.js comes with the machine image on some hosts; install Debian's otherwise.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]})); then
    echo "deps: installing ${missing[*]}"
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

browser="$top/tests/browser"
if [[ -f "$browser/package.json" && ! -d "$browser/node_modules/playwright-core" ]]; then
    echo "deps: installing npm packages of tests/browser"
    (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
