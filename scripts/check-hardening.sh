#!/bin/sh
# Proves each profile's compiler hardening from the generated code:
#   check-hardening.sh PROFILE BUILD-DIR CC CFLAGS...
# compiles scripts/hardening-probe.c with the profile's own CFLAGS (as
# the Makefile passes them) and disassembles it:
#   fortress:    bounds, signed overflow and shift each trap (ud2);
#   balanced:    bounds and signed overflow trap, shift does not;
#   performance, ludicrous: no trap at all;
#   CHECKED_INDEX calls checked_index_fail() except in ludicrous;
# then checks a real kernel object the same way: signal_ignored()
# (kernel/proc/signal.c) indexes the handler table with a signal number from
# kill(2). In ludicrous it checks that the kernel objects are LTO objects.
# Last, the kernel image's spinlocks: the lock checker is called in
# fortress; elsewhere it is absent and the takes and gives are inline.
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -u
profile=$1
build=$2
shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0

result() {	# ok(0/1), what
	if [ "$1" -eq 1 ]; then
		echo "PASS hardening $profile: $2"
		pass=$((pass + 1))
	else
		echo "FAIL hardening $profile: $2"
		fail=$((fail + 1))
	fi
}

# body OBJECT FUNCTION: the disassembly of FUNCTION in OBJECT with its
# relocations (calls), including its cold part (FUNCTION.cold).
body() {
	objdump -dr --no-show-raw-insn "$1" |
		awk -v f="<$2>:" -v c="<$2.cold>:" \
			'$2 == f || $2 == c { on = 1; next } /^$/ { on = 0 } on'
}

# expect OBJECT FUNCTION PATTERN yes|no WHAT
expect() {
	if body "$1" "$2" | grep -qE "$3"; then has=yes; else has=no; fi
	[ "$has" = "$4" ] && ok=1 || ok=0
	result $ok "$5"
}

probe="$build/hardening-probe.o"
mkdir -p "$build"
if ! "$@" -fno-lto -c "$top/scripts/hardening-probe.c" -o "$probe"; then
	result 0 "probe compiles with the profile's CFLAGS"
	echo "$pass passed, $fail failed"
	exit 1
fi
case $profile in
fortress)	b=yes o=yes s=yes c=yes ;;
balanced)	b=yes o=yes s=no c=yes ;;
performance)	b=no o=no s=no c=yes ;;
ludicrous)	b=no o=no s=no c=no ;;
*)		echo "check-hardening: unknown profile $profile" >&2; exit 2 ;;
esac
expect "$probe" probe_bounds 'ud2' $b "out-of-bounds index traps: $b"
expect "$probe" probe_overflow 'ud2' $o "signed overflow traps: $o"
expect "$probe" probe_shift 'ud2' $s "oversized shift traps: $s"
expect "$probe" probe_checked 'checked_index_fail' $c \
	"CHECKED_INDEX checks: $c"

sig="$build/obj/kernel/proc/signal.o"
if [ "$profile" = ludicrous ]; then
	readelf -S "$sig" | grep -q '\.gnu\.lto_' && ok=1 || ok=0
	result $ok "kernel objects are LTO objects (kernel/proc/signal.o)"
else
	expect "$sig" signal_ignored 'ud2' $b \
		"kernel/proc/signal.o signal_ignored(): bounds trap $b"
	expect "$sig" signal_ignored 'checked_index_fail' $c \
		"kernel/proc/signal.o signal_ignored(): CHECKED_INDEX $c"
fi

# The spinlock checks (CONFIG_SPINLOCK_CHECKS, platform/spinlock.c) and
# the mutex checks (CONFIG_MUTEX_CHECKS, kernel/proc/mutex.c) in the
# kernel itself: fortress calls the checkers on every take and give; the
# other profiles take and give inline, with no call to the checker or to
# the lock-order graph anywhere, neither of them nor the graph's tables
# in the kernel, and no out-of-line take or give at all (the contended
# take's spin_wait alone is out of line).
elf="$build/aramid.elf"
case $profile in
fortress)
	expect "$elf" spin_lock_at 'call.*<spin_check_take' yes \
		"spin_lock_at() calls the lock checker"
	expect "$elf" spin_unlock_at 'call.*<spin_check_give' yes \
		"spin_unlock_at() calls the lock checker"
	expect "$elf" mutex_lock_at 'call.*<mutex_check_take' yes \
		"mutex_lock_at() calls the mutex checker"
	expect "$elf" mutex_unlock_at 'call.*<mutex_check_give' yes \
		"mutex_unlock_at() calls the mutex checker"
	;;
*)
	n=$(objdump -d --no-show-raw-insn "$elf" |
		grep -cE 'call[a-z]*[[:space:]]+[0-9a-f]+ <(spin_check_|lockorder_)')
	[ "$n" -eq 0 ] && ok=1 || ok=0
	result $ok "no call to the lock checker or the lock-order graph ($n)"
	nm "$elf" | grep -qE ' (spin_check_|mutex_check_|lock_order_take|order_graph|order_held)' && ok=0 || ok=1
	result $ok "no lock or mutex checker code nor lock-order tables in the kernel"
	nm "$elf" | grep -qE ' (spin_lock_at|spin_lock_irqsave_at|spin_unlock_at|spin_unlock_irqrestore_at)$' &&
		ok=0 || ok=1
	result $ok "spinlock takes and gives are inline (no out-of-line copy)"
	n=$(objdump -d --no-show-raw-insn "$elf" |
		grep -cE 'call[a-z]*[[:space:]]+[0-9a-f]+ <spin_wait>')
	[ "$n" -gt 0 ] && ok=1 || ok=0
	result $ok "the contended take calls spin_wait, out of line ($n)"
	;;
esac
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
