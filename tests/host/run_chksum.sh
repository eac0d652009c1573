#!/bin/sh
# Host unit test of the network service's Internet checksum
# (services/net/chksum.c) under AddressSanitizer and UBSan.
set -eu
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -o "$out/chksum_test" tests/host/chksum_test.c \
	services/net/chksum.c
"$out/chksum_test"
