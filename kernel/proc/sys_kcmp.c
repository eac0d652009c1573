/*
 * kcmp(2), as Linux 6.1's kernel/kcmp.c: whether two tasks share a kernel
 * object (an open file, the address space, the descriptor table, the
 * filesystem context, the signal handlers, the I/O context, the System V
 * undo list, or a file an epoll watches), answered 0 (the same), 1 (the
 * first orders lower) or 2 (higher). The order is that of the objects'
 * identities obfuscated with per-type random cookies, as Linux's, so it
 * is consistent yet tells nothing about kernel addresses.
 *
 * Signal handlers are shared by the threads of a process here, so the
 * process stands for them. One CPU, no kernel preemption: no locks.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/vfs.h>
#include <kernel/event.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <svc/random.h>
#include <platform/usercopy.h>

enum kcmp_type {
	KCMP_FILE,
	KCMP_VM,
	KCMP_FILES,
	KCMP_FS,
	KCMP_SIGHAND,
	KCMP_IO,
	KCMP_SYSVSEM,
	KCMP_EPOLL_TFD,
	KCMP_TYPES,
};

/* The user's struct kcmp_epoll_slot: an epoll's fd, a watched fd, which. */
struct kcmp_epoll_slot {
	uint32_t efd;
	uint32_t tfd;
	uint64_t toff;
};

/* Linux's cookies: [type][0] is xored in, [type][1] (odd, top bit) multiplies. */
static uint64_t cookies[KCMP_TYPES][2];
static bool cookies_ready;

/* @id as kcmp orders it for @type (Linux's kptr_obfuscate). */
static uint64_t obfuscate(uint64_t id, enum kcmp_type type)
{
	if (!cookies_ready) {
		random_bytes(cookies, sizeof(cookies));
		for (int i = 0; i < KCMP_TYPES; i++)
			cookies[i][1] |= 1ULL << 63 | 1;
		cookies_ready = true;
	}
	return (id ^ cookies[type][0]) * cookies[type][1];
}

/* 0 if the same, 1 if @a orders first, 2 if @b does. */
static long kcmp_ids(uint64_t a, uint64_t b, enum kcmp_type type)
{
	uint64_t x = obfuscate(a, type), y = obfuscate(b, type);

	return (x < y) | (x > y) << 1;
}

static long kcmp_ptrs(const void *a, const void *b, enum kcmp_type type)
{
	return kcmp_ids((uintptr_t)a, (uintptr_t)b, type);
}

/*
 * The tasks @pid1 and @pid2 name (-ESRCH if either is missing) when the
 * caller may inspect both with its real ids (-EPERM otherwise).
 */
static int kcmp_tasks(pid_t pid1, pid_t pid2, struct task **t1,
		      struct task **t2)
{
	*t1 = task_find_vpid(pid1);
	*t2 = task_find_vpid(pid2);
	if (!*t1 || !*t2)
		return -ESRCH;
	if (!ptrace_may_access(*t1, PTRACE_MODE_READ | PTRACE_MODE_REALCREDS) ||
	    !ptrace_may_access(*t2, PTRACE_MODE_READ | PTRACE_MODE_REALCREDS))
		return -EPERM;
	return 0;
}

/* The file at descriptor @idx (an unsigned int, as Linux's) of @t, or NULL. */
static struct file *task_file(struct task *t, unsigned long idx)
{
	return t->files ? files_peek(t->files, (int)(unsigned)idx) : NULL;
}

/*
 * KCMP_EPOLL_TFD: file @idx1 of the first task against the file the
 * second task's epoll watches as @uslot says. The slot is read first,
 * which may sleep, so the tasks are looked up again after it.
 */
static long kcmp_epoll(pid_t pid1, pid_t pid2, unsigned long idx1,
		       uptr_t uslot)
{
	struct kcmp_epoll_slot slot;
	struct file *f, *ep, *target;
	struct task *t1, *t2;
	int err;

	if (copy_from_user(&slot, uslot, sizeof(slot)))
		return -EFAULT;
	err = kcmp_tasks(pid1, pid2, &t1, &t2);
	if (err)
		return err;
	f = task_file(t1, idx1);
	if (!f)
		return -EBADF;
	ep = task_file(t2, slot.efd);
	if (!ep)
		return -EBADF;
	target = epoll_target_file(ep, (int)slot.tfd, (unsigned long)slot.toff);
	if (IS_ERR(target))
		return PTR_ERR(target);
	return kcmp_ptrs(f, target, KCMP_FILE);
}

SYSCALL(__NR_kcmp, kcmp)(SYSCALL_ARGS)
{
	pid_t pid1 = (pid_t)a0, pid2 = (pid_t)a1;
	int type = (int)a2;
	struct task *t1, *t2;
	struct file *f1, *f2;
	int err;

	err = kcmp_tasks(pid1, pid2, &t1, &t2);
	if (err)
		return err;
	switch (type) {
	case KCMP_FILE:
		f1 = task_file(t1, (unsigned long)a3);
		f2 = task_file(t2, (unsigned long)a4);
		return f1 && f2 ? kcmp_ptrs(f1, f2, KCMP_FILE) : -EBADF;
	case KCMP_VM:
		return kcmp_ptrs(t1->mm, t2->mm, KCMP_VM);
	case KCMP_FILES:
		return kcmp_ptrs(t1->files, t2->files, KCMP_FILES);
	case KCMP_FS:
		return kcmp_ptrs(t1->fs, t2->fs, KCMP_FS);
	case KCMP_SIGHAND:
		return kcmp_ptrs(task_leader(t1), task_leader(t2), KCMP_SIGHAND);
	case KCMP_IO:
		return kcmp_ids(t1->io_context, t2->io_context, KCMP_IO);
	case KCMP_SYSVSEM:
		return kcmp_ptrs(t1->sysvsem, t2->sysvsem, KCMP_SYSVSEM);
	case KCMP_EPOLL_TFD:
		return kcmp_epoll(pid1, pid2, (unsigned long)a3, UPTR(a4));
	default:
		return -EINVAL;
	}
}
