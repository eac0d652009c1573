#!/bin/sh
# Host unit test of seccomp's classic BPF verifier and interpreter
# (kernel/seccomp/bpf.c).
exec sh "$(dirname "$0")/unit.sh" seccomp_bpf_test kernel/seccomp/bpf.c
