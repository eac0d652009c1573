/*
 * Robust futexes, as Linux 6.1's kernel/futex/core.c: set_robust_list,
 * get_robust_list, and the walk of a thread's list as it exits or execs
 * (glibc's robust mutexes rely on it). Each entry of the user-space list
 * is a lock whose word sits futex_offset bytes on; bit 0 of a link marks
 * a PI lock. A word that holds the thread's tid becomes FUTEX_OWNER_DIED
 * (keeping FUTEX_WAITERS), and one waiter of a non-PI lock is woken; PI
 * locks pass to their first waiter (futex_pi.c).
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <uapi/capability.h>
#include "proc_internal.h"
#include "futex_internal.h"

#define ROBUST_LIST_LIMIT	2048

struct robust_list_head {
	uint64_t next;			/* the first entry, or the head */
	int64_t futex_offset;		/* entry to its futex word */
	uint64_t list_op_pending;	/* the lock being taken or released */
};

/* set_robust_list(head, len): 0, or -EINVAL for a size not Linux's. */
SYSCALL(__NR_set_robust_list, set_robust_list)(SYSCALL_ARGS)
{
	if ((size_t)a1 != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = UPTR(a0);
	return 0;
}

/* Linux's ptrace_may_access(PTRACE_MODE_READ_REALCREDS) on the creds. */
static bool may_inspect(const struct task *t)
{
	const struct cred *c = &current->cred, *tc = &t->cred;

	if (t->tgid == current->tgid)
		return true;
	if (c->uid == tc->euid && c->uid == tc->suid && c->uid == tc->uid &&
	    c->gid == tc->egid && c->gid == tc->sgid && c->gid == tc->gid)
		return true;
	return capable(CAP_SYS_PTRACE);
}

/* get_robust_list(pid, head_ptr, len_ptr): 0 or -errno. */
SYSCALL(__NR_get_robust_list, get_robust_list)(SYSCALL_ARGS)
{
	struct task *t = (pid_t)a0 ? task_find_vpid((pid_t)a0) : current;
	uint64_t head, len = sizeof(struct robust_list_head);

	if (!t)
		return -ESRCH;
	if (!may_inspect(t))
		return -EPERM;
	head = uptr_to_ulong(t->robust_list);
	if (put_user(len, UPTR(a2)))
		return -EFAULT;
	return put_user(head, UPTR(a1)) ? -EFAULT : 0;
}

/* A link of the list: the entry in *@entry, its PI bit in *@pi. */
static int fetch_entry(uptr_t link, uint64_t *entry, bool *pi)
{
	uint64_t v;

	if (get_user(v, link))
		return -EFAULT;
	*entry = v & ~1ull;
	*pi = v & 1;
	return 0;
}

/*
 * The lock at @uaddr of dying current (Linux's handle_futex_death); a
 * pending lock with no owner yet wakes a waiter that may be owed the
 * wake-up. -1 stops the walk.
 */
static int futex_death(uptr_t uaddr, bool pi, bool pending)
{
	uint32_t uval, cur;

	if (futex_misaligned(uaddr) || get_user(uval, uaddr))
		return -1;
	if (pending && !pi && !(uval & FUTEX_TID_MASK)) {
		futex_wake(uaddr, 1, false);
		return 0;
	}
	if ((uval & FUTEX_TID_MASK) != (uint32_t)task_vnr(current))
		return 0;
	if (futex_cmpxchg(uaddr, uval, (uval & FUTEX_WAITERS) |
			  FUTEX_OWNER_DIED, &cur))
		return -1;
	if (!pi && (uval & FUTEX_WAITERS))
		futex_wake(uaddr, 1, false);
	return 0;
}

/* Walk current's robust list (Linux's exit_robust_list). */
static void robust_list_exit(uptr_t head)
{
	struct robust_list_head h;
	uint64_t entry, next, pending;
	bool pi, next_pi, pending_pi;
	unsigned limit = ROBUST_LIST_LIMIT;
	int err;

	if (get_user(h, head) ||
	    fetch_entry(head, &entry, &pi) ||
	    fetch_entry(uptr_add(head, offsetof(struct robust_list_head,
						list_op_pending)),
			&pending, &pending_pi))
		return;
	while (entry != uptr_to_ulong(head)) {
		err = fetch_entry(UPTR(entry), &next, &next_pi);
		if (entry != pending &&
		    futex_death(UPTR(entry + h.futex_offset), pi, false))
			return;
		if (err)
			return;
		entry = next;
		pi = next_pi;
		if (!--limit)
			break;
	}
	if (pending)
		futex_death(UPTR(pending + h.futex_offset), pending_pi, true);
}

/* See proc_internal.h. */
void futex_exit(struct task *t)
{
	if (!uptr_null(t->robust_list))
		robust_list_exit(t->robust_list);
	t->robust_list = UPTR(0);
	futex_pi_exit(t);
}
