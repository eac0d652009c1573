/*
 * userfaultfd(2), as Linux 6.1's fs/userfaultfd.c for anonymous private
 * memory in missing-page mode: a thread that touches a page not yet
 * there in a registered range stops, and its fault is reported on the
 * descriptor (read(2) gives a struct uffd_msg, poll(2) says POLLIN) for
 * another thread to resolve with UFFDIO_COPY or UFFDIO_ZEROPAGE, or to
 * let retry with UFFDIO_WAKE. The ioctls are in userfaultfd_ioctl.c.
 *
 * A registered vma points at its context without a reference: the
 * context's release (the last close) clears every vma that points at it
 * and wakes its faults, which then fault as if nothing were registered.
 * The context holds its address space, so the vmas outlive it. Fork's
 * copies are not registered (no UFFD_FEATURE_EVENT_FORK), nor is the
 * new mapping of mremap (no UFFD_FEATURE_EVENT_REMAP).
 *
 * Locking: the kernel lock, and interrupts masked around each check of a
 * fault's state and its sleep (the wait queues' rule).
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <uapi/capability.h>
#include <uapi/fcntl.h>
#include <uapi/errno.h>
#include "userfaultfd_internal.h"

#define USERFAULTFD_MINOR	126

/* vm.unprivileged_userfaultfd: Linux's default, kernel faults need root. */
int unprivileged_userfaultfd;

static const struct file_ops uffd_fops;
static struct anon_inode_kind uffd_kind = {
	.name = "[userfaultfd]",
	.fops = &uffd_fops,
};

static void ctx_put(struct uffd_ctx *ctx)
{
	if (--ctx->refcount > 0)
		return;
	mm_put(ctx->mm);
	kfree(ctx);
}

/* Wake the faults on @list in the range; each leaves the list. */
static void wake_list(struct list_head *list, uintptr_t start, uintptr_t end)
{
	struct uffd_fault *f, *n;

	list_for_each_entry_safe(f, n, list, link)
		if (f->page >= start && f->page < end)
			list_del(&f->link);
}

/* See userfaultfd_internal.h. */
void uffd_wake_range(struct uffd_ctx *ctx, uintptr_t start, size_t len)
{
	irqflags_t fl = irq_save();

	wake_list(&ctx->pending, start, start + len);
	wake_list(&ctx->waiting, start, start + len);
	irq_restore(fl);
	wq_wake_all(&ctx->fault_wq);
}

/* The first registered vma of @mm in [addr, addr+1), or NULL. */
static struct vma *uffd_vma(struct mm *mm, uintptr_t addr)
{
	struct vma *v = vma_find(mm, addr);

	return v && v->uffd && (v->uffd_modes & UFFDIO_REGISTER_MODE_MISSING) ?
	       v : NULL;
}

/*
 * Stop in the fault at @addr until it is resolved: queue its report,
 * wake the readers, sleep. 0 to retry the access; -EIO where it must not
 * wait (UFFD_FEATURE_SIGBUS, or a kernel access under
 * UFFD_USER_MODE_ONLY): SIGBUS for a user access, EFAULT for the
 * kernel's; -EFAULT for the kernel's copy when a signal cuts the wait
 * short.
 */
static int uffd_wait(struct uffd_ctx *ctx, uintptr_t addr, bool write,
		     bool user)
{
	struct uffd_fault f = { .page = ALIGN_DOWN(addr, PAGE_SIZE) };
	irqflags_t fl;
	int err = 0;

	if ((ctx->features & UFFD_FEATURE_SIGBUS) ||
	    (!user && (ctx->flags & UFFD_USER_MODE_ONLY)))
		return -EIO;
	f.msg.event = UFFD_EVENT_PAGEFAULT;
	f.msg.arg.pagefault.flags = write ? UFFD_PAGEFAULT_FLAG_WRITE : 0;
	f.msg.arg.pagefault.address = ctx->features & UFFD_FEATURE_EXACT_ADDRESS ?
				      addr : f.page;
	if (ctx->features & UFFD_FEATURE_THREAD_ID)
		f.msg.arg.pagefault.ptid = (uint32_t)current->pid;
	ctx->refcount++;
	fl = irq_save();
	list_add_tail(&f.link, &ctx->pending);
	wq_wake_all(&ctx->fd_wq);
	while (!list_empty(&f.link) && !ctx->released) {
		err = wq_sleep(&ctx->fault_wq, 0);
		if (err)
			break;
	}
	list_del(&f.link);
	irq_restore(fl);
	ctx_put(ctx);
	/* A signal: a user access retries once it is handled, as Linux's
	 * VM_FAULT_RETRY; the kernel's copy gives up with EFAULT. */
	return err && !user ? -EFAULT : 0;
}

/* See include/kernel/mm.h. */
int uffd_fault(struct mm *mm, uintptr_t addr, bool write, bool user)
{
	struct vma *v = uffd_vma(mm, addr);
	paddr_t pa;
	unsigned prot;

	if (!v || mmu_lookup(mm->space, ALIGN_DOWN(addr, PAGE_SIZE), &pa, &prot))
		return 1;
	if ((write && !(v->prot & PROT_WRITE)) ||
	    !(v->prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return 1;	/* mm_fault refuses it */
	return uffd_wait(v->uffd, addr, write, user);
}

/* See include/kernel/mm.h. */
void uffd_vma_detach(struct vma *v)
{
	v->uffd = NULL;
	v->uffd_modes = 0;
}

/* Take the oldest unread report, or -EAGAIN if there is none. */
static int take_report(struct uffd_ctx *ctx, struct uffd_msg *msg)
{
	struct uffd_fault *f;

	if (list_empty(&ctx->pending))
		return -EAGAIN;
	f = list_first_entry(&ctx->pending, struct uffd_fault, link);
	*msg = f->msg;
	list_del(&f->link);
	list_add_tail(&f->link, &ctx->waiting);
	return 0;
}

static bool report_ready(const void *arg)
{
	const struct uffd_ctx *ctx = arg;

	return !list_empty(&ctx->pending);
}

/*
 * read: whole reports, as many as fit; waits for the first unless
 * O_NONBLOCK. EINVAL before UFFDIO_API or for a buffer smaller than one.
 */
static ssize_t uffd_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct uffd_ctx *ctx = file->priv;
	struct uffd_msg msg;
	ssize_t done = 0;
	int err;

	if (!ctx->api_done || uio->resid < sizeof(msg))
		return -EINVAL;
	err = wq_wait_deadline(&ctx->fd_wq, file->flags & O_NONBLOCK, 0,
			       report_ready, ctx);
	if (err)
		return err;
	while (uio->resid >= sizeof(msg)) {
		irqflags_t fl = irq_save();

		err = take_report(ctx, &msg);
		irq_restore(fl);
		if (err)
			break;
		if (uiomove(&msg, sizeof(msg), uio)) {
			err = -EFAULT;
			break;
		}
		done += sizeof(msg);
	}
	return done ? done : err;
}

/*
 * Readiness as Linux's userfaultfd_poll: POLLERR before UFFDIO_API and on
 * a blocking descriptor (poll cannot promise that read will not block),
 * else POLLIN while a report is unread.
 */
static unsigned uffd_poll(struct file *file, struct poll_table *pt)
{
	struct uffd_ctx *ctx = file->priv;

	poll_wait(file, &ctx->fd_wq, pt);
	if (!ctx->api_done || !(file->flags & O_NONBLOCK))
		return POLLERR;
	return list_empty(&ctx->pending) ? 0 : POLLIN;
}

/* The last close: the registrations end and the faults retry. */
static void uffd_release(struct file *file)
{
	struct uffd_ctx *ctx = file->priv;

	/* Whole vmas: no split, so nothing fails. */
	uffd_set_range(ctx, 0, USER_TOP, NULL, 0);
	ctx->released = true;
	uffd_wake_range(ctx, 0, UINTPTR_MAX);
	wq_release(&ctx->fd_wq);
	ctx_put(ctx);
}

static long uffd_file_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	return uffd_ioctl(file->priv, cmd, arg);
}

static const struct file_ops uffd_fops = {
	.release = uffd_release,
	.read = uffd_read,
	.poll = uffd_poll,
	.ioctl = uffd_file_ioctl,
};

/* See userfaultfd_internal.h. */
long uffd_create(int flags)
{
	struct uffd_ctx *ctx;
	struct file *file;
	int fd;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY))
		return -EINVAL;
	fd = fd_reserve(0, flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	ctx = kzalloc(sizeof(*ctx));
	if (!ctx)
		goto err_unreserve;
	ctx->refcount = 1;
	ctx->flags = (unsigned)flags;
	list_init(&ctx->pending);
	list_init(&ctx->waiting);
	wq_init(&ctx->fault_wq);
	wq_init(&ctx->fd_wq);
	/* read-only, as Linux 6.1 opens it: its ioctls need no write mode */
	file = anon_inode_file(&uffd_kind, ctx, O_RDONLY | (flags & O_NONBLOCK));
	if (!file)
		goto err_free;
	ctx->mm = current->mm;
	mm_get(ctx->mm);
	fd_install_reserved(fd, file);
	return fd;

err_free:
	kfree(ctx);
err_unreserve:
	fd_unreserve(fd);
	return -ENOMEM;
}

/*
 * /dev/userfaultfd (misc 10:126): USERFAULTFD_IOC_NEW makes a userfaultfd
 * with the flags in its argument, kernel-mode faults included, for
 * whoever may open the device (Linux 6.1's way to grant them).
 */
static long uffd_dev_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	if (cmd != USERFAULTFD_IOC_NEW)
		return -EINVAL;
	return uffd_create((int)uptr_to_ulong(arg));
}

static const struct file_ops uffd_dev_fops = {
	.ioctl = uffd_dev_ioctl,
};

/* See include/kernel/mm.h. */
void uffd_dev_init(void)
{
	misc_register(USERFAULTFD_MINOR, &uffd_dev_fops);
}

/*
 * userfaultfd(flags): kernel-mode faults are for CAP_SYS_PTRACE, or all
 * when vm.unprivileged_userfaultfd is 1; UFFD_USER_MODE_ONLY for anyone.
 * The permission comes before the flags, as on Linux.
 */
SYSCALL(__NR_userfaultfd, userfaultfd)(SYSCALL_ARGS)
{
	int flags = (int)a0;

	if (!(flags & UFFD_USER_MODE_ONLY) && !capable(CAP_SYS_PTRACE) &&
	    !unprivileged_userfaultfd)
		return -EPERM;
	return uffd_create(flags);
}
