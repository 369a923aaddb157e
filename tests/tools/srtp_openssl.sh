#!/usr/bin/env bash
# Builds libsrtp2 against OpenSSL into build/srtp (a static libsrtp2.a, its
# headers and libsrtp2.pc), from Debian's own source package of the installed
# libsrtp2-dev. Debian's binary package is built on NSS, whose AES-CM and
# HMAC-SHA1 are several times slower per packet (docs/transport.md).
#
# Run by tests/tools/deps.sh after the Debian packages are installed (needs
# build-essential, dpkg-dev, libssl-dev, libsrtp2-dev). Does nothing when
# build/srtp/.stamp matches the installed libsrtp2-dev and libssl-dev versions
# and this script. apt works on private state under build/srtp-work (a
# deb-src list made from the machine's own Debian entries): nothing under /etc
# or /var changes, and no root is needed. The system libsrtp2 stays installed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$top/build/srtp"
work="$top/build/srtp-work"

version_of() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }
srtp_ver=$(version_of libsrtp2-dev)
ssl_ver=$(version_of libssl-dev)
if [[ -z "$srtp_ver" || -z "$ssl_ver" ]]; then
    echo "srtp_openssl: libsrtp2-dev and libssl-dev must be installed first" >&2
    exit 1
fi
stamp="libsrtp2 $srtp_ver openssl $ssl_ver script $(sha256sum "$0" | cut -c1-16)"
current() { [[ -f "$prefix/lib/libsrtp2.a" && "$(cat "$prefix/.stamp" 2>/dev/null)" == "$stamp" ]]; }
current && exit 0

# One build at a time (several make runs may share the tree).
mkdir -p "$top/build"
exec 9>"$top/build/.srtp.lock"
flock 9
current && exit 0

echo "deps: building libsrtp2 $srtp_ver against OpenSSL $ssl_ver (build/srtp)"
start=$SECONDS
rm -rf "$work"
mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src" "$work/obj"

# deb-src entries for the machine's own Debian suites (this release and its
# -updates/-security), from the binary entries apt already uses.
# shellcheck disable=SC1091
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
opts=""
[[ -f "$keyring" ]] && opts="[signed-by=$keyring] "
# shellcheck disable=SC2016 # apt's own $(FIELD) placeholders
apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' |
    awk -v c="$codename" -v o="$opts" '$2 == c || index($2, c "-") == 1 { print "deb-src " o $1 " " $2 " " $3 }' |
    sort -u >"$work/apt/sources.list"
if [[ ! -s "$work/apt/sources.list" ]]; then
    echo "srtp_openssl: no Debian '$codename' entry in the apt sources" >&2
    exit 1
fi
apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=$work/apt/none"
    -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)" -o "Acquire::Retries=3")
apt-get "${apt_opts[@]}" -qq update
# The installed version's source; if the mirror has moved on to a newer
# Debian revision (a point or security release), that one.
if ! (cd "$work/src" && apt-get "${apt_opts[@]}" -qq source "libsrtp2=$srtp_ver" >/dev/null 2>&1); then
    echo "deps: libsrtp2 $srtp_ver source not on the mirror; taking its newest"
    (cd "$work/src" && apt-get "${apt_opts[@]}" -qq source libsrtp2 >/dev/null)
fi
src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'libsrtp2-*' | head -n1)
[[ -n "$src" && -x "$src/configure" ]] || {
    echo "srtp_openssl: apt-get source libsrtp2 gave no source tree" >&2
    exit 1
}

# Static library only (-fPIC so a later shared program may link it), then its
# own known-answer driver (AES-CM, HMAC-SHA1, AES-GCM vectors) before install.
cd "$work/obj"
"$src/configure" --prefix="$prefix.tmp" --enable-openssl --disable-pcap \
    CFLAGS="-O2 -g -fPIC" >configure.log 2>&1 || {
    tail -n 30 configure.log >&2
    exit 1
}
make -j"$(nproc)" libsrtp2.a test/srtp_driver >make.log 2>&1 || {
    tail -n 30 make.log >&2
    exit 1
}
./test/srtp_driver -v >driver.log 2>&1 || {
    tail -n 30 driver.log >&2
    exit 1
}
if ! grep -q '^#define OPENSSL 1' crypto/include/config.h ||
    ! grep -q 'counter mode using openssl' driver.log; then
    echo "srtp_openssl: the build did not select the OpenSSL backend" >&2
    exit 1
fi
rm -rf "$prefix.tmp" "$prefix"
make install >install.log 2>&1
echo "$stamp" >"$prefix.tmp/.stamp"
mv "$prefix.tmp" "$prefix"
sed -i "s|$prefix.tmp|$prefix|g" "$prefix/lib/pkgconfig/libsrtp2.pc"
rm -rf "$work"
echo "deps: libsrtp2 with OpenSSL ready in $((SECONDS - start)) s"
