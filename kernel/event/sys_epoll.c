/*
 * The epoll system calls: epoll_create, epoll_create1, epoll_ctl,
 * epoll_wait, epoll_pwait and epoll_pwait2, with Linux's argument checks
 * in Linux's order (fs/eventpoll.c). epoll_wait is never restarted after
 * a signal handler: it fails with EINTR.
 */
#include "epoll.h"
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/poll.h>
#include <uapi/fcntl.h>

#define MSEC_PER_SEC	1000
#define NSEC_PER_MSEC	1000000

static long do_epoll_create(int flags)
{
	struct file *file;
	int fd;

	if (flags & ~EPOLL_CLOEXEC)
		return -EINVAL;
	fd = fd_reserve(0, flags & EPOLL_CLOEXEC);
	if (fd < 0)
		return fd;
	file = epoll_file_new(O_RDWR);
	if (!file) {
		fd_unreserve(fd);
		return -ENOMEM;
	}
	fd_install_reserved(fd, file);
	return fd;
}

/* epoll_create1(flags): EPOLL_CLOEXEC or nothing. */
SYSCALL(__NR_epoll_create1, epoll_create1)(SYSCALL_ARGS)
{
	return do_epoll_create((int)a0);
}

/* epoll_create(size): the size is a hint, but must be positive. */
SYSCALL(__NR_epoll_create, epoll_create)(SYSCALL_ARGS)
{
	if ((int)a0 <= 0)
		return -EINVAL;
	return do_epoll_create(0);
}

/* Only a file with a poll op can be watched (Linux's file_can_poll). */
static bool file_can_poll(const struct file *file)
{
	return file->fops && file->fops->poll;
}

/* epoll_ctl's work once both descriptors are open: 0 or -errno. */
static long epoll_ctl_files(struct file *file, int op, struct file *tf, int fd,
			    struct epoll_event *ev)
{
	bool has_event = op != EPOLL_CTL_DEL;
	struct eventpoll *ep;
	struct epitem *epi;

	if (!file_can_poll(tf))
		return -EPERM;
	if (has_event && (ev->events & EPOLLWAKEUP) &&
	    !capable(CAP_BLOCK_SUSPEND))
		ev->events &= ~EPOLLWAKEUP;
	if (file == tf || !is_file_epoll(file))
		return -EINVAL;
	if (has_event && (ev->events & EPOLLEXCLUSIVE)) {
		if (op == EPOLL_CTL_MOD)
			return -EINVAL;
		if (op == EPOLL_CTL_ADD && (is_file_epoll(tf) ||
		    (ev->events & ~EPOLLEXCLUSIVE_OK_BITS)))
			return -EINVAL;
	}
	ep = file->priv;
	if (op == EPOLL_CTL_ADD && is_file_epoll(tf) && ep_loop_check(ep, tf))
		return -ELOOP;
	epi = ep_find(ep, tf, fd);
	switch (op) {
	case EPOLL_CTL_ADD:
		if (epi)
			return -EEXIST;
		ev->events |= EPOLLERR | EPOLLHUP;
		return ep_insert(ep, ev, tf, fd);
	case EPOLL_CTL_DEL:
		if (!epi)
			return -ENOENT;
		ep_remove(epi);
		return 0;
	case EPOLL_CTL_MOD:
		if (!epi)
			return -ENOENT;
		if (epi->event.events & EPOLLEXCLUSIVE)
			return -EINVAL;
		ev->events |= EPOLLERR | EPOLLHUP;
		ep_modify(epi, ev);
		return 0;
	default:
		return -EINVAL;
	}
}

/* epoll_ctl(epfd, op, fd, event): the event is read unless op is DEL. */
SYSCALL(__NR_epoll_ctl, epoll_ctl)(SYSCALL_ARGS)
{
	int op = (int)a1, fd = (int)a2;
	struct epoll_event ev = { 0, 0 };
	struct file *file, *tf;
	long ret = -EBADF;

	if (op != EPOLL_CTL_DEL && get_user(ev, UPTR(a3)))
		return -EFAULT;
	file = fd_get_io((int)a0);
	if (!file)
		return -EBADF;
	tf = fd_get_io(fd);
	if (tf) {
		ret = epoll_ctl_files(file, op, tf, fd, &ev);
		fput(tf);
	}
	fput(file);
	return ret;
}

/* The checks of every epoll_wait variant, then the wait. */
static long do_epoll_wait(int epfd, uptr_t uevents, int maxevents,
			  const struct timespec64 *end)
{
	struct file *file;
	long ret = -EINVAL;

	if (maxevents <= 0 || maxevents > EP_MAX_EVENTS)
		return -EINVAL;
	if (!access_ok(uevents, (size_t)maxevents * sizeof(struct epoll_event)))
		return -EFAULT;
	file = fd_get_io(epfd);
	if (!file)
		return -EBADF;
	if (is_file_epoll(file))
		ret = ep_poll(file->priv, uevents, maxevents, end);
	fput(file);
	return ret;
}

/* A timeout in ms as epoll_wait takes it: negative waits forever. */
static struct timespec64 *ep_timeout_ms(struct timespec64 *end, int ms)
{
	if (ms < 0)
		return NULL;
	poll_set_timeout(end, ms / MSEC_PER_SEC,
			 (int64_t)NSEC_PER_MSEC * (ms % MSEC_PER_SEC));
	return end;
}

/* epoll_pwait's temporary signal mask around the wait. */
static long do_epoll_pwait(int epfd, uptr_t uevents, int maxevents,
			   const struct timespec64 *end, uptr_t umask,
			   size_t sigsetsize)
{
	long ret = set_user_sigmask(umask, sigsetsize);

	if (ret)
		return ret;
	ret = do_epoll_wait(epfd, uevents, maxevents, end);
	restore_saved_sigmask_unless(ret == -EINTR);
	return ret;
}

/* epoll_wait(epfd, events, maxevents, timeout_ms). */
SYSCALL(__NR_epoll_wait, epoll_wait)(SYSCALL_ARGS)
{
	struct timespec64 end;

	return do_epoll_wait((int)a0, UPTR(a1), (int)a2,
			     ep_timeout_ms(&end, (int)a3));
}

/* epoll_pwait(epfd, events, maxevents, timeout_ms, sigmask, sigsetsize). */
SYSCALL(__NR_epoll_pwait, epoll_pwait)(SYSCALL_ARGS)
{
	struct timespec64 end;

	return do_epoll_pwait((int)a0, UPTR(a1), (int)a2,
			      ep_timeout_ms(&end, (int)a3), UPTR(a4),
			      (size_t)a5);
}

/* epoll_pwait2: a struct timespec timeout (NULL: forever). */
SYSCALL(__NR_epoll_pwait2, epoll_pwait2)(SYSCALL_ARGS)
{
	struct timespec64 end, *to = NULL;

	if (!uptr_null(UPTR(a3))) {
		struct __kernel_timespec ts;

		if (get_user(ts, UPTR(a3)))
			return -EFAULT;
		to = &end;
		if (poll_set_timeout(to, ts.tv_sec, ts.tv_nsec))
			return -EINVAL;
	}
	return do_epoll_pwait((int)a0, UPTR(a1), (int)a2, to, UPTR(a4),
			      (size_t)a5);
}
