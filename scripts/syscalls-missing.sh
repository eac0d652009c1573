#!/bin/sh
# syscalls-missing.sh: the Linux 6.1 x86-64 system calls Aramid does not
# implement, by name in number order: every X(name, nr) of
# include/uapi/syscalls.h without a SYSCALL(__NR_name, ...) definition in
# kernel/ or services/. The README's list is this script's output.
set -eu
cd "$(dirname "$0")/.."
grep -rhoE 'SYSCALL\(__NR_[a-z0-9_]+' kernel services |
	sed 's/SYSCALL(__NR_//' | sort -u > "${TMPDIR:-/tmp}/aramid-impl.$$"
sed -n 's/^[[:space:]]*X(\([a-z0-9_]*\), \([0-9]*\)).*/\2 \1/p' include/uapi/syscalls.h |
	sort -n | while read -r nr name; do
		grep -qx "$name" "${TMPDIR:-/tmp}/aramid-impl.$$" || echo "$name"
	done
rm -f "${TMPDIR:-/tmp}/aramid-impl.$$"
