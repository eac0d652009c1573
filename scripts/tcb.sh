#!/bin/sh
# make tcb PROFILE=p: the share of the kernel's source lines that is
# trusted in profile p, measured from this source tree.
#
# Counted: non-blank, non-comment lines of C and assembly (*.c, *.S,
# *.h) in platform/, kernel/, services/, lib/ and include/. Not counted:
# test-only code (services/fs/faultfs, built only with FAULT_INJECT=1),
# tests/, scripts/.
#
# Trusted = code whose memory safety no mechanism of the profile checks
# at run time, so a memory bug in it goes unnoticed until it corrupts
# something:
#   - platform/ and include/platform/, in every profile: the only home of
#     inline asm, physical-memory pointers and raw user addresses (the
#     source lint, scripts/check-layers.sh, keeps them there). The
#     compiler's bounds traps cannot see through those pointers.
#   - fortress: nothing else. The rest is compiled with bounds, overflow
#     and shift traps and the stack protector, reaches user memory only
#     through the checked copy routines (uptr_t, access_ok) and frames
#     only through copy operations, and services run contained.
#   - balanced: also every file outside platform/ that takes a direct
#     pointer to a page frame (frame_map(), declared in every profile but
#     fortress): bounds traps do not cover that pointer arithmetic. The
#     rest keeps the bounds traps, stack protector and containment.
#   - performance: everything. It is compiled without any run-time check
#     (plain -O2) and services are not contained; what it keeps over
#     ludicrous is access_ok() on user pointers and CHECKED_INDEX at the
#     system call, signal, rlimit and descriptor tables, which check the
#     values user space passes, not the kernel's own accesses.
#   - ludicrous: everything, and user space too is trusted (no access_ok).
# The "raw-memory code" figure (platform/ plus direct frame pointers) is
# printed for every profile, as what the lint alone confines.
# lwIP, the network service's stack, is third-party code compiled into the
# kernel: its compiled files (given as LWIP_FILES) are counted in a second
# figure, as services/ code (checked in fortress and balanced).
#   tcb.sh PROFILE
set -eu
profile=$1
cd "$(dirname "$0")/.."

# strip FILE...: the lines of the files with /* */ and // comments blanked.
strip() {
	awk '
	FNR == 1 { incomment = 0 }
	{
		line = $0; out = ""
		while (line != "") {
			if (incomment) {
				i = index(line, "*/")
				if (!i) { line = ""; break }
				line = substr(line, i + 2); incomment = 0
				continue
			}
			i = index(line, "/*"); j = index(line, "//")
			if (j && (!i || j < i)) {
				out = out substr(line, 1, j - 1); break
			}
			if (i) {
				out = out substr(line, 1, i - 1)
				line = substr(line, i + 2); incomment = 1
				continue
			}
			out = out line; line = ""
		}
		print out
	}' "$@"
}

count() {	# file...: how many non-blank, non-comment lines they have
	if [ $# -eq 0 ]; then
		echo 0
	else
		strip "$@" | grep -c '[^[:space:]]' || true
	fi
}

sources() {	# dir...: the counted files under the directories
	find "$@" -name '*.[chS]' -not -path 'services/fs/faultfs/*' | sort
}

platform=$(sources platform include/platform)
rest=$(sources kernel services lib include/aramid include/kernel include/svc include/uapi)
direct=$(for f in $rest; do
	strip "$f" | grep -qw frame_map && echo "$f"
done || true)

n_platform=$(count $platform)
n_rest=$(count $rest)
n_direct=$(count $direct)
total=$((n_platform + n_rest))
raw=$((n_platform + n_direct))

case $profile in
fortress)	trusted=$n_platform
		rule="platform/ only" ;;
balanced)	trusted=$raw
		rule="platform/ and direct frame pointers in: ${direct:-none}"
		rule=$(echo $rule) ;;
performance|ludicrous)
		trusted=$total
		rule="everything: no run-time check of the kernel's own accesses" ;;
*)		echo "tcb: unknown profile $profile" >&2; exit 2 ;;
esac

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * a / b }'; }
echo "profile $profile: trusted $trusted of $total lines ($(pct $trusted $total)): $rule"
echo "  platform/: $n_platform lines ($(pct $n_platform $total));" \
	"raw-memory code (platform/ + direct frame pointers): $raw ($(pct $raw $total))"
if [ -n "${LWIP_FILES:-}" ]; then
	# shellcheck disable=SC2086
	n_lwip=$(count $LWIP_FILES)
	case $profile in
	performance|ludicrous) trusted=$((total + n_lwip)) ;;
	esac
	echo "  with lwIP's $n_lwip compiled lines: trusted $trusted of" \
		"$((total + n_lwip)) ($(pct $trusted $((total + n_lwip))))"
fi
