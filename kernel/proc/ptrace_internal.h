/*
 * The parts of ptrace(2)'s requests that kernel/proc/ptrace.c hands to
 * ptrace_regs.c: each on tracee @t in a ptrace stop of current's,
 * kernel lock held, returning 0 or Linux's -errno for the request.
 */
#pragma once
#include <aramid/types.h>

struct task;
struct user_regs_struct;

/*
 * @t's user registers as GETREGS gives them, from its saved user frame:
 * @t is off every CPU in a stop or its exit, or is current in the kernel
 * (a core dump's threads). Kernel lock held.
 */
void ptrace_user_regs(struct task *t, struct user_regs_struct *u);

/* PEEKUSER: the word at struct user offset @addr to *@data. */
long ptrace_peekuser(struct task *t, uint64_t addr, uptr_t data);
/* POKEUSER: @data to struct user offset @addr. */
long ptrace_pokeuser(struct task *t, uint64_t addr, uint64_t data);
/*
 * u_debugreg[@n] (ptrace_debugreg.c): read (DR4, DR5: 0), and written as
 * Linux checks it: 0, -EINVAL, or -EIO for DR4 and DR5.
 */
uint64_t ptrace_get_debugreg(struct task *t, unsigned n);
int ptrace_set_debugreg(struct task *t, unsigned n, uint64_t v);
/* GETREGS/SETREGS: the first @len bytes of struct user_regs_struct. */
long ptrace_getregs(struct task *t, uptr_t data, size_t len);
long ptrace_setregs(struct task *t, uptr_t data, size_t len);
/* GETFPREGS/SETFPREGS: @len bytes of the FXSAVE image (set: all 512). */
long ptrace_getfpregs(struct task *t, uptr_t data, size_t len);
long ptrace_setfpregs(struct task *t, uptr_t data, size_t len);
/* GETREGSET (@set false) or SETREGSET of note @type through iovec @uiov. */
long ptrace_regset(struct task *t, bool set, unsigned type, uptr_t uiov);
/*
 * PTRACE_GET_SYSCALL_INFO: what the stop tells of a system call (an
 * entry or exit stop under TRACESYSGOOD), up to @size bytes to @data:
 * the size of the whole answer, or -EFAULT.
 */
long ptrace_syscall_info(struct task *t, uint64_t size, uptr_t data);
