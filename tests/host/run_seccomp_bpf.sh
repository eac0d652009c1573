#!/bin/sh
# Host unit test of seccomp's classic BPF verifier and interpreter
# (kernel/seccomp/bpf.c) under AddressSanitizer and UBSan.
set -eu
cd "$(dirname "$0")/../.."
out=build/host-tests
mkdir -p "$out"
gcc -std=gnu11 -g -O1 -Wall -Wextra -Werror \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -o "$out/seccomp_bpf_test" tests/host/seccomp_bpf_test.c \
	kernel/seccomp/bpf.c
"$out/seccomp_bpf_test"
