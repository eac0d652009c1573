/*
 * Private to kernel/seccomp/: the classic BPF verifier and interpreter
 * a seccomp filter runs on (bpf.c). Pure functions of their arguments:
 * no locks, no allocation, also built by the host unit test.
 */
#pragma once
#include <uapi/seccomp.h>

/*
 * Check the @len (1..BPF_MAXINSNS) instructions of @prog as Linux's
 * bpf_check_classic and seccomp_check_filter do: only the opcodes a
 * seccomp filter may use, word loads of struct seccomp_data at aligned
 * offsets inside it, no division by a constant 0, shifts by a constant
 * below 32, scratch words below BPF_MEMWORDS and stored before every
 * load of them on each path, jumps forward inside the program, a RET
 * last. @scratch holds @len entries. 0 or -EINVAL.
 */
int seccomp_bpf_check(const struct sock_filter *prog, unsigned len,
		      uint16_t *scratch);

/* Run @prog, checked by seccomp_bpf_check, on @data: its return value. */
uint32_t seccomp_bpf_run(const struct sock_filter *prog,
			 const struct seccomp_data *data);
