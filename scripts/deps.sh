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
# The Debian userland image (scripts/userland.sh) lists its kernel modules.
have_cmd depmod || want kmod
# The image's login key (ssh-keygen) and the ssh login test (ssh).
{ have_cmd ssh && have_cmd ssh-keygen; } || want openssh-client
# lwIP comes as Debian's source package (scripts/lwip-source.sh).
have_cmd dpkg-source || want dpkg-dev
have_cmd xz || want xz-utils
# scripts/deps.sh ltp: also what building LTP's tests needs (tests/ltp/).
if [ "${1:-}" = ltp ]; then
    have_cmd autoconf || want autoconf
    have_cmd automake || want automake
    have_cmd m4 || want m4
    have_cmd pkg-config || want pkg-config
    [ -f /usr/include/linux/version.h ] || want linux-libc-dev
fi
SRC_LIST=${DEPS_SRC_LIST:-/etc/apt/sources.list.d/aramid-deb-src.sources}
APT_DIR=${DEPS_APT_DIR:-/etc/apt}

# The deb-src entry for apt-get source lwip, derived from this machine's
# own apt sources so that no package host is named here: the first
# Debian "deb" entry whose Suites hold the release codename and whose
# Components hold main, read from $APT_DIR/sources.list.d/*.sources
# (deb822), then $APT_DIR/sources.list and sources.list.d/*.list (one
# line each); its URIs and Signed-By are reused. Prints the entry on
# stdout, or fails with a message naming what was looked for.
deb_src_entry() {
    codename=$1
    found=$(
        for f in "$APT_DIR"/sources.list.d/*.sources; do
            [ -f "$f" ] || continue
            awk -v want="$codename" -v file="$f" '
            function has(list, word,   n, i, w) {
                n = split(list, w, /[ \t]+/)
                for (i = 1; i <= n; i++)
                    if (w[i] == word)
                        return 1
                return 0
            }
            function flush() {
                if (!done && has(f["types"], "deb") && has(f["suites"], want) &&
                    has(f["components"], "main") && f["uris"] != "" &&
                    tolower(f["enabled"]) != "no") {
                    print "# from " file
                    print "URIs: " f["uris"]
                    if (f["signed-by"] != "")
                        print "Signed-By: " f["signed-by"]
                    done = 1
                }
                split("", f)
                key = ""
            }
            /^#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ {
                if (key != "")
                    f[key] = f[key] "\n" $0
                next
            }
            {
                i = index($0, ":")
                if (!i)
                    next
                key = tolower(substr($0, 1, i - 1))
                v = substr($0, i + 1)
                sub(/^[ \t]+/, "", v)
                sub(/[ \t]+$/, "", v)
                f[key] = v
            }
            END { flush() }' "$f"
        done
        for f in "$APT_DIR"/sources.list "$APT_DIR"/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            awk -v want="$codename" -v file="$f" '
            /^[ \t]*#/ { next }
            $1 == "deb" {
                i = 2; signed = ""
                if ($i ~ /^\[/) {
                    opts = ""
                    for (; i <= NF; i++) {
                        opts = opts " " $i
                        if ($i ~ /\]$/) { i++; break }
                    }
                    gsub(/[][]/, " ", opts)
                    n = split(opts, o, /[ \t]+/)
                    for (j = 1; j <= n; j++)
                        if (o[j] ~ /^signed-by=/)
                            signed = substr(o[j], 11)
                }
                uri = $i; suite = $(i + 1)
                if (suite != want)
                    next
                for (j = i + 2; j <= NF; j++) {
                    if ($j == "main") {
                        print "# from " file
                        print "URIs: " uri
                        if (signed != "")
                            print "Signed-By: " signed
                        exit
                    }
                }
            }' "$f"
        done
    )
    # The first entry found: its three lines at most (a deb822 Signed-By
    # may hold an inline key over several lines: keep those too).
    entry=$(printf '%s\n' "$found" | awk '
        /^# from / { if (seen++) exit }
        { print }')
    if [ -z "$entry" ]; then
        echo "deps.sh: no Debian apt source for '$codename' with component main in $APT_DIR/sources.list.d/*.sources, $APT_DIR/sources.list or $APT_DIR/sources.list.d/*.list; cannot add the deb-src entry for lwIP" >&2
        return 1
    fi
    from=$(printf '%s\n' "$entry" | sed -n 's/^# from //p')
    echo "# Added by Aramid's scripts/deps.sh for apt-get source lwip; URIs and"
    echo "# Signed-By copied from this machine's own Debian entry in $from."
    echo "Types: deb-src"
    entry_field "$entry" URIs
    echo "Suites: $codename"
    echo "Components: main"
    entry_field "$entry" Signed-By
}

# The field @2 of the entry @1 with its continuation lines.
entry_field() {
    printf '%s\n' "$1" | awk -v k="$2: " '
        index($0, k) == 1 { on = 1; print; next }
        on && /^[ \t]/ { print; next }
        { on = 0 }'
}

release_codename() {
    # shellcheck disable=SC1091
    . "${DEPS_OS_RELEASE:-/etc/os-release}"
    echo "${VERSION_CODENAME:-bookworm}"
}

# scripts/deps.sh --deb-src-entry: print the entry it would add, and stop.
if [ "${1:-}" = --deb-src-entry ]; then
    deb_src_entry "$(release_codename)"
    exit
fi

deb_src=0
apt-cache showsrc lwip >/dev/null 2>&1 || deb_src=1

[ -z "$need" ] && [ $deb_src = 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "deps.sh: missing Debian packages:$need (run as root to install them)" >&2
    exit 1
fi
if [ $deb_src = 1 ]; then
    # Derived before anything is written: no entry, no change.
    entry=$(deb_src_entry "$(release_codename)")
    printf '%s\n' "$entry" > "$SRC_LIST"
    echo "deps.sh: added $SRC_LIST"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
[ -z "$need" ] && exit 0
echo "deps.sh: installing$need"
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $need >/dev/null
