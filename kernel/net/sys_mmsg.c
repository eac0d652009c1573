/*
 * sendmmsg and recvmmsg, as Linux 6.1's __sys_sendmmsg and do_recvmmsg:
 * sendmsg or recvmsg for each entry of a vector in turn, each entry's
 * msg_len set to its bytes; the count of messages moved is returned, and
 * an error only if no message moved (recvmmsg keeps a later one as the
 * socket's pending error, unless it is EAGAIN).
 */
#include <kernel/socket.h>
#include <kernel/syscall.h>
#include <svc/uio.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/poll.h>

static uptr_t entry_at(uptr_t vec, unsigned i)
{
	return uptr_add(vec, (size_t)i * sizeof(struct user_mmsghdr));
}

static int put_len(uptr_t entry, long len)
{
	uint32_t v = (uint32_t)len;

	return put_user(v, uptr_add(entry,
			offsetof(struct user_mmsghdr, msg_len)));
}

/* vlen is cut to UIO_MAXIOV; a message sent in part ends the vector. */
SYSCALL(__NR_sendmmsg, sendmmsg)(SYSCALL_ARGS)
{
	unsigned vlen = MIN((unsigned)a2, (unsigned)UIO_MAXIOV), sent = 0;
	int flags = (int)a3;
	struct socket *sock;
	struct file *f;
	long err;

	if ((unsigned)flags & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_get((int)a0, &f, &err);
	if (!sock)
		return err;
	err = 0;
	while (sent < vlen) {
		uptr_t entry = entry_at(UPTR(a1), sent);
		size_t left = 0;

		err = sock_sendmsg_user(sock, f, entry, flags, &left);
		if (err < 0)
			break;
		err = put_len(entry, err);
		if (err)
			break;
		sent++;
		if (left)
			break;
	}
	fput(f);
	return sent ? (long)sent : err;
}

/*
 * The deadline of recvmmsg's timeout (Linux's poll_select_set_timeout):
 * EINVAL for a negative or unnormalised one; a zero one is a deadline
 * already past.
 */
static int timeout_deadline(const struct __kernel_timespec *ts,
			    uint64_t *deadline)
{
	uint64_t span;

	if (ts->tv_sec < 0 || ts->tv_nsec < 0 ||
	    ts->tv_nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	if (!ts->tv_sec && !ts->tv_nsec) {
		*deadline = 0;
		return 0;
	}
	if ((uint64_t)ts->tv_sec > UINT64_MAX / 4 / NSEC_PER_SEC)
		span = UINT64_MAX / 4;
	else
		span = (uint64_t)ts->tv_sec * NSEC_PER_SEC +
		       (uint64_t)ts->tv_nsec;
	*deadline = clock_monotonic_ns() + span;
	return 0;
}

/*
 * Linux's do_recvmmsg: the socket's pending error first; then a message
 * per entry. The timeout is looked at only between messages (each
 * receive blocks as the socket does): once past, the messages so far
 * are returned and the time left (0) written back.
 */
static long recvmmsg(int fd, uptr_t vec, unsigned vlen, int flags,
		     uint64_t *deadline, struct __kernel_timespec *left)
{
	unsigned got = 0;
	struct socket *sock;
	struct file *f;
	long err;

	sock = sockfd_get(fd, &f, &err);
	if (!sock)
		return err;
	if (!(flags & MSG_ERRQUEUE) && sock->error) {
		err = -sock->error;
		sock->error = 0;
		goto out_put;
	}
	err = 0;
	while (got < vlen) {
		uptr_t entry = entry_at(vec, got);
		int mflags = 0;

		err = sock_recvmsg_user(sock, f, entry, flags & ~MSG_WAITFORONE,
					&mflags);
		if (err < 0)
			break;
		err = put_len(entry, err);
		if (err)
			break;
		got++;
		if (flags & MSG_WAITFORONE)
			flags |= MSG_DONTWAIT;
		if (deadline) {
			uint64_t now = clock_monotonic_ns();
			uint64_t rest = *deadline > now ? *deadline - now : 0;

			left->tv_sec = (int64_t)(rest / NSEC_PER_SEC);
			left->tv_nsec = (int64_t)(rest % NSEC_PER_SEC);
			if (!rest)
				break;
		}
		if (mflags & MSG_OOB)
			break;
	}
	if (got && err && err != -EAGAIN)
		sock->error = (int)-err;
out_put:
	fput(f);
	return got ? (long)got : err;
}

SYSCALL(__NR_recvmmsg, recvmmsg)(SYSCALL_ARGS)
{
	struct __kernel_timespec ts;
	uint64_t deadline;
	long ret;
	int err;

	if ((unsigned)a3 & MSG_CMSG_COMPAT)
		return -EINVAL;
	if (!a4)
		return recvmmsg((int)a0, UPTR(a1), (unsigned)a2, (int)a3, NULL,
				NULL);
	if (copy_from_user(&ts, UPTR(a4), sizeof(ts)))
		return -EFAULT;
	err = timeout_deadline(&ts, &deadline);
	if (err)
		return err;
	ret = recvmmsg((int)a0, UPTR(a1), (unsigned)a2, (int)a3, &deadline,
		       &ts);
	if (ret > 0 && copy_to_user(UPTR(a4), &ts, sizeof(ts)))
		return -EFAULT;
	return ret;
}
