#!/bin/sh
# After the two-pass kernel link (Makefile): the symbol table embedded by
# the second pass describes the second image only if no text symbol moved
# between the passes, and it must describe functions at all (an LTO link
# that dropped or renamed them would leave backtraces unsymbolized).
#   check-ksyms.sh PASS1.elf FINAL.elf
set -eu
text() {	# address and name of each text symbol, as gen-ksyms.sh takes them
	nm -n "$1" | awk '$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { print $1, $3 }'
}
text "$1" > "$2.syms1"
text "$2" > "$2.syms2"
n=$(wc -l < "$2.syms2")
status=0
if [ "$n" -lt 100 ]; then
	echo "check-ksyms: only $n text symbols in $2" >&2
	status=1
elif ! cmp -s "$2.syms1" "$2.syms2"; then
	echo "check-ksyms: text symbols moved between the link passes:" >&2
	diff "$2.syms1" "$2.syms2" | head -n 10 >&2
	status=1
fi
rm -f "$2.syms1" "$2.syms2"
exit $status
