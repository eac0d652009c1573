#!/bin/sh
# Proves the service dispatch of a profile from the object code:
#   check-direct.sh PROFILE KERNEL-ELF
# performance: no vop_* wrapper makes an indirect call or jump, and
#   vop_read calls the tmpfs read directly;
# ludicrous (LTO): the same source, but link-time inlining puts service
#   code inside the wrappers, and procfs's own entry tables make indirect
#   calls of their own there; so it checks the data path (vop_read,
#   vop_write, vop_get_page: no indirect call, or inlined away entirely);
# fortress, balanced: vop_read arms a containment point (contain_enter)
#   and calls the service through its ops table (an indirect call).
# The same for the socket layer's calls into the network service: the
# proto_ops wrappers (sop_*, kernel/net/sops.c) and the net-service ones
# (netsvc_*, kernel/net/netsvc_call.c), and the block layer's calls into
# a disk's driver (bop_*, kernel/block/bops.c). A static implementation is called
# by its generated alias, svc__<name> (scripts/gen-svc-direct.py).
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -u
profile=$1
elf=$2
pass=0
fail=0
check() {	# what, condition-result (0 = ok)
	if [ "$2" -eq 0 ]; then
		echo "PASS dispatch $profile: $1"
		pass=$((pass + 1))
	else
		echo "FAIL dispatch $profile: $1"
		fail=$((fail + 1))
	fi
}

disasm() {	# the disassembly of function $1 in the kernel, or nothing
	objdump -d --no-show-raw-insn "$elf" |
		awk -v f="<$1>:" '$2 == f { on = 1; next } on && /^$/ { exit } on'
}

read_fn=$(disasm vop_read)
wrappers=$(nm "$elf" | awk '$3 ~ /^vop_/ { print $3 }')
indirect_in() {	# 0 if any function of $@ that survives calls indirectly
	for w in "$@"; do
		if disasm "$w" | grep -Eq '(call|jmp)[a-z]*[[:space:]]+\*'; then
			echo "  $w makes an indirect call"
			return 0
		fi
	done
	return 1
}

case $profile in
performance)
	indirect_in $wrappers
	check "no vop_* wrapper calls indirectly ($(echo $wrappers | wc -w) of them)" \
		$((1 - $?))
	echo "$read_fn" | grep -Eq '<(svc__)?tmpfs_read>'
	check "vop_read calls tmpfs_read directly" $?
	sops=$(nm "$elf" | awk '$3 ~ /^(sop|netsvc|bop)_/ { print $3 }')
	indirect_in $sops
	check "no sop_*, netsvc_* nor bop_* wrapper calls indirectly ($(echo $sops | wc -w) of them)" \
		$((1 - $?))
	disasm bop_transfer | grep -Eq '<(svc__)?vblk_transfer>'
	check "bop_transfer calls vblk_transfer directly" $?
	;;
ludicrous)
	indirect_in vop_read vop_write vop_get_page
	check "vop_read, vop_write, vop_get_page call no service indirectly" \
		$((1 - $?))
	if [ -n "$read_fn" ]; then
		echo "$read_fn" | grep -Eq '<(svc__)?tmpfs_read>'
		check "vop_read calls tmpfs_read directly" $?
	else
		check "vop_read inlined into its callers" 0
	fi
	;;
fortress|balanced)
	echo "$read_fn" | grep -q '<contain_enter>'
	check "vop_read arms a containment point" $?
	echo "$read_fn" | grep -Eq 'call[a-z]*[[:space:]]+\*'
	check "vop_read calls the service through its ops table" $?
	send_fn=$(disasm sop_sendmsg)
	echo "$send_fn" | grep -q '<contain_enter>'
	check "sop_sendmsg arms a containment point" $?
	echo "$send_fn" | grep -Eq 'call[a-z]*[[:space:]]+\*'
	check "sop_sendmsg calls the family through its proto_ops" $?
	blk_fn=$(disasm bop_transfer)
	echo "$blk_fn" | grep -q '<contain_enter>'
	check "bop_transfer arms a containment point" $?
	echo "$blk_fn" | grep -Eq 'call[a-z]*[[:space:]]+\*'
	check "bop_transfer calls the driver through its ops table" $?
	;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
