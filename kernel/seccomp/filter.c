/*
 * seccomp filter chains: a new filter copied in, checked and attached
 * to current (and, with TSYNC, to its other threads) with Linux's
 * errors, in Linux's order; the chain shared by fork and kept by exec;
 * running a chain. Kernel lock held throughout.
 */
#include <kernel/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/capability.h>
#include <uapi/errno.h>
#include "seccomp_internal.h"
#include "bpf.h"

/* Linux's MAX_INSNS_PER_PATH: 256 KiB of instructions on any chain. */
#define MAX_INSNS_PER_PATH	((1u << 18) / sizeof(struct sock_filter))

static void filter_put(struct seccomp_filter *f)
{
	while (f && --f->refs == 0) {
		struct seccomp_filter *prev = f->prev;

		kfree(f);
		f = prev;
	}
}

/* See kernel/seccomp.h. */
void seccomp_fork(struct task *c, const struct task *p)
{
	c->seccomp = p->seccomp;
	if (c->seccomp.filter)
		c->seccomp.filter->refs++;
	c->syscall_work |= p->syscall_work & SYSCALL_WORK_SECCOMP;
}

/* See kernel/seccomp.h. */
void seccomp_release(struct task *t)
{
	filter_put(t->seccomp.filter);
	t->seccomp.filter = NULL;
}

/* See kernel/seccomp.h. */
unsigned seccomp_filter_count(const struct task *t)
{
	return t->seccomp.filter ? t->seccomp.filter->count : 0;
}

/* Enter @mode (the work bit, then the mode, as Linux's assign). */
static void assign_mode(struct task *t, int mode)
{
	t->seccomp.mode = mode;
	t->syscall_work |= SYSCALL_WORK_SECCOMP;
}

/* See seccomp_internal.h. */
long seccomp_enter_strict(void)
{
	if (current->seccomp.mode != SECCOMP_MODE_DISABLED)
		return -EINVAL;
	assign_mode(current, SECCOMP_MODE_STRICT);
	return 0;
}

/*
 * A new filter from the struct sock_fprog at @ufprog: copied and
 * checked, one reference, not attached. An error pointer: -EFAULT,
 * -EINVAL (a bad length, a NULL program, a program the verifier
 * refuses), -EACCES (neither no_new_privs nor CAP_SYS_ADMIN), -ENOMEM.
 */
static struct seccomp_filter *filter_prepare(uptr_t ufprog)
{
	struct seccomp_filter *f;
	struct sock_fprog fprog;
	uint16_t *scratch;
	size_t size;
	int err;

	if (copy_from_user(&fprog, ufprog, sizeof(fprog)))
		return ERR_PTR(-EFAULT);
	if (fprog.len == 0 || fprog.len > BPF_MAXINSNS)
		return ERR_PTR(-EINVAL);
	if (!current->no_new_privs && !capable(CAP_SYS_ADMIN))
		return ERR_PTR(-EACCES);
	if (!fprog.filter)
		return ERR_PTR(-EINVAL);	/* Linux's bpf_check_basics_ok */
	size = fprog.len * sizeof(struct sock_filter);
	f = kzalloc(sizeof(*f) + size);
	if (!f)
		return ERR_PTR(-ENOMEM);
	err = -EFAULT;
	if (copy_from_user(f->insns, UPTR(fprog.filter), size))
		goto err_free;
	err = -ENOMEM;
	scratch = kmalloc(fprog.len * sizeof(*scratch));
	if (!scratch)
		goto err_free;
	err = seccomp_bpf_check(f->insns, fprog.len, scratch);
	kfree(scratch);
	if (err)
		goto err_free;
	f->len = fprog.len;
	f->refs = 1;
	return f;

err_free:
	kfree(f);
	return ERR_PTR(err);
}

static bool is_ancestor(const struct seccomp_filter *old,
			const struct seccomp_filter *chain)
{
	if (!old)
		return true;
	for (; chain; chain = chain->prev)
		if (chain == old)
			return true;
	return false;
}

static bool other_thread(const struct task *t)
{
	return t != current && t->tgid == current->tgid &&
	       t->state != TASK_ZOMBIE;
}

/*
 * TSYNC can move every other thread to current's chain if each has no
 * mode yet or filters that current's chain extends: 0, or the tid of
 * the first that cannot move.
 */
static pid_t tsync_blocker(void)
{
	struct task *t;

	for_each_task(t) {
		if (!other_thread(t))
			continue;
		if (t->seccomp.mode == SECCOMP_MODE_DISABLED)
			continue;
		if (t->seccomp.mode == SECCOMP_MODE_FILTER &&
		    is_ancestor(t->seccomp.filter, current->seccomp.filter))
			continue;
		return t->pid;
	}
	return 0;
}

/* Every other thread takes current's chain, and its no_new_privs. */
static void tsync(void)
{
	struct seccomp_filter *f = current->seccomp.filter;
	struct task *t;

	for_each_task(t) {
		if (!other_thread(t))
			continue;
		f->refs++;
		filter_put(t->seccomp.filter);
		t->seccomp.filter = f;
		if (current->no_new_privs)
			t->no_new_privs = true;
		if (t->seccomp.mode == SECCOMP_MODE_DISABLED)
			assign_mode(t, SECCOMP_MODE_FILTER);
	}
}

/* Attach prepared @f to current's chain: 0 or -errno (f not taken). */
static long filter_attach(unsigned flags, struct seccomp_filter *f)
{
	struct seccomp_filter *w;
	unsigned long total = f->len;
	pid_t blocker;

	for (w = current->seccomp.filter; w; w = w->prev)
		total += w->len + 4;	/* Linux's penalty per filter */
	if (total > MAX_INSNS_PER_PATH)
		return -ENOMEM;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC) {
		blocker = tsync_blocker();
		if (blocker)
			return flags & SECCOMP_FILTER_FLAG_TSYNC_ESRCH ?
			       -ESRCH : blocker;
	}
	f->log = flags & SECCOMP_FILTER_FLAG_LOG;
	f->prev = current->seccomp.filter;
	f->count = f->prev ? f->prev->count + 1 : 1;
	current->seccomp.filter = f;
	if (flags & SECCOMP_FILTER_FLAG_TSYNC)
		tsync();
	assign_mode(current, SECCOMP_MODE_FILTER);
	return 0;
}

/* See seccomp_internal.h. */
long seccomp_install_filter(unsigned flags, uptr_t ufprog)
{
	struct seccomp_filter *f = filter_prepare(ufprog);
	long err;

	if (IS_ERR(f))
		return PTR_ERR(f);
	err = -EINVAL;
	if (current->seccomp.mode != SECCOMP_MODE_DISABLED &&
	    current->seccomp.mode != SECCOMP_MODE_FILTER)
		goto err_put;
	err = filter_attach(flags, f);
	if (err)
		goto err_put;
	return 0;

err_put:
	filter_put(f);
	return err;
}

/* See seccomp_internal.h. */
uint32_t seccomp_run_filters(const struct seccomp_data *sd,
			     const struct seccomp_filter **match)
{
	const struct seccomp_filter *f = current->seccomp.filter;
	uint32_t ret = SECCOMP_RET_ALLOW;

	*match = f;
	/* The lowest action as a signed number wins: KILL_PROCESS first. */
	for (; f; f = f->prev) {
		uint32_t r = seccomp_bpf_run(f->insns, sd);

		if ((int32_t)(r & SECCOMP_RET_ACTION_FULL) <
		    (int32_t)(ret & SECCOMP_RET_ACTION_FULL)) {
			ret = r;
			*match = f;
		}
	}
	return ret;
}
