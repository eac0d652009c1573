/*
 * Restartable sequences, as Linux 6.1's kernel/rseq.c. A thread registers
 * a 32-byte struct rseq in its own memory (glibc does it for every thread
 * it starts). Before the thread runs user code again after it was
 * switched out, moved to another CPU or interrupted by a signal, the
 * kernel writes the CPU it now runs on into the area's cpu_id fields and,
 * if the thread stopped inside the critical section that the area's
 * rseq_cs field describes, sends it to the section's abort address
 * instead (the four bytes before it must hold the registered signature).
 * A fault on the area or a malformed descriptor is SIGSEGV, as on Linux.
 */
#include <kernel/rseq.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <kernel/mm.h>
#include <platform/cpu.h>
#include <platform/smp.h>
#include <platform/printk.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>

/* The registered area: Linux 6.1's struct rseq, 32 bytes, 32-aligned. */
struct rseq_area {
	uint32_t cpu_id_start;
	uint32_t cpu_id;
	uint64_t rseq_cs;		/* the user address of a struct rseq_cs */
	uint32_t flags;			/* deprecated: must be 0 */
	uint32_t pad[3];
};
_Static_assert(sizeof(struct rseq_area) == 32, "Linux's struct rseq");

/* A critical section's descriptor. */
struct rseq_cs {
	uint32_t version;		/* 0 */
	uint32_t flags;			/* deprecated: must be 0 */
	uint64_t start_ip;
	uint64_t post_commit_offset;	/* the section is [start, start + this) */
	uint64_t abort_ip;
};

#define RSEQ_FLAG_UNREGISTER		1
#define RSEQ_CPU_ID_UNINITIALIZED	((uint32_t)-1)

static uptr_t field(const struct task *t, size_t offset)
{
	return uptr_add(t->rseq, offset);
}

static int write_cpu_id(struct task *t, uint32_t start, uint32_t id)
{
	uint32_t ids[2] = { start, id };

	return copy_to_user(field(t, offsetof(struct rseq_area, cpu_id_start)),
			    ids, sizeof(ids));
}

static int clear_cs(struct task *t)
{
	uint64_t zero = 0;

	return put_user(zero, field(t, offsetof(struct rseq_area, rseq_cs)));
}

/* Read and check the descriptor rseq_cs names; a null one reads as empty. */
static int read_cs(struct task *t, struct rseq_cs *cs)
{
	static bool warned;
	uint64_t ptr;
	uint32_t sig;

	if (get_user(ptr, field(t, offsetof(struct rseq_area, rseq_cs))))
		return -EFAULT;
	if (!ptr) {
		memset(cs, 0, sizeof(*cs));
		return 0;
	}
	if (ptr >= TASK_SIZE)
		return -EINVAL;
	if (copy_from_user(cs, UPTR(ptr), sizeof(*cs)))
		return -EFAULT;
	if (cs->start_ip >= TASK_SIZE || cs->abort_ip >= TASK_SIZE ||
	    cs->start_ip + cs->post_commit_offset >= TASK_SIZE ||
	    cs->start_ip + cs->post_commit_offset < cs->start_ip ||
	    cs->version > 0)
		return -EINVAL;
	/* The abort address may not lie inside the section. */
	if (cs->abort_ip - cs->start_ip < cs->post_commit_offset)
		return -EINVAL;
	if (get_user(sig, UPTR(cs->abort_ip - sizeof(sig))))
		return -EFAULT;
	if (sig != t->rseq_sig) {
		if (!warned) {
			warned = true;
			pr_warn("Possible attack attempt. Unexpected rseq "
				"signature 0x%x, expecting 0x%x (pid=%d, "
				"addr=%lx).", sig, t->rseq_sig, t->pid,
				(unsigned long)(cs->abort_ip - sizeof(sig)));
		}
		return -EINVAL;
	}
	return 0;
}

/* Send @tf to the abort address if it stopped inside the section. */
static int fixup_ip(struct task *t, struct trapframe *tf)
{
	struct rseq_cs cs;
	uint32_t flags;
	int err = read_cs(t, &cs);

	if (err)
		return err;
	if (tf->rip - cs.start_ip >= cs.post_commit_offset)
		return clear_cs(t);	/* outside: forget the descriptor */
	if (get_user(flags, field(t, offsetof(struct rseq_area, flags))))
		return -EFAULT;
	if (cs.flags || flags)
		return -EINVAL;		/* the NO_RESTART flags are gone */
	if (!t->rseq_event)
		return 0;
	t->rseq_event = false;
	err = clear_cs(t);
	if (err)
		return err;
	tf->rip = cs.abort_ip;
	return 0;
}

static int rseq_update(struct task *t, struct trapframe *tf)
{
	int err = fixup_ip(t, tf);

	if (!err)
		err = write_cpu_id(t, cpu_this(), cpu_this());
	return err;
}

void rseq_resume(struct trapframe *tf)
{
	struct task *t = current;

	t->rseq_notify = false;
	if (!uptr_null(t->rseq) && rseq_update(t, tf))
		force_sigsegv(0);
}

void rseq_signal_deliver(int sig, struct trapframe *tf)
{
	struct task *t = current;

	if (uptr_null(t->rseq))
		return;
	t->rseq_event = true;
	if (rseq_update(t, tf))
		force_sigsegv(sig);
}

void rseq_fork(struct task *c, bool shares_vm)
{
	struct task *p = current;

	if (shares_vm) {
		c->rseq = UPTR(0);
		c->rseq_sig = 0;
		c->rseq_event = false;
	} else {
		c->rseq = p->rseq;
		c->rseq_sig = p->rseq_sig;
	}
	/* Where it first runs is a migration, as Linux's wake_up_new_task. */
	c->rseq_event = c->rseq_notify = !uptr_null(c->rseq);
}

void rseq_exec(struct task *t)
{
	t->rseq = UPTR(0);
	t->rseq_sig = 0;
	t->rseq_event = t->rseq_notify = false;
}

/*
 * rseq(area, len, flags, sig): register @area for the calling thread, or
 * with RSEQ_FLAG_UNREGISTER end the registration (the same area, length
 * and signature), in Linux 6.1's order of checks (Debian's 6.1 also reads
 * and clears rseq_cs at registration: EFAULT for an unmapped area).
 */
SYSCALL(__NR_rseq, rseq)(SYSCALL_ARGS)
{
	struct task *t = current;
	uptr_t area = UPTR(a0);
	uint32_t len = (uint32_t)a1, sig = (uint32_t)a3;
	int flags = (int)a2;

	if (flags & RSEQ_FLAG_UNREGISTER) {
		if (flags & ~RSEQ_FLAG_UNREGISTER)
			return -EINVAL;
		if (uptr_null(t->rseq) || !uptr_eq(t->rseq, area) ||
		    len != sizeof(struct rseq_area))
			return -EINVAL;
		if (sig != t->rseq_sig)
			return -EPERM;
		if (write_cpu_id(t, 0, RSEQ_CPU_ID_UNINITIALIZED))
			return -EFAULT;
		rseq_exec(t);
		return 0;
	}
	if (flags)
		return -EINVAL;
	if (!uptr_null(t->rseq)) {
		if (!uptr_eq(t->rseq, area) || len != sizeof(struct rseq_area))
			return -EINVAL;
		return sig != t->rseq_sig ? -EPERM : -EBUSY;
	}
	if (uptr_to_ulong(area) % sizeof(struct rseq_area) ||
	    len != sizeof(struct rseq_area))
		return -EINVAL;
	if (!access_ok(area, len))
		return -EFAULT;
	/* A descriptor left from an earlier thread would be trusted: clear it. */
	uptr_t cs = uptr_add(area, offsetof(struct rseq_area, rseq_cs));
	uint64_t ptr, zero = 0;

	if (get_user(ptr, cs) || (ptr && put_user(zero, cs)))
		return -EFAULT;
	t->rseq = area;
	t->rseq_sig = sig;
	t->rseq_notify = true;	/* cpu_id before the caller's next step */
	return 0;
}
