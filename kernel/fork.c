/*
 * Process creation: fork, vfork and clone (for processes; threads are
 * refused). The child gets a copy-on-write copy of the address space, or
 * shares it for CLONE_VM|CLONE_VFORK until it execs or exits.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <platform/console.h>
#include <aramid/string.h>

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

struct task *task_alloc(void);
void task_free(struct task *t);

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

	if (flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_NEWNS | CLONE_PIDFD))
		return -EINVAL;
	if ((flags & CLONE_FS) || ((flags & CLONE_FILES)))
		return -EINVAL;
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
	c->files = files_dup(p->files);
	if (!c->files)
		goto err_mm;
	c->fs = fs_context_dup(p->fs);
	if (!c->fs)
		goto err_files;

	c->parent = (flags & CLONE_PARENT) && p->parent ? p->parent : p;
	list_add_tail(&c->sibling, &c->parent->children);
	c->pgid = p->pgid;
	c->sid = p->sid;
	c->tty = p->tty;
	c->cred = p->cred;
	c->umask = p->umask;
	c->nice = p->nice;
	memcpy(c->rlim, p->rlim, sizeof(c->rlim));
	memcpy(c->comm, p->comm, sizeof(c->comm));
	c->sig.blocked = p->sig.blocked;
	memcpy(c->sig.action, p->sig.action, sizeof(c->sig.action));
	c->sig.altstack = p->sig.altstack;
	c->exit_signal = flags & CSIGNAL;

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

	pid_t pid = c->pid;

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
