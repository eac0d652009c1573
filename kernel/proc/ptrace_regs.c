/*
 * ptrace(2)'s register requests on a stopped tracee, as Linux's
 * arch/x86 ptrace gives them: PEEKUSER/POKEUSER by struct user offset
 * (u_debugreg through ptrace_debugreg.c),
 * GETREGS/SETREGS (struct user_regs_struct from the saved user frame),
 * GETFPREGS/SETFPREGS (the FXSAVE image) and GETREGSET/SETREGSET of
 * NT_PRSTATUS, NT_PRFPREG and NT_X86_XSTATE (the XSAVE area). The
 * caller checked that the tracee is in a ptrace stop (it is off every
 * CPU); kernel lock held.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <platform/usercopy.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/ptrace.h>
#include <uapi/errno.h>
#include "ptrace_internal.h"

/* The selectors a 64-bit Linux task has (__USER_CS, __USER_DS). */
#define LINUX_USER_CS	0x33
#define LINUX_USER_DS	0x2b
/*
 * The flags a tracer may change, Linux's FLAG_MASK: CF PF AF ZF SF TF DF
 * OF RF AC (RF set past an instruction breakpoint; clear, it hits again).
 */
#define PTRACE_USER_FLAGS	0x50dd5UL

#define REG(name)	offsetof(struct user_regs_struct, name)

/* Where in @tf register @off of struct user_regs_struct lives, or NULL. */
static uint64_t *frame_reg(struct trapframe *tf, size_t off)
{
	switch (off) {
	case REG(r15): return &tf->r15;
	case REG(r14): return &tf->r14;
	case REG(r13): return &tf->r13;
	case REG(r12): return &tf->r12;
	case REG(rbp): return &tf->rbp;
	case REG(rbx): return &tf->rbx;
	case REG(r11): return &tf->r11;
	case REG(r10): return &tf->r10;
	case REG(r9): return &tf->r9;
	case REG(r8): return &tf->r8;
	case REG(rax): return &tf->rax;
	case REG(rcx): return &tf->rcx;
	case REG(rdx): return &tf->rdx;
	case REG(rsi): return &tf->rsi;
	case REG(rdi): return &tf->rdi;
	case REG(rip): return &tf->rip;
	case REG(rsp): return &tf->rsp;
	}
	return NULL;
}

/* Linux's getreg: register @off (8-aligned, in the struct) of @t. */
static uint64_t get_reg(struct task *t, size_t off)
{
	struct trapframe *tf = task_frame(t);
	uint64_t *r = frame_reg(tf, off);

	if (r)
		return *r;
	switch (off) {
	case REG(orig_rax):
		return tf->vector == TRAP_SYSCALL ? (uint64_t)t->syscall_nr :
		       (uint64_t)-1;
	case REG(eflags):
		/* The TF that PTRACE_SINGLESTEP set is the tracer's, unseen. */
		return t->ptrace.singlestep ? tf->rflags & ~RFLAGS_TF :
		       tf->rflags;
	case REG(cs):
		return LINUX_USER_CS;
	case REG(ss):
		return LINUX_USER_DS;
	case REG(fs_base):
		return t->cpu.fs_base;
	}
	return 0;			/* gs_base, ds, es, fs, gs */
}

/* A selector Linux's set_segment_reg takes: EIO for a non-user one. */
static bool selector_invalid(uint64_t v)
{
	return v && (v & 3) != 3;
}

/*
 * Linux's putreg on @t: 0 or -EIO. The segments are those of a 64-bit
 * task (others, which would switch the task to 32-bit mode, are EIO);
 * a zero GS base is the only one there is.
 */
static int put_reg(struct task *t, size_t off, uint64_t v)
{
	struct trapframe *tf = task_frame(t);
	uint64_t *r = frame_reg(tf, off);

	if (r) {
		*r = v;
		return 0;
	}
	switch (off) {
	case REG(orig_rax):
		t->syscall_nr = (long)v;
		return 0;
	case REG(eflags):
		tf->rflags = (tf->rflags & ~PTRACE_USER_FLAGS) |
			     (v & PTRACE_USER_FLAGS);
		if (v & RFLAGS_TF)
			t->ptrace.singlestep = false;	/* the tracer's now */
		return 0;
	case REG(cs):
		return v == LINUX_USER_CS ? 0 : -EIO;
	case REG(ss):
		return v == LINUX_USER_DS ? 0 : -EIO;
	case REG(ds):
	case REG(es):
	case REG(fs):
	case REG(gs):
		return selector_invalid(v) || v ? -EIO : 0;
	case REG(fs_base):
		if (v >= TASK_SIZE)
			return -EIO;
		t->cpu.fs_base = v;
		return 0;
	case REG(gs_base):
		return v ? -EIO : 0;
	}
	return -EIO;
}

/* See ptrace_internal.h. */
void ptrace_user_regs(struct task *t, struct user_regs_struct *u)
{
	uint64_t *w = (uint64_t *)u;

	for (size_t i = 0; i < sizeof(*u) / 8; i++)
		w[i] = get_reg(t, i * 8);
}

/* Set the first @n registers of @u: 0 or the first -EIO (Linux's order). */
static int set_regs(struct task *t, const struct user_regs_struct *u, size_t n)
{
	const uint64_t *w = (const uint64_t *)u;
	int err;

	for (size_t i = 0; i < n; i++) {
		err = put_reg(t, i * 8, w[i]);
		if (err)
			return err;
	}
	return 0;
}

/* See ptrace_internal.h. */
long ptrace_peekuser(struct task *t, uint64_t addr, uptr_t data)
{
	uint64_t v = 0;

	if ((addr & 7) || addr >= USER_SIZE)
		return -EIO;
	if (addr < sizeof(struct user_regs_struct))
		v = get_reg(t, addr);
	else if (addr >= USER_DEBUGREG_OFF)
		v = ptrace_get_debugreg(t, (addr - USER_DEBUGREG_OFF) / 8);
	return put_user(v, data) ? -EFAULT : 0;
}

/* See ptrace_internal.h. */
long ptrace_pokeuser(struct task *t, uint64_t addr, uint64_t data)
{
	if ((addr & 7) || addr >= USER_SIZE)
		return -EIO;
	if (addr < sizeof(struct user_regs_struct))
		return put_reg(t, addr, data);
	if (addr >= USER_DEBUGREG_OFF)
		return ptrace_set_debugreg(t, (addr - USER_DEBUGREG_OFF) / 8, data);
	return -EIO;
}

/* See ptrace_internal.h. */
long ptrace_getregs(struct task *t, uptr_t data, size_t len)
{
	struct user_regs_struct u;

	ptrace_user_regs(t, &u);
	return copy_to_user(data, &u, MIN(len, sizeof(u))) ? -EFAULT : 0;
}

/* See ptrace_internal.h. */
long ptrace_setregs(struct task *t, uptr_t data, size_t len)
{
	struct user_regs_struct u;

	len = MIN(len, sizeof(u));
	if (copy_from_user(&u, data, len))
		return -EFAULT;
	return set_regs(t, &u, len / 8);
}

/* See ptrace_internal.h. */
long ptrace_getfpregs(struct task *t, uptr_t data, size_t len)
{
	uint8_t fx[USER_FPREGS_SIZE];

	cpu_thread_get_fxregs(&t->cpu, fx);
	return copy_to_user(data, fx, MIN(len, sizeof(fx))) ? -EFAULT : 0;
}

/* See ptrace_internal.h. */
long ptrace_setfpregs(struct task *t, uptr_t data, size_t len)
{
	uint8_t fx[USER_FPREGS_SIZE];

	if (len != sizeof(fx))
		return -EINVAL;		/* no partial writes, as Linux */
	if (copy_from_user(fx, data, sizeof(fx)))
		return -EFAULT;
	return cpu_thread_set_fxregs(&t->cpu, fx);
}

/*
 * NT_X86_XSTATE: the first @len bytes of the XSAVE area (get), or all of
 * it (set: any other size is EFAULT, as Linux's xstateregs_set).
 */
static long xstate_regset(struct task *t, bool set, uptr_t data, size_t len)
{
	size_t size = cpu_fpu_size();
	uint8_t *buf;
	long err;

	if (!cpu_fpu_xfeatures())
		return -ENODEV;
	if (set && len != size)
		return -EFAULT;
	buf = kmalloc(size);
	if (!buf)
		return -ENOMEM;
	if (set) {
		err = copy_from_user(buf, data, size) ? -EFAULT :
		      cpu_thread_set_xstate(&t->cpu, buf);
	} else {
		cpu_thread_get_xstate(&t->cpu, buf);
		err = copy_to_user(data, buf, len) ? -EFAULT : 0;
	}
	kfree(buf);
	return err;
}

struct iovec_user {
	uint64_t base, len;
};

/* See ptrace_internal.h. */
long ptrace_regset(struct task *t, bool set, unsigned type, uptr_t uiov)
{
	struct iovec_user iov;
	size_t size;
	long err;

	if (copy_from_user(&iov, uiov, sizeof(iov)))
		return -EFAULT;
	if (type == NT_PRSTATUS)
		size = sizeof(struct user_regs_struct);
	else if (type == NT_PRFPREG)
		size = USER_FPREGS_SIZE;
	else if (type == NT_X86_XSTATE)
		size = cpu_fpu_size();
	else
		return -EINVAL;
	if (iov.len % 8)
		return -EINVAL;
	iov.len = MIN(iov.len, size);
	if (type == NT_PRSTATUS)
		err = set ? ptrace_setregs(t, UPTR(iov.base), iov.len) :
		      ptrace_getregs(t, UPTR(iov.base), iov.len);
	else if (type == NT_PRFPREG)
		err = set ? ptrace_setfpregs(t, UPTR(iov.base), iov.len) :
		      ptrace_getfpregs(t, UPTR(iov.base), iov.len);
	else
		err = xstate_regset(t, set, UPTR(iov.base), iov.len);
	if (err)
		return err;
	return put_user(iov.len, uptr_add(uiov, 8)) ? -EFAULT : 0;
}

/* See ptrace_internal.h. */
long ptrace_syscall_info(struct task *t, uint64_t size, uptr_t data)
{
	const struct ptrace_state *p = &t->ptrace;
	const struct trapframe *tf = task_frame(t);
	struct ptrace_syscall_info info;
	size_t len = offsetof(struct ptrace_syscall_info, entry);
	bool sysgood = p->has_siginfo && p->siginfo.si_code == (SIGTRAP | 0x80);
	bool seccomp = p->has_siginfo &&
		       p->siginfo.si_code == (SIGTRAP | PTRACE_EVENT_SECCOMP << 8);

	memset(&info, 0, sizeof(info));
	info.op = PTRACE_SYSCALL_INFO_NONE;
	info.arch = AUDIT_ARCH_X86_64;
	info.instruction_pointer = tf->rip;
	info.stack_pointer = tf->rsp;
	if (seccomp || (sysgood && p->message == PTRACE_EVENTMSG_SYSCALL_ENTRY)) {
		/* The seccomp stop's is the entry's and the filter's data. */
		info.op = PTRACE_SYSCALL_INFO_ENTRY;
		info.entry.nr = (uint64_t)t->syscall_nr;
		info.entry.args[0] = tf->rdi;
		info.entry.args[1] = tf->rsi;
		info.entry.args[2] = tf->rdx;
		info.entry.args[3] = tf->r10;
		info.entry.args[4] = tf->r8;
		info.entry.args[5] = tf->r9;
		len = offsetof(struct ptrace_syscall_info, entry.args) +
		      sizeof(info.entry.args);
		if (seccomp) {
			info.op = PTRACE_SYSCALL_INFO_SECCOMP;
			info.seccomp.ret_data = (uint32_t)p->message;
			len = offsetof(struct ptrace_syscall_info,
				       seccomp.ret_data) +
			      sizeof(info.seccomp.ret_data);
		}
	} else if (sysgood && p->message == PTRACE_EVENTMSG_SYSCALL_EXIT) {
		info.op = PTRACE_SYSCALL_INFO_EXIT;
		info.exit.rval = (int64_t)tf->rax;
		info.exit.is_error = tf->rax >= (uint64_t)-MAX_ERRNO;
		len = offsetof(struct ptrace_syscall_info, exit.is_error) +
		      sizeof(info.exit.is_error);
	}
	if (copy_to_user(data, &info, MIN(len, size)))
		return -EFAULT;
	return (long)len;
}
