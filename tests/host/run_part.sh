#!/bin/sh
# Host unit test of the partition scan (GPT and MBR parsers) against a
# disk in memory, with seeded random damage to its tables.
exec sh "$(dirname "$0")/unit.sh" part_test -DPROFILE_BALANCED \
	-Wno-unused-parameter kernel/block/part_scan.c kernel/block/part_efi.c \
	kernel/block/part_mbr.c kernel/block/crc32.c \
	kernel/block/blk_transfer.c
