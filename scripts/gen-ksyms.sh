#!/bin/sh
# Emit assembly for the kernel symbol table (struct ksym, platform/panic.c)
# from a first-pass link: text symbols sorted by address.
set -eu
nm -n "$1" | awk '
$2 ~ /^[tTwW]$/ && $3 !~ /^\./ { addr[n] = $1; name[n] = $3; n++ }
END {
	print "\t.section .ksymtab, \"a\""
	for (i = 0; i < n; i++)
		printf "\t.quad 0x%s, .Lsym%d\n", addr[i], i
	print "\t.section .rodata.ksymstr, \"a\""
	for (i = 0; i < n; i++)
		printf ".Lsym%d:\t.asciz \"%s\"\n", i, name[i]
}'
