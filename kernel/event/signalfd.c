/*
 * signalfd and signalfd4 (Linux's fs/signalfd.c): a file whose reads
 * dequeue the reading task's pending signals of its mask as 128-byte
 * struct signalfd_siginfo records, readable while one is pending. As on
 * Linux the file names no task: each read or poll looks at the caller's
 * own signals, and a waiter sleeps on the caller's signalfd wait queue,
 * which send_signal wakes (kernel/proc/signal.c).
 */
#include <kernel/vfs.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/fcntl.h>

#define SFD_CLOEXEC	O_CLOEXEC
#define SFD_NONBLOCK	O_NONBLOCK
#define SI_TIMER	(-2)
#define SI_SIGIO	(-5)
#define NSIGPOLL	6

struct signalfd_siginfo {
	uint32_t ssi_signo;
	int32_t ssi_errno;
	int32_t ssi_code;
	uint32_t ssi_pid;
	uint32_t ssi_uid;
	int32_t ssi_fd;
	uint32_t ssi_tid;
	uint32_t ssi_band;
	uint32_t ssi_overrun;
	uint32_t ssi_trapno;
	int32_t ssi_status;
	int32_t ssi_int;
	uint64_t ssi_ptr;
	uint64_t ssi_utime;
	uint64_t ssi_stime;
	uint64_t ssi_addr;
	uint16_t ssi_addr_lsb;
	uint16_t pad2;
	int32_t ssi_syscall;
	uint64_t ssi_call_addr;
	uint32_t ssi_arch;
	uint8_t pad[28];
};

_Static_assert(sizeof(struct signalfd_siginfo) == 128, "signalfd_siginfo");

struct signalfd {
	sigset_t mask;		/* never SIGKILL or SIGSTOP */
};

static const struct file_ops signalfd_fops;
static struct anon_inode_kind signalfd_kind = {
	.name = "[signalfd]",
	.fops = &signalfd_fops,
};

/* The siginfo union's words, by their offset in siginfo_t. */
static uint32_t si_u32(const siginfo_t *si, size_t off)
{
	uint32_t v;

	memcpy(&v, (const char *)si + off, sizeof(v));
	return v;
}

static uint64_t si_u64(const siginfo_t *si, size_t off)
{
	uint64_t v;

	memcpy(&v, (const char *)si + off, sizeof(v));
	return v;
}

/* Fill @ssi from @si by its layout, as Linux's signalfd_copyinfo. */
static void signalfd_fill(struct signalfd_siginfo *ssi, const siginfo_t *si)
{
	int sig = si->si_signo, code = si->si_code;
	sigset_t fault = sigmask(SIGILL) | sigmask(SIGFPE) | sigmask(SIGSEGV) |
			 sigmask(SIGBUS) | sigmask(SIGTRAP);

	memset(ssi, 0, sizeof(*ssi));
	ssi->ssi_signo = (uint32_t)sig;
	ssi->ssi_errno = si->si_errno;
	ssi->ssi_code = code;
	if (code > SI_USER && code < SI_KERNEL && (fault & sigmask(sig))) {
		ssi->ssi_addr = si->fault.addr;
	} else if (code > SI_USER && code < SI_KERNEL && sig == SIGCHLD) {
		ssi->ssi_pid = (uint32_t)si->kill.pid;
		ssi->ssi_uid = si->kill.uid;
		ssi->ssi_status = si->kill.status;
		ssi->ssi_utime = (uint64_t)si->kill.utime;
		ssi->ssi_stime = (uint64_t)si->kill.stime;
	} else if ((code > SI_USER && code <= NSIGPOLL) || code == SI_SIGIO) {
		ssi->ssi_band = si_u32(si, 16);
		ssi->ssi_fd = (int32_t)si_u32(si, 24);
	} else if (code == SI_TIMER) {
		ssi->ssi_tid = (uint32_t)si->timer.tid;
		ssi->ssi_overrun = (uint32_t)si->timer.overrun;
		ssi->ssi_ptr = si->timer.value;
		ssi->ssi_int = (int32_t)si->timer.value;
	} else {
		/* kill, tkill, sigqueue: the sender, and any value. */
		ssi->ssi_pid = (uint32_t)si->kill.pid;
		ssi->ssi_uid = si->kill.uid;
		if (code < 0) {
			ssi->ssi_ptr = si_u64(si, 24);
			ssi->ssi_int = (int32_t)si_u32(si, 24);
		}
	}
}

static bool signalfd_pending(const void *arg)
{
	const struct signalfd *sfd = arg;

	return current->sig.pending & sfd->mask;
}

/*
 * Dequeue one of the caller's signals of @sfd's mask into @ssi, waiting
 * for one unless @nonblock: 0, -EAGAIN or -ERESTARTSYS.
 */
static int signalfd_dequeue(struct signalfd *sfd, bool nonblock,
			    struct signalfd_siginfo *ssi)
{
	struct signal_state *s = &current->sig;
	irqflags_t fl;
	int sig, err;

	err = wq_wait_deadline(&s->signalfd_wq, nonblock, 0, signalfd_pending,
			       sfd);
	if (err)
		return err;
	fl = irq_save();
	sig = signal_dequeue(s, sfd->mask);
	if (sig)
		signalfd_fill(ssi, &s->info[sig - 1]);
	irq_restore(fl);
	return sig ? 0 : -EAGAIN;
}

/*
 * read: as many records as fit and are pending, waiting (unless
 * O_NONBLOCK) only for the first. A record whose copy faults is lost,
 * as on Linux.
 */
static ssize_t signalfd_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct signalfd *sfd = file->priv;
	size_t count = uio->resid / sizeof(struct signalfd_siginfo);
	bool nonblock = file->flags & O_NONBLOCK;
	ssize_t total = 0;
	int err = 0;

	if (!count)
		return -EINVAL;
	while (count--) {
		struct signalfd_siginfo ssi;

		err = signalfd_dequeue(sfd, nonblock, &ssi);
		if (!err)
			err = uiomove(&ssi, sizeof(ssi), uio);
		if (err)
			break;
		total += (ssize_t)sizeof(ssi);
		nonblock = true;
	}
	return total ? total : err;
}

/* Readable while the caller has a signal of the mask pending. */
static unsigned signalfd_poll(struct file *file, struct poll_table *pt)
{
	poll_wait(file, &current->sig.signalfd_wq, pt);
	return signalfd_pending(file->priv) ? POLLIN | POLLRDNORM : 0;
}

static void signalfd_release(struct file *file)
{
	kfree(file->priv);
}

static const struct file_ops signalfd_fops = {
	.release = signalfd_release,
	.read = signalfd_read,
	.poll = signalfd_poll,
};

/* A new signalfd for @mask: its descriptor or -errno. */
static long signalfd_create(sigset_t mask, int flags)
{
	struct signalfd *sfd;
	struct file *file;
	int fd;

	fd = fd_reserve(0, flags & SFD_CLOEXEC);
	if (fd < 0)
		return fd;
	sfd = kzalloc(sizeof(*sfd));
	if (!sfd)
		goto err_unreserve;
	sfd->mask = mask;
	file = anon_inode_file(&signalfd_kind, sfd,
			       O_RDWR | (flags & SFD_NONBLOCK));
	if (!file)
		goto err_free;
	fd_install_reserved(fd, file);
	return fd;

err_free:
	kfree(sfd);
err_unreserve:
	fd_unreserve(fd);
	return -ENOMEM;
}

/* signalfd4(ufd, mask, sizemask, flags): ufd -1 makes a new one. */
static long do_signalfd4(int ufd, uptr_t umask, size_t sizemask, int flags)
{
	struct signalfd *sfd;
	struct file *file;
	sigset_t mask;

	if (sizemask != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	if (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK))
		return -EINVAL;
	mask &= ~(sigmask(SIGKILL) | sigmask(SIGSTOP));
	if (ufd == -1)
		return signalfd_create(mask, flags);
	file = fd_get_io(ufd);
	if (!file)
		return -EBADF;
	if (file->fops != &signalfd_fops) {
		fput(file);
		return -EINVAL;
	}
	sfd = file->priv;
	sfd->mask = mask;
	wq_wake_all(&current->sig.signalfd_wq);
	fput(file);
	return ufd;
}

SYSCALL(__NR_signalfd4, signalfd4)(SYSCALL_ARGS)
{
	return do_signalfd4((int)a0, UPTR(a1), (size_t)a2, (int)a3);
}

SYSCALL(__NR_signalfd, signalfd)(SYSCALL_ARGS)
{
	return do_signalfd4((int)a0, UPTR(a1), (size_t)a2, 0);
}
