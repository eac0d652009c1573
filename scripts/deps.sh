#!/bin/sh
# Installs, from Debian packages only, what building, running and testing
# Aramid needs. Safe to run again: it does nothing when all is present.
set -eu

need=""
have_cmd() { command -v "$1" >/dev/null 2>&1; }
want() { need="$need $1"; }

have_cmd gcc || want gcc
have_cmd make || want make
have_cmd ld || want binutils
have_cmd qemu-system-x86_64 || want qemu-system-x86
have_cmd musl-gcc || want musl-tools
have_cmd cpio || want cpio
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 && \
    file_is_static=$(LC_ALL=C /usr/bin/ldd /bin/busybox 2>&1 | grep -c 'not a dynamic') || file_is_static=0
[ "$file_is_static" = 1 ] || want busybox-static
[ -x /usr/bin/python3 ] || want python3
/usr/bin/python3 -c 'import pexpect' >/dev/null 2>&1 || want python3-pexpect
# udhcpc's default script (the package is the script and a symlink).
[ -f /etc/udhcpc/default.script ] || want udhcpc
ls /boot/vmlinuz-* >/dev/null 2>&1 || want linux-image-amd64
# lwIP comes as Debian's source package (scripts/lwip-source.sh).
have_cmd dpkg-source || want dpkg-dev
have_cmd xz || want xz-utils
SRC_LIST=/etc/apt/sources.list.d/aramid-deb-src.sources
deb_src=0
apt-cache showsrc lwip >/dev/null 2>&1 || deb_src=1

[ -z "$need" ] && [ $deb_src = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing Debian packages:$need (run as root to install them)" >&2
    exit 1
fi
if [ $deb_src = 1 ]; then
    # The bookworm sources, for apt-get source lwip.
    . /etc/os-release
    cat > "$SRC_LIST" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME:-bookworm}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    echo "deps.sh: added $SRC_LIST"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ -z "$need" ] && exit 0
echo "deps.sh: installing$need"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
