#!/bin/sh
# Unpacks Debian's lwIP source package (apt-get source lwip, with Debian's
# patches applied) into DIR, once: lwIP is a dependency taken from Debian,
# never copied into this repository. The deb-src entry it needs is added
# by scripts/deps.sh.
#   lwip-source.sh DIR      (DIR/src/core/tcp.c exists afterwards)
set -eu
dir=$1
[ -f "$dir/src/core/tcp.c" ] && exit 0
if ! command -v dpkg-source >/dev/null 2>&1 || \
   ! apt-cache showsrc lwip >/dev/null 2>&1; then
	echo "lwip-source.sh: run scripts/deps.sh (as root) first: it adds the deb-src entry and dpkg-dev" >&2
	exit 1
fi
tmp=$dir.download
rm -rf "$tmp"
mkdir -p "$tmp"
# apt-get warns when its unprivileged _apt user cannot write the folder.
(cd "$tmp" && apt-get source -qq lwip 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
src=$(find "$tmp" -mindepth 1 -maxdepth 1 -type d -name 'lwip-*' | head -n 1)
if [ -z "$src" ] || [ ! -f "$src/src/core/tcp.c" ]; then
	echo "lwip-source.sh: apt-get source lwip gave no source tree" >&2
	exit 1
fi
rm -rf "$dir"
mv "$src" "$dir"
rm -rf "$tmp"
echo "lwip-source.sh: lwIP $(sed -n 's/^lwip (\(.*\)).*/\1/p;q' "$dir/debian/changelog") in $dir"
