#!/bin/sh
# userland.sh [OUT.cpio]   (default build/userland/debian.cpio)
# Build the Debian userland image: the packages of scripts/userland/packages
# and their dependency closure, resolved by apt from this machine's own
# sources as if nothing were installed (the host's dpkg state is never
# read or written), unpacked with dpkg-deb into OUT's directory/root, given
# by hand what the maintainer scripts would have done that matters here,
# trimmed of documentation, and packed as one uncompressed newc cpio with
# scripts/userland/init as /init. Downloaded packages stay in
# OUT's directory/debs for the next build. Runs as root (device nodes,
# file owners).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/userland/debian.cpio}
mkdir -p "$(dirname "$out")"
work=$(cd "$(dirname "$out")" && pwd)
out=$work/${out##*/}
root=$work/root
debs=$work/debs
apt=$work/apt

die() { echo "userland.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "run as root (device nodes and file owners)"
for t in apt-get dpkg-deb cpio ldconfig depmod ssh-keygen; do
	command -v "$t" >/dev/null || die "$t missing (make deps)"
done

packages=$(sed -e 's/#.*//' "$here/userland/packages" | tr -s ' \t\n' ' ')

# apt with an empty dpkg status, its own caches and no locks: the closure
# of the list as for an empty system, downloaded into $debs.
mkdir -p "$debs/partial" "$apt/cache"
: > "$apt/status"
apt_get() {
	# shellcheck disable=SC2086
	apt-get -q -y --no-install-recommends \
		-o Dir::State::status="$apt/status" \
		-o Dir::State::extended_states="$apt/extended_states" \
		-o Dir::Cache="$apt/cache" -o Dir::Cache::archives="$debs" \
		-o Debug::NoLocking=1 "$@" $packages
}
# "Inst NAME (VERSION SUITE [ARCH])" (a "[]" may follow): the exact set,
# whatever else lies in $debs.
apt_get -s install > "$apt/simulated"
sed -n 's/^Inst \([^ ]*\) (\([^ ]*\) .*\[\([^]]*\)\]).*/\1 \2 \3/p' \
	"$apt/simulated" > "$apt/selected"
[ -s "$apt/selected" ] || die "apt selected no packages (apt-get update?)"
[ "$(grep -c '^Inst ' "$apt/simulated")" = "$(wc -l < "$apt/selected")" ] ||
	die "unparsed Inst lines in $apt/simulated"
apt_get --download-only install >/dev/null

# Unpack every selected package into a fresh root.
rm -rf "$root" "$apt/info"
mkdir -p "$root" "$apt/info"
: > "$apt/dpkg-status"
while read -r name version arch; do
	deb=$debs/${name}_$(echo "$version" | sed 's/:/%3a/')_$arch.deb
	[ -f "$deb" ] || die "$deb not downloaded"
	dpkg-deb -x "$deb" "$root"
	{ dpkg-deb -f "$deb" | sed '/^Package:/a Status: install ok installed'; echo; } \
		>> "$apt/dpkg-status"
	# Its files list, as dpkg keeps it ("/." first; NAME:ARCH.list for a
	# Multi-Arch: same package), so that dpkg -i and -r know every owner,
	# and its md5sums (if it has them) for dpkg --verify and --audit.
	info=$apt/info/$name
	[ "$(dpkg-deb -f "$deb" Multi-Arch)" = same ] && info=$info:$arch
	dpkg-deb --fsys-tarfile "$deb" | tar -t |
		sed -e 's,^\./,/,' -e 's,\(.\)/$,\1,' -e 's,^/$,/.,' \
		> "$info.list"
	dpkg-deb -I "$deb" md5sums > "$info.md5sums" 2>/dev/null ||
		rm -f "$info.md5sums"
done < "$apt/selected"

# Merged /usr as Debian 12 has it: /bin, /sbin, /lib and /lib64 are
# symlinks into /usr, which holds what the packages put there.
for d in bin sbin lib lib64; do
	if [ -d "$root/$d" ] && [ ! -L "$root/$d" ]; then
		mkdir -p "$root/usr/$d"
		clash=$(cd "$root/$d" && find . ! -type d | while read -r f; do
			if [ -e "$root/usr/$d/$f" ] || [ -L "$root/usr/$d/$f" ]; then
				echo "$d/$f"
			fi
		done)
		[ -z "$clash" ] || die "in both / and /usr: $clash"
		cp -a "$root/$d/." "$root/usr/$d/"
		rm -rf "${root:?}/$d"
	fi
	ln -s "usr/$d" "$root/$d"
done

# Bulk that a console session does not read: documentation, manuals,
# translations (C.UTF-8 lives in /usr/lib/locale, which stays).
rm -rf "$root/usr/share/doc" "$root/usr/share/man" "$root/usr/share/info" \
	"$root/usr/share/locale" "$root/usr/share/lintian" \
	"$root/usr/share/common-licenses" "$root/usr/share/doc-base" \
	"$root/usr/share/bug" "$root"/usr/share/vim/vim*/doc \
	"$root"/usr/share/vim/vim*/lang "$root"/usr/share/vim/vim*/tutor

# The maintainer scripts' work that matters here. update-alternatives:
# each link through /etc/alternatives, as Debian makes them.
alt() {
	link=$1 target=$2
	[ -e "$root$target" ] || die "alternative $link: no $target"
	ln -sfn "$target" "$root/etc/alternatives/${link##*/}"
	ln -sfn "/etc/alternatives/${link##*/}" "$root$link"
}
mkdir -p "$root/etc/alternatives"
alt /usr/bin/awk /usr/bin/mawk
alt /usr/bin/nawk /usr/bin/mawk
for l in vi view ex rview editor; do alt /usr/bin/$l /usr/bin/vim.tiny; done
alt /usr/bin/pager /usr/bin/less
alt /usr/bin/which /usr/bin/which.debianutils
alt /usr/sbin/rmt /usr/sbin/rmt-tar
alt /usr/lib/cpp /usr/bin/cpp
alt /usr/bin/cc /usr/bin/gcc
alt /usr/bin/c89 /usr/bin/c89-gcc
alt /usr/bin/c99 /usr/bin/c99-gcc
alt /usr/bin/lzma /usr/bin/xz
alt /usr/bin/unlzma /usr/bin/unxz
for u in cat more less diff cmp grep egrep fgrep; do
	alt /usr/bin/lz$u /usr/bin/xz$u
done

# base-files, libc-bin, debianutils: their default files and directories.
cp -p "$root/usr/share/base-files/profile" "$root/etc/profile"
cp -p "$root/usr/share/base-files/motd" "$root/etc/motd"
mkdir -p "$root/root"
chmod 700 "$root/root"
cp -p "$root/usr/share/base-files/dot.profile" "$root/root/.profile"
cp -p "$root/usr/share/base-files/dot.bashrc" "$root/root/.bashrc"
cp -p "$root/usr/share/libc-bin/nsswitch.conf" "$root/etc/nsswitch.conf"
cp -p "$root/usr/share/debianutils/shells" "$root/etc/shells"
# The login shells debianutils', bash's and dash's postinst add (add-shell),
# each also under /usr (merged /usr): dropbear refuses a user whose shell
# is not listed.
for sh in sh bash rbash dash; do
	[ -e "$root/usr/bin/$sh" ] || die "no /usr/bin/$sh for /etc/shells"
	grep -qx "/bin/$sh" "$root/etc/shells" || echo "/bin/$sh" >> "$root/etc/shells"
	echo "/usr/bin/$sh" >> "$root/etc/shells"
done
for d in mnt srv opt media etc/opt var/opt usr/local/bin usr/local/sbin \
	usr/local/lib usr/local/share var/spool proc sys dev tmp run; do
	mkdir -p "$root/$d"
done
chmod 1777 "$root/tmp"
install -d -m 2775 -g 8 "$root/var/mail"
ln -sfn ../mail "$root/var/spool/mail"
ln -sfn /run "$root/var/run"
ln -sfn /run/lock "$root/var/lock"
ln -sfn ../proc/self/mounts "$root/etc/mtab"
# The login records systemd-tmpfiles would make (/run/utmp is /init's,
# on its tmpfs): wtmp and lastlog, btmp for failed logins, group utmp.
install -m 664 -g 43 /dev/null "$root/var/log/wtmp"
install -m 664 -g 43 /dev/null "$root/var/log/lastlog"
install -m 660 -g 43 /dev/null "$root/var/log/btmp"

# Users and groups: base-passwd's system accounts, root without a password.
# Passwords live in shadow and gshadow ("x"), as on an installed Debian.
for f in passwd group; do
	awk -F: -v OFS=: '{ $2 = "x"; print }' \
		"$root/usr/share/base-passwd/$f.master" > "$root/etc/$f"
done
awk -F: '{ print $1 ":" ($1 == "root" ? "" : "*") ":19000:0:99999:7:::" }' \
	"$root/etc/passwd" > "$root/etc/shadow"
awk -F: '{ print $1 ":*::" }' "$root/etc/group" > "$root/etc/gshadow"
chmod 640 "$root/etc/shadow" "$root/etc/gshadow"
chgrp 42 "$root/etc/shadow" "$root/etc/gshadow"

# nginx-common's and its modules' postinst: the log files root:adm's
# directory holds for www-data, the default site, the default page and
# each module's load line in modules-enabled.
chown root:4 "$root/var/log/nginx"
chmod 755 "$root/var/log/nginx"
for f in access error; do
	install -m 640 -o 33 -g 4 /dev/null "$root/var/log/nginx/$f.log"
done
ln -sfn /etc/nginx/sites-available/default \
	"$root/etc/nginx/sites-enabled/default"
mkdir -p "$root/var/www/html"
cp -p "$root/usr/share/nginx/html/index.html" \
	"$root/var/www/html/index.nginx-debian.html"
ln -sfn /usr/share/nginx/modules-available/mod-http-echo.conf \
	"$root/etc/nginx/modules-enabled/50-mod-http-echo.conf"

# PAM as libpam-runtime's pam-auth-update leaves it with pam_unix alone
# (its Initial profile, from /usr/share/pam-configs/unix): the common-*
# files every service in /etc/pam.d includes.
pam_common() {	# type, pam_unix's control and arguments
	cat > "$root/etc/pam.d/common-$1" <<P
$2	$3
$2	requisite			pam_deny.so
$2	required			pam_permit.so
P
}
[ -f "$root/usr/share/pam-configs/unix" ] || die "no pam-configs/unix"
mkdir -p "$root/etc/pam.d"
pam_common auth auth '[success=1 default=ignore]	pam_unix.so nullok'
pam_common account account \
	'[success=1 new_authtok_reqd=done default=ignore]	pam_unix.so'
pam_common password password \
	'[success=1 default=ignore]	pam_unix.so obscure yescrypt'
for s in session session-noninteractive; do
	cat > "$root/etc/pam.d/common-$s" <<P
session	[default=1]			pam_permit.so
session	requisite			pam_deny.so
session	required			pam_permit.so
session	required	pam_unix.so
P
done

# The machine: its name, names, locale, terminal.
echo aramid > "$root/etc/hostname"
cat > "$root/etc/hosts" <<'H'
127.0.0.1	localhost
127.0.1.1	aramid
::1		localhost ip6-localhost ip6-loopback
ff02::1		ip6-allnodes
ff02::2		ip6-allrouters
H
echo 'LANG=C.UTF-8' > "$root/etc/default/locale"
cat > "$root/etc/profile.d/aramid.sh" <<'S'
# The Aramid image's session defaults (/etc/default/locale; a serial console).
. /etc/default/locale
export LANG
export TERM=${TERM:-linux}
S

# dpkg's database, so that dpkg -l lists what the image holds and dpkg -i
# installs a package over it: the status, each package's files list and
# md5sums, and the empty files dpkg's own installation leaves.
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" \
	"$root/var/lib/dpkg/alternatives" "$root/var/lib/dpkg/triggers"
cp "$apt/dpkg-status" "$root/var/lib/dpkg/status"
cp "$apt"/info/* "$root/var/lib/dpkg/info/"
echo 1 > "$root/var/lib/dpkg/info/format"	# NAME:ARCH names (multiarch)
echo amd64 > "$root/var/lib/dpkg/arch"
: > "$root/var/lib/dpkg/available"

# apt's sources: this machine's own (sources.list, sources.list.d's .list
# and .sources files, without deb-src entries: the guest builds from none)
# and every keyring they name in Signed-By, plus trusted.gpg.d, so that
# apt-get update in the guest reaches what the image was built from.
mkdir -p "$root/etc/apt/sources.list.d" "$root/etc/apt/trusted.gpg.d" \
	"$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
if [ -f /etc/apt/sources.list ]; then
	grep -v '^[[:space:]]*deb-src' /etc/apt/sources.list \
		> "$root/etc/apt/sources.list"
fi
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] || continue
	case $f in
	*.list) grep -v '^[[:space:]]*deb-src' "$f" ;;
	*) grep -Eqi '^Types:(.*[[:space:]])?deb([[:space:]]|$)' "$f" && cat "$f" ;;
	esac > "$root/etc/apt/sources.list.d/${f##*/}" ||
		rm -f "$root/etc/apt/sources.list.d/${f##*/}"
done
cat "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/* 2>/dev/null |
	sed -n -e 's/^Signed-By:[[:space:]]*\(\/[^[:space:]]*\).*/\1/Ip' \
		-e 's/.*signed-by=\(\/[^] ]*\).*/\1/p' | sort -u |
while read -r k; do
	[ -f "$k" ] || die "apt source keyring $k missing on this machine"
	mkdir -p "$root${k%/*}"
	cp -p "$k" "$root$k"
done
for k in /etc/apt/trusted.gpg.d/*; do
	[ -f "$k" ] && cp -p "$k" "$root/etc/apt/trusted.gpg.d/"
done
[ -n "$(cat "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/* 2>/dev/null)" ] ||
	die "no apt sources on this machine for the image"
: > "$root/var/lib/dpkg/diversions"
: > "$root/var/lib/dpkg/triggers/Unincorp"

# redis-tools' and redis-server's postinst: the system user redis (adduser
# --system --group: the first free ids from 100), its directories, and
# the configuration readable by it alone (recorded as a dpkg-statoverride).
echo 'redis:x:100:101::/var/lib/redis:/usr/sbin/nologin' >> "$root/etc/passwd"
echo 'redis:x:101:' >> "$root/etc/group"
echo 'redis:*:19000:0:99999:7:::' >> "$root/etc/shadow"
echo 'redis:!::' >> "$root/etc/gshadow"
install -d -m 2750 -o 100 -g 4 "$root/var/log/redis"
install -d -m 750 -o 100 -g 101 "$root/var/lib/redis"
install -d -m 2770 -o 100 -g 101 "$root/etc/redis"
chown 100:101 "$root/etc/redis/redis.conf"
chmod 640 "$root/etc/redis/redis.conf"
echo 'redis redis 640 /etc/redis/redis.conf' > "$root/var/lib/dpkg/statoverride"

ldconfig -r "$root"

# Debian's Linux (the newest /boot/vmlinuz-*) needs its virtio-net modules
# for eth0; /init loads them when it runs on that kernel.
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
kver=${kernel##*/vmlinuz-}
mods=/lib/modules/$kver
if [ -n "$kernel" ] && [ -f "$mods/kernel/drivers/net/virtio_net.ko" ]; then
	for m in drivers/virtio/virtio_ring drivers/virtio/virtio \
	    drivers/virtio/virtio_pci_modern_dev \
	    drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci \
	    net/core/failover drivers/net/net_failover drivers/net/virtio_net; do
		mkdir -p "$root/usr$mods/kernel/${m%/*}"
		cp "$mods/kernel/$m.ko" "$root/usr$mods/kernel/$m.ko"
	done
	for f in modules.order modules.builtin modules.builtin.modinfo; do
		cp "$mods/$f" "$root/usr$mods/"
	done
	depmod -b "$root" "$kver"
fi

# Python's byte code, as Debian's postinst scripts compile it, by the
# image's own python3 (the build machine runs it under chroot).
stdlib=$(cd "$root/usr/lib" && ls -d python3.[0-9]*)
chroot "$root" /usr/bin/python3 -E -S -m compileall -q -x '/test/|/tests/' \
	"/usr/lib/$stdlib" /usr/lib/python3/dist-packages >/dev/null

# /init and the device nodes the kernel opens before devtmpfs is mounted.
cp "$here/userland/init" "$root/init"
chmod 755 "$root/init"
mknod -m 600 "$root/dev/console" c 5 1
mknod -m 666 "$root/dev/null" c 1 3
mknod -m 666 "$root/dev/zero" c 1 5
mknod -m 666 "$root/dev/full" c 1 7
mknod -m 666 "$root/dev/random" c 1 8
mknod -m 666 "$root/dev/urandom" c 1 9
mknod -m 666 "$root/dev/tty" c 5 0

# dropbear's postinst (the dropbear package, which dropbear-bin leaves
# out): host keys of each type in /etc/dropbear, made by the image's own
# dropbearkey (it reads, then feeds, the device nodes above). root's
# authorized_keys holds the public half of a key pair this build
# directory keeps (made once, by the host's ssh-keygen), with which the
# host logs in: ssh -i $work/ssh/id_ed25519.
mkdir -p "$root/etc/dropbear"
for t in rsa ecdsa ed25519; do
	chroot "$root" /usr/bin/dropbearkey -t $t \
		-f /etc/dropbear/dropbear_${t}_host_key >/dev/null 2>&1 ||
		die "dropbearkey -t $t failed"
done
if [ ! -f "$work/ssh/id_ed25519" ]; then
	mkdir -p "$work/ssh"
	ssh-keygen -q -t ed25519 -N '' -C root@aramid-userland \
		-f "$work/ssh/id_ed25519"
fi
install -d -m 700 "$root/root/.ssh"
install -m 600 "$work/ssh/id_ed25519.pub" "$root/root/.ssh/authorized_keys"

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet) \
	> "$out.tmp"
mv "$out.tmp" "$out"
echo "userland: $out ($(wc -l < "$apt/selected") packages, $(du -sm "$root" | cut -f1) MB unpacked, $(($(stat -c %s "$out") / 1048576)) MB cpio)"
