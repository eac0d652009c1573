#!/bin/sh
# Host unit test of the partition scan (GPT and MBR parsers) against a
# disk in memory, with seeded random damage to its tables, under
# AddressSanitizer and UBSan.
set -eu
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -DPROFILE_BALANCED -o "$out/part_test" tests/host/part_test.c \
	kernel/block/part_scan.c kernel/block/part_efi.c \
	kernel/block/part_mbr.c kernel/block/crc32.c
"$out/part_test"
