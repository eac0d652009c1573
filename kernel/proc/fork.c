/*
 * Process and thread creation: fork, vfork and clone. A new process gets
 * a copy-on-write copy of the address space, or shares it for
 * CLONE_VM|CLONE_VFORK until it execs or exits; a new thread
 * (CLONE_THREAD) joins its creator's process and shares what the flags
 * say (CLONE_VM, CLONE_FILES, CLONE_FS, CLONE_SIGHAND).
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "proc_internal.h"

#define CSIGNAL			0x000000ff
#define CLONE_VM		0x00000100
#define CLONE_FS		0x00000200
#define CLONE_FILES		0x00000400
#define CLONE_SIGHAND		0x00000800
#define CLONE_PIDFD		0x00001000
#define CLONE_PTRACE		0x00002000
#define CLONE_VFORK		0x00004000
#define CLONE_PARENT		0x00008000
#define CLONE_THREAD		0x00010000
#define CLONE_NEWNS		0x00020000
#define CLONE_SYSVSEM		0x00040000
#define CLONE_SETTLS		0x00080000
#define CLONE_PARENT_SETTID	0x00100000
#define CLONE_CHILD_CLEARTID	0x00200000
#define CLONE_DETACHED		0x00400000
#define CLONE_UNTRACED		0x00800000
#define CLONE_CHILD_SETTID	0x01000000

/* A new child starts here, then leaves for user space. */
static void child_entry(void *arg)
{
	if (!uptr_null(current->set_child_tid))
		put_user(current->pid, current->set_child_tid);
	cpu_enter_user(task_frame(current));
}

static long do_fork(unsigned long flags, uint64_t stack, uptr_t parent_tid,
		    uptr_t child_tid, uint64_t tls)
{
	struct task *p = current, *c;
	struct vfork_done vfork;
	long err = -ENOMEM;

	/* Linux's consistency rules between the sharing flags. */
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if (flags & (CLONE_NEWNS | CLONE_PIDFD) ||
	    (flags & 0x7e000000UL & ~(CLONE_CHILD_SETTID | CLONE_UNTRACED |
				      CLONE_DETACHED | CLONE_CHILD_CLEARTID |
				      CLONE_PARENT_SETTID)))
		return -EINVAL;		/* namespaces: not supported */
	c = task_alloc();
	if (!c)
		return -EAGAIN;

	if (flags & CLONE_VM) {
		c->mm = p->mm;
		mm_get(c->mm);
	} else {
		c->mm = mm_fork(p->mm);
		if (!c->mm)
			goto err_free;
	}
	if (flags & CLONE_FILES) {
		c->files = p->files;
		files_get(c->files);
	} else {
		c->files = files_dup(p->files);
		if (!c->files)
			goto err_mm;
	}
	if (flags & CLONE_FS) {
		c->fs = p->fs;
		fs_context_get(c->fs);
	} else {
		c->fs = fs_context_dup(p->fs);
		if (!c->fs)
			goto err_files;
	}

	/*
	 * A thread joins the process; a new process is a child of the
	 * creating process (of its leader, whichever thread forks).
	 */
	struct task *leader = task_leader(p);

	if (flags & CLONE_THREAD) {
		c->tgid = p->tgid;
		c->parent = leader->parent;
	} else {
		c->parent = (flags & CLONE_PARENT) && leader->parent ?
			    leader->parent : leader;
		list_add_tail(&c->sibling, &c->parent->children);
	}
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->tty = p->tty;
	c->cred = p->cred;
	c->umask = p->umask;
	c->nice = p->nice;
	c->sched = p->sched;
	c->ioprio = p->ioprio;
	c->oom_score_adj = task_leader(p)->oom_score_adj;
	sched_policy_fork(c);
	c->personality = p->personality;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->sig.blocked = p->sig.blocked;
	memcpy(c->sig.action, p->sig.action, sizeof(c->sig.action));
	c->sig.altstack = p->sig.altstack;
	c->exit_signal = (flags & CLONE_THREAD) ? -1 : (int)(flags & CSIGNAL);

	cpu_thread_init(&c->cpu, (uint64_t)c->kstack + KSTACK_SIZE,
			child_entry, NULL);
	cpu_thread_copy_fpu(&c->cpu);
	c->cpu.fs_base = (flags & CLONE_SETTLS) ? tls : p->cpu.fs_base;
	*task_frame(c) = *task_frame(p);
	task_frame(c)->rax = 0;
	if (stack)
		task_frame(c)->rsp = stack;

	if (flags & CLONE_CHILD_CLEARTID)
		c->clear_child_tid = child_tid;
	if (flags & CLONE_PARENT_SETTID)
		put_user(c->pid, parent_tid);
	if (flags & CLONE_CHILD_SETTID)
		c->set_child_tid = child_tid;

	pid_t pid = c->pid;		/* a thread's id, or the new process's */

	if (flags & CLONE_VFORK) {
		wq_init(&vfork.wq);
		vfork.done = false;
		c->vfork = &vfork;
	}
	sched_add_new(c);
	if (flags & CLONE_VFORK) {
		/*
		 * Wait for the child's exec or exit. Signals do not end this
		 * wait (they are delivered after it), so sleep on the queue
		 * directly rather than through an interruptible wq_sleep().
		 */
		struct waiter w = { .task = current };
		irqflags_t fl = irq_save();

		list_add_tail(&w.link, &vfork.wq.waiters);
		while (!vfork.done) {
			current->state = TASK_SLEEPING;
			schedule();
		}
		list_del(&w.link);
		irq_restore(fl);
	}
	return pid;

err_files:
	files_put(c->files);
err_mm:
	mm_put(c->mm);
err_free:
	task_free(c);
	return err;
}

/* Release a vfork parent: the child has exec'd or is exiting. */
void vfork_release(struct task *t)
{
	if (t->vfork) {
		t->vfork->done = true;
		wq_wake_all(&t->vfork->wq);
		t->vfork = NULL;
	}
}

SYSCALL(__NR_fork, fork)(SYSCALL_ARGS)
{
	return do_fork(17 /* SIGCHLD */, 0, UPTR(0), UPTR(0), 0);
}

SYSCALL(__NR_vfork, vfork)(SYSCALL_ARGS)
{
	return do_fork(CLONE_VM | CLONE_VFORK | 17, 0, UPTR(0), UPTR(0), 0);
}

/* clone(flags, stack, parent_tid, child_tid, tls) on x86-64. */
SYSCALL(__NR_clone, clone)(SYSCALL_ARGS)
{
	return do_fork(a0, a1, UPTR(a2), UPTR(a3), a4);
}
