/*
 * seccomp(2)'s ABI on x86-64 (Linux's linux/seccomp.h, linux/filter.h,
 * linux/audit.h): the operations, modes, filter flags and actions, the
 * classic BPF program a filter is, and struct seccomp_data, the input
 * every filter reads.
 */
#pragma once
#include <aramid/types.h>
#include <uapi/audit.h>

#define SECCOMP_MODE_DISABLED		0
#define SECCOMP_MODE_STRICT		1
#define SECCOMP_MODE_FILTER		2

#define SECCOMP_SET_MODE_STRICT		0
#define SECCOMP_SET_MODE_FILTER		1
#define SECCOMP_GET_ACTION_AVAIL	2
#define SECCOMP_GET_NOTIF_SIZES		3

#define SECCOMP_FILTER_FLAG_TSYNC		(1u << 0)
#define SECCOMP_FILTER_FLAG_LOG			(1u << 1)
#define SECCOMP_FILTER_FLAG_SPEC_ALLOW		(1u << 2)
#define SECCOMP_FILTER_FLAG_NEW_LISTENER	(1u << 3)
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH		(1u << 4)
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1u << 5)

#define SECCOMP_RET_KILL_PROCESS	0x80000000u
#define SECCOMP_RET_KILL_THREAD		0x00000000u
#define SECCOMP_RET_TRAP		0x00030000u
#define SECCOMP_RET_ERRNO		0x00050000u
#define SECCOMP_RET_USER_NOTIF		0x7fc00000u
#define SECCOMP_RET_TRACE		0x7ff00000u
#define SECCOMP_RET_LOG			0x7ffc0000u
#define SECCOMP_RET_ALLOW		0x7fff0000u
#define SECCOMP_RET_ACTION_FULL		0xffff0000u
#define SECCOMP_RET_DATA		0x0000ffffu

/* SIGSYS's si_code for a TRAP. */
#define SYS_SECCOMP			1

/* The x32 ABI's calls: the number with this bit, arch still x86-64. */
#define X32_SYSCALL_BIT			0x40000000u

struct seccomp_data {
	int32_t nr;
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t args[6];
};
_Static_assert(sizeof(struct seccomp_data) == 64, "seccomp_data");

/* Classic BPF (linux/filter.h, linux/bpf_common.h). */
struct sock_filter {
	uint16_t code;
	uint8_t jt;
	uint8_t jf;
	uint32_t k;
};

struct sock_fprog {
	uint16_t len;
	uint16_t _pad[3];
	uint64_t filter;		/* user address of len sock_filters */
};
_Static_assert(sizeof(struct sock_fprog) == 16, "sock_fprog");

#define BPF_MAXINSNS	4096
#define BPF_MEMWORDS	16

#define BPF_CLASS(c)	((c) & 0x07)
#define BPF_LD		0x00
#define BPF_LDX		0x01
#define BPF_ST		0x02
#define BPF_STX		0x03
#define BPF_ALU		0x04
#define BPF_JMP		0x05
#define BPF_RET		0x06
#define BPF_MISC	0x07

#define BPF_SIZE(c)	((c) & 0x18)
#define BPF_W		0x00
#define BPF_H		0x08
#define BPF_B		0x10
#define BPF_MODE(c)	((c) & 0xe0)
#define BPF_IMM		0x00
#define BPF_ABS		0x20
#define BPF_IND		0x40
#define BPF_MEM		0x60
#define BPF_LEN		0x80
#define BPF_MSH		0xa0

#define BPF_OP(c)	((c) & 0xf0)
#define BPF_ADD		0x00
#define BPF_SUB		0x10
#define BPF_MUL		0x20
#define BPF_DIV		0x30
#define BPF_OR		0x40
#define BPF_AND		0x50
#define BPF_LSH		0x60
#define BPF_RSH		0x70
#define BPF_NEG		0x80
#define BPF_MOD		0x90
#define BPF_XOR		0xa0

#define BPF_JA		0x00
#define BPF_JEQ		0x10
#define BPF_JGT		0x20
#define BPF_JGE		0x30
#define BPF_JSET	0x40

#define BPF_SRC(c)	((c) & 0x08)
#define BPF_K		0x00
#define BPF_X		0x08

#define BPF_RVAL(c)	((c) & 0x18)
#define BPF_A		0x10

#define BPF_MISCOP(c)	((c) & 0xf8)
#define BPF_TAX		0x00
#define BPF_TXA		0x80
