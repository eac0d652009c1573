#!/bin/sh
# Host unit test of the sparse page index (kernel/mm/page_index.c) under
# AddressSanitizer and UBSan, against a reference model and with every
# allocation failing in turn.
set -eu
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -o "$out/page_index_test" tests/host/page_index_test.c \
	kernel/mm/page_index.c
"$out/page_index_test"
