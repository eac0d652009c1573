#!/bin/sh
# Compilation tests: compile each case with the kernel's own CFLAGS for a
# profile (taken from the Makefile) and check the outcome.
#   frame_map_fortress.c  uses frame_map(): fortress must reject it, with
#                         the error naming frame_map; balanced, performance
#                         and ludicrous must accept it (the control).
# Prints one PASS/FAIL line per case and "N passed, N failed"; exits
# non-zero on any failure.
set -u
cd "$(dirname "$0")/../.."
out=build/compile-tests
mkdir -p "$out"
pass=0
fail=0

# The CFLAGS the kernel build uses for profile $1.
cflags() {
	make -s --no-print-directory PROFILE="$1" \
		--eval 'print-cflags: ; @echo $(CFLAGS)' print-cflags
}

# expect PROFILE SOURCE accept|reject: compile and compare.
expect() {
	profile=$1 src=$2 want=$3
	name=$(basename "$src" .c)
	log="$out/$name-$profile.log"
	flags=$(cflags "$profile")
	if [ -z "$flags" ]; then
		echo "FAIL compile: $name ($profile): no CFLAGS from the Makefile"
		fail=$((fail + 1))
		return
	fi
	if gcc $flags -c "$src" -o "$out/$name-$profile.o" >"$log" 2>&1; then
		got=accept
	elif grep -q "frame_map" "$log"; then
		got=reject
	else
		got="reject for another reason"
	fi
	if [ "$got" = "$want" ]; then
		echo "PASS compile: $name ($profile): ${want}ed"
		pass=$((pass + 1))
	else
		echo "FAIL compile: $name ($profile): got $got, expected $want"
		sed -n 1,10p "$log"
		fail=$((fail + 1))
	fi
}

expect fortress tests/compile/frame_map_fortress.c reject
expect balanced tests/compile/frame_map_fortress.c accept
expect performance tests/compile/frame_map_fortress.c accept
expect ludicrous tests/compile/frame_map_fortress.c accept

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
