/*
 * eventfd and eventfd2 (Linux's fs/eventfd.c): a 64-bit counter that a
 * write adds to and a read takes (all of it, or 1 with EFD_SEMAPHORE),
 * readable while non-zero, writable while another 1 fits below
 * 0xfffffffffffffffe. Reads and writes move exactly 8 bytes; shorter
 * buffers are EINVAL.
 *
 * Besides reads and writes, AIO completions add to the counter
 * (eventfd_signal, which may run with interrupts off, from the thread
 * that rechecks AIO polls); the kernel lock and the wait queue's own
 * masking cover the counter and the sleeps.
 */
#include <kernel/vfs.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <uapi/fcntl.h>

#define EFD_SEMAPHORE	1
#define EFD_CLOEXEC	O_CLOEXEC
#define EFD_NONBLOCK	O_NONBLOCK

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct wait_queue wq;	/* readers and writers, and pollers */
};

static const struct file_ops eventfd_fops;
static struct anon_inode_kind eventfd_kind = {
	.name = "[eventfd]",
	.fops = &eventfd_fops,
};

static bool eventfd_readable(const void *arg)
{
	const struct eventfd *efd = arg;

	return efd->count != 0;
}

/* read: the counter (or 1 of it), which is then taken; waits while 0. */
static ssize_t eventfd_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct eventfd *efd = file->priv;
	uint64_t value;
	int err;

	if (uio->resid < sizeof(value))
		return -EINVAL;
	err = wq_wait_deadline(&efd->wq, file->flags & O_NONBLOCK, 0,
			       eventfd_readable, efd);
	if (err)
		return err;
	value = efd->semaphore ? 1 : efd->count;
	if (uiomove(&value, sizeof(value), uio))
		return -EFAULT;
	efd->count -= value;
	wq_wake_all(&efd->wq);
	return sizeof(value);
}

/* The value a write waits to add: it must stay below UINT64_MAX. */
struct eventfd_add {
	const struct eventfd *efd;
	uint64_t value;
};

static bool eventfd_fits(const void *arg)
{
	const struct eventfd_add *add = arg;

	return UINT64_MAX - add->efd->count > add->value;
}

/* write: add a u64 (not UINT64_MAX) to the counter; waits for room. */
static ssize_t eventfd_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct eventfd *efd = file->priv;
	struct eventfd_add add = { .efd = efd };
	int err;

	if (uio->resid < sizeof(add.value))
		return -EINVAL;
	if (uiomove(&add.value, sizeof(add.value), uio))
		return -EFAULT;
	if (add.value == UINT64_MAX)
		return -EINVAL;
	err = wq_wait_deadline(&efd->wq, file->flags & O_NONBLOCK, 0,
			       eventfd_fits, &add);
	if (err)
		return err;
	efd->count += add.value;
	wq_wake_all(&efd->wq);
	return sizeof(add.value);
}

/* Readiness exactly as Linux's eventfd_poll. */
static unsigned eventfd_poll(struct file *file, struct poll_table *pt)
{
	struct eventfd *efd = file->priv;
	unsigned mask = 0;

	poll_wait(file, &efd->wq, pt);
	if (efd->count)
		mask |= POLLIN | POLLRDNORM;
	if (efd->count == UINT64_MAX)
		mask |= POLLERR;
	if (UINT64_MAX - 1 > efd->count)
		mask |= POLLOUT | POLLWRNORM;
	return mask;
}

static void eventfd_release(struct file *file)
{
	kfree(file->priv);
}

static const struct file_ops eventfd_fops = {
	.release = eventfd_release,
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
};

/* See kernel/event.h. */
struct file *eventfd_fget(int fd)
{
	struct file *f = fd_get_io(fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (f->fops != &eventfd_fops) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* See kernel/event.h. */
void eventfd_signal(struct file *file, uint64_t n)
{
	struct eventfd *efd = file->priv;

	efd->count += MIN(n, UINT64_MAX - efd->count);
	wq_wake_all(&efd->wq);
}

/* eventfd2(initval, flags): a descriptor or -errno. */
static long do_eventfd(unsigned initval, int flags)
{
	struct eventfd *efd;
	struct file *file;
	int fd;

	if (flags & ~(EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	fd = fd_reserve(0, flags & EFD_CLOEXEC);
	if (fd < 0)
		return fd;
	efd = kzalloc(sizeof(*efd));
	if (!efd)
		goto err_unreserve;
	efd->count = initval;
	efd->semaphore = flags & EFD_SEMAPHORE;
	wq_init(&efd->wq);
	file = anon_inode_file(&eventfd_kind, efd,
			       O_RDWR | (flags & EFD_NONBLOCK));
	if (!file)
		goto err_free;
	fd_install_reserved(fd, file);
	return fd;

err_free:
	kfree(efd);
err_unreserve:
	fd_unreserve(fd);
	return -ENOMEM;
}

SYSCALL(__NR_eventfd2, eventfd2)(SYSCALL_ARGS)
{
	return do_eventfd((unsigned)a0, (int)a1);
}

SYSCALL(__NR_eventfd, eventfd)(SYSCALL_ARGS)
{
	return do_eventfd((unsigned)a0, 0);
}
