/*
 * process_vm_readv and process_vm_writev, as Linux 6.1's
 * mm/process_vm_access.c: data moves between the caller's iovec (local)
 * and another process's (remote) in order, through a page of kernel
 * buffer, the remote side by mm_copy_remote (the areas' protections
 * apply, no force). A fault on either side ends the transfer: the bytes
 * moved before it, or EFAULT if none were.
 *
 * Checks in Linux's order: flags (EINVAL); the local iovec (EINVAL,
 * EFAULT, its buffers' addresses too); nothing to move locally is 0; the
 * remote iovec (EINVAL, EFAULT); nothing remote is 0; then the process
 * (ESRCH, also without memory) and ptrace's attach rule with the real
 * ids (EPERM).
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <svc/introspect.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>

/* Move bytes between @local and @remote's ranges of @mm: bytes or -EFAULT. */
static long process_vm_move(struct mm *mm, struct uio *local,
			    const struct uio *remote, char *buf, bool write)
{
	size_t done = 0;

	for (int i = 0; i < remote->iovcnt && local->resid; i++) {
		uintptr_t va = uptr_to_ulong(remote->iov[i].ubase);
		size_t left = remote->iov[i].len;

		while (left && local->resid) {
			size_t n = MIN(MIN(left, local->resid),
				       PAGE_SIZE - (va & (PAGE_SIZE - 1)));
			size_t before = local->resid, moved, got;

			if (write) {
				uiomove_exact(buf, n, local);
				moved = before - local->resid;
				got = mm_copy_remote(mm, va, buf, moved, true);
				done += got;
			} else {
				got = mm_copy_remote(mm, va, buf, n, false);
				uiomove_exact(buf, got, local);
				moved = before - local->resid;
				done += moved;
			}
			if (moved < n || got < n)
				return done ? (long)done : -EFAULT;
			va += n;
			left -= n;
		}
	}
	return (long)done;
}

/* The common body: @write moves local data to the remote process. */
static long process_vm_rw(pid_t pid, uptr_t lvec, unsigned long liovcnt,
			  uptr_t rvec, unsigned long riovcnt,
			  unsigned long flags, bool write)
{
	struct kiovec *liov = NULL, *riov = NULL;
	struct uio local, remote;
	struct task *t;
	struct mm *mm;
	char *buf;
	long ret;

	if (flags)
		return -EINVAL;
	/*
	 * Linux takes the local count as an unsigned int (higher bits
	 * dropped) and the remote one whole (a count above LONG_MAX turns
	 * negative here: EINVAL as any above UIO_MAXIOV).
	 */
	ret = import_iovec(lvec, (long)(unsigned)liovcnt, write ? UIO_WRITE : UIO_READ,
			   &local, &liov);
	if (ret)
		return ret;
	ret = -EFAULT;
	for (int i = 0; i < local.iovcnt; i++)
		if (!access_ok(liov[i].ubase, liov[i].len))
			goto out;
	ret = 0;
	if (!local.resid)
		goto out;
	ret = import_iovec(rvec, (long)riovcnt, UIO_READ, &remote, &riov);
	if (ret || !remote.resid)
		goto out;
	ret = -ESRCH;
	t = task_find_vpid(pid);
	if (!t || !t->mm)
		goto out;
	ret = -EPERM;
	if (t->mm != current->mm &&
	    !ptrace_may_access(t, PTRACE_MODE_ATTACH | PTRACE_MODE_REALCREDS))
		goto out;
	ret = -ENOMEM;
	buf = kmalloc(PAGE_SIZE);
	if (!buf)
		goto out;
	/* The copies may sleep: hold the address space, not the task. */
	mm = t->mm;
	mm_get(mm);
	ret = process_vm_move(mm, &local, &remote, buf, write);
	mm_put(mm);
	kfree(buf);
out:
	kfree(liov);
	kfree(riov);
	return ret;
}

SYSCALL(__NR_process_vm_readv, process_vm_readv)(SYSCALL_ARGS)
{
	return process_vm_rw((pid_t)a0, UPTR(a1), (unsigned long)a2, UPTR(a3),
			     (unsigned long)a4, (unsigned long)a5, false);
}

SYSCALL(__NR_process_vm_writev, process_vm_writev)(SYSCALL_ARGS)
{
	return process_vm_rw((pid_t)a0, UPTR(a1), (unsigned long)a2, UPTR(a3),
			     (unsigned long)a4, (unsigned long)a5, true);
}
