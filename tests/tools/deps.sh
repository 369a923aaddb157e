#!/usr/bin/env bash
# Installs every Debian package listed in configs/debian-packages.txt that is
# missing, builds libsrtp2 against OpenSSL (tests/tools/srtp_openssl.sh), and
# installs the npm packages of tests/browser. Does nothing when all are present.
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

# libsrtp2 built against OpenSSL into build/srtp, which the Makefile links
# statically (Debian's libsrtp2 is built on NSS, several times slower).
"$top/tests/tools/srtp_openssl.sh"

browser="$top/tests/browser"
# npm ci when any dependency of package.json is missing from node_modules.
npm_missing() {
    local dep
    for dep in $(cd "$browser" && node -e \
        'console.log(Object.keys(require("./package.json").dependencies || {}).join(" "))'); do
        [[ -d "$browser/node_modules/$dep" ]] || return 0
    done
    return 1
}
if [[ -f "$browser/package.json" ]] && npm_missing; then
    echo "deps: installing npm packages of tests/browser"
    (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
exit 0
