/*
 * System call registration. Each handler is defined next to the code it
 * belongs to with SYSCALL(nr, name); kernel/syscall/syscall.c gathers them from
 * the .syscalls section into the dispatch table at boot.
 *
 * Handlers take up to six `long` arguments and return a value or -errno.
 * Convert user pointers with UPTR(arg).
 */
#pragma once
#include <aramid/compiler.h>
#include <uapi/errno.h>
#include <uapi/syscalls.h>

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

struct syscall_entry {
	unsigned nr;
	const char *name;
	syscall_fn_t fn;
};

#define SYSCALL(nr_, name_)						\
	static long sys_##name_(long, long, long, long, long, long);	\
	static const struct syscall_entry __syscall_##name_		\
		__section(".syscalls") __used __aligned(8) = {		\
		.nr = (nr_), .name = #name_, .fn = sys_##name_,		\
	};								\
	static long sys_##name_

/*
 * Example:
 *	SYSCALL(__NR_getpid, getpid)(long a0, long a1, long a2, long a3,
 *				     long a4, long a5)
 * Handlers name only the arguments they use through SYSCALL_ARGS:
 */
#define SYSCALL_ARGS long a0, long a1, long a2, long a3, long a4, long a5

/*
 * Build the dispatch table from the SYSCALL() entries
 * (kernel/syscall/syscall.c). Once, at boot, before the first user
 * program; panics on a bad or duplicate entry.
 */
void syscall_table_init(void);

/*
 * Copy an extensible struct of @usize user bytes at @src into @dst of
 * @ksize (Linux's copy_struct_from_user): a shorter one is zero-extended,
 * a longer one must be zero past @ksize. 0, -E2BIG or -EFAULT.
 * Process context.
 */
int copy_struct_from_user(void *dst, size_t ksize, uptr_t src, size_t usize);
