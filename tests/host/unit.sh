#!/bin/sh
# unit.sh TEST [GCC-OPTION...] SOURCE...: build the host unit test
# tests/host/TEST.c with the kernel's SOURCE files (and any extra gcc
# options) under AddressSanitizer and UBSan (any finding stops it), and
# run it. The run_*.sh scripts call it, one per test.
set -eu
cd "$(dirname "$0")/../.."
test=$1
shift
out=build/host-tests
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -o "$out/$test" "tests/host/$test.c" "$@"
"$out/$test"
