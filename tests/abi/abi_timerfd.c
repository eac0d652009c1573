/* abi_timerfd.c - timerfd_create/settime/gettime: clocks and flags, errors, one-shot and periodic expirations counted, absolute times, disarming, blocking and nonblocking reads, poll and epoll readiness. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#define T "abi_timerfd"
#define MS 1000000L

static struct itimerspec its(long value_ns, long interval_ns)
{
	struct itimerspec t = {
		.it_value = { value_ns / 1000000000L, value_ns % 1000000000L },
		.it_interval = { interval_ns / 1000000000L, interval_ns % 1000000000L },
	};
	return t;
}

static long ts_ns(const struct timespec *ts)
{
	return ts->tv_sec * 1000000000L + ts->tv_nsec;
}

static int readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && p.revents == POLLIN;
}

static void test_create(void)
{
	char path[32], link[64] = "";
	int fd;

	CHECK_ERR("bad clock", timerfd_create(99, 0), EINVAL);
	CHECK_ERR("CLOCK_PROCESS_CPUTIME_ID", timerfd_create(CLOCK_PROCESS_CPUTIME_ID, 0), EINVAL);
	CHECK_ERR("CLOCK_MONOTONIC_RAW", timerfd_create(CLOCK_MONOTONIC_RAW, 0), EINVAL);
	CHECK_ERR("bad flags", timerfd_create(CLOCK_MONOTONIC, 1), EINVAL);
	fd = timerfd_create(CLOCK_REALTIME, 0);
	CHECK_OK("CLOCK_REALTIME", fd);
	close(fd);
	fd = timerfd_create(CLOCK_BOOTTIME, 0);
	CHECK_OK("CLOCK_BOOTTIME", fd);
	close(fd);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	CHECK_OK("CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK", fd);
	CHECK_EQ("TFD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK("TFD_NONBLOCK", fcntl(fd, F_GETFL) & O_NONBLOCK);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_OK("readlink timerfd", readlink(path, link, sizeof link - 1));
	CHECK_STR("timerfd link", link, "anon_inode:[timerfd]");

	struct itimerspec t = its(0, 0), bad;
	uint64_t v;
	char small[4];
	CHECK_OK("gettime of a new timer", timerfd_gettime(fd, &t));
	CHECK("new timer disarmed", !t.it_value.tv_sec && !t.it_value.tv_nsec && !t.it_interval.tv_sec);
	CHECK_ERR("disarmed: read EAGAIN", read(fd, &v, 8), EAGAIN);
	CHECK_ERR("read of 4 bytes", read(fd, small, 4), EINVAL);
	CHECK_ERR("write", write(fd, &v, 8), EINVAL);
	t = its(MS, 0);
	CHECK_ERR("settime bad flags", timerfd_settime(fd, 4, &t, NULL), EINVAL);
	bad = its(0, 0);
	bad.it_value.tv_nsec = 1000000000L;
	CHECK_ERR("settime nsec too big", timerfd_settime(fd, 0, &bad, NULL), EINVAL);
	bad = its(0, 0);
	bad.it_interval.tv_sec = -1;
	CHECK_ERR("settime negative interval", timerfd_settime(fd, 0, &bad, NULL), EINVAL);
	CHECK_ERR("settime bad pointer", timerfd_settime(fd, 0, BAD_LOW, NULL), EFAULT);
	CHECK_ERR("settime bad old pointer", timerfd_settime(fd, 0, &t, BAD_LOW), EFAULT);
	CHECK_ERR("settime bad fd", timerfd_settime(-1, 0, &t, NULL), EBADF);
	CHECK_ERR("settime on a non-timerfd", timerfd_settime(0, 0, &t, NULL), EINVAL);
	CHECK_ERR("gettime bad fd", timerfd_gettime(-1, &t), EBADF);
	CHECK_ERR("gettime on a non-timerfd", timerfd_gettime(0, &t), EINVAL);
	CHECK_ERR("gettime bad pointer", timerfd_gettime(fd, BAD_LOW), EFAULT);
	t = its(0, 0);
	CHECK_OK("TFD_TIMER_CANCEL_ON_SET accepted", timerfd_settime(fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &t, NULL));
	close(fd);
}

static void test_oneshot(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
	struct itimerspec t = its(50 * MS, 0), old;
	uint64_t v = 0;

	CHECK_OK("arm 50 ms one-shot", timerfd_settime(fd, 0, &t, &old));
	CHECK("old setting was disarmed", !ts_ns(&old.it_value) && !ts_ns(&old.it_interval));
	timerfd_gettime(fd, &t);
	CHECK("gettime: 0 < left <= 50 ms", ts_ns(&t.it_value) > 0 && ts_ns(&t.it_value) <= 50 * MS);
	CHECK_EQ("gettime: no interval", ts_ns(&t.it_interval), 0);
	CHECK_ERR("not yet: EAGAIN", read(fd, &v, 8), EAGAIN);
	CHECK("not yet readable", !readable(fd));
	usleep(80000);
	CHECK("expired: readable", readable(fd));
	CHECK_EQ("read 8 bytes", read(fd, &v, 8), 8);
	CHECK_EQ("one expiration", v, 1);
	CHECK_ERR("read resets it", read(fd, &v, 8), EAGAIN);
	timerfd_gettime(fd, &t);
	CHECK_EQ("expired one-shot: value 0", ts_ns(&t.it_value), 0);

	/* Disarming, and the old value of an armed timer. */
	t = its(10000 * MS, 0);
	timerfd_settime(fd, 0, &t, NULL);
	t = its(0, 0);
	CHECK_OK("disarm", timerfd_settime(fd, 0, &t, &old));
	CHECK("old value: about 10 s left", ts_ns(&old.it_value) > 9000 * MS && ts_ns(&old.it_value) <= 10000 * MS);
	timerfd_gettime(fd, &t);
	CHECK_EQ("disarmed: value 0", ts_ns(&t.it_value), 0);

	/* Absolute times, on CLOCK_MONOTONIC and CLOCK_REALTIME. */
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	t = its(0, 0);
	t.it_value = now;
	CHECK_OK("absolute time in the past", timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
	usleep(20000);
	CHECK_EQ("fires at once", read(fd, &v, 8), 8);
	CHECK_EQ("once", v, 1);
	close(fd);
	fd = timerfd_create(CLOCK_REALTIME, 0);
	clock_gettime(CLOCK_REALTIME, &now);
	long target = ts_ns(&now) + 60 * MS;
	t = its(0, 0);
	t.it_value.tv_sec = target / 1000000000L;
	t.it_value.tv_nsec = target % 1000000000L;
	CHECK_OK("CLOCK_REALTIME absolute, 60 ms ahead", timerfd_settime(fd, TFD_TIMER_ABSTIME, &t, NULL));
	timerfd_gettime(fd, &t);
	CHECK("gettime: relative time left", ts_ns(&t.it_value) > 0 && ts_ns(&t.it_value) <= 60 * MS);
	long long t0 = now_ns();
	CHECK_EQ("blocking read", read(fd, &v, 8), 8);
	CHECK("it blocked until the expiry", now_ns() - t0 >= 30 * MS);
	CHECK_EQ("one expiration", v, 1);
	close(fd);
}

static void test_periodic(void)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec t = its(20 * MS, 20 * MS);
	uint64_t v = 0;

	long long a0 = now_ns();
	CHECK_OK("arm 20 ms periodic", timerfd_settime(fd, 0, &t, NULL));
	long long a1 = now_ns();
	usleep(210000);
	long long r0 = now_ns();
	CHECK_EQ("read", read(fd, &v, 8), 8);
	long long r1 = now_ns();
	/* The count is the periods elapsed, give or take a tick's lateness. */
	long long lo = (r0 - a1) / (20 * MS) - 1, hi = (r1 - a0) / (20 * MS) + 1;
	CHECK("the elapsed periods counted", (long long)v >= lo && (long long)v <= hi && v >= 9);
	timerfd_gettime(fd, &t);
	CHECK("periodic: next within the period", ts_ns(&t.it_value) > 0 && ts_ns(&t.it_value) <= 20 * MS);
	CHECK_EQ("periodic: interval kept", ts_ns(&t.it_interval), 20 * MS);
	CHECK_EQ("blocking read of the next", read(fd, &v, 8), 8);
	CHECK("one or two more", v >= 1 && v <= 2);

	/* settime resets the count. */
	usleep(50000);
	t = its(10000 * MS, 0);
	timerfd_settime(fd, 0, &t, NULL);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	CHECK_EQ("settime drops unread expirations", poll(&p, 1, 0), 0);

	/* epoll wakes on each expiry. */
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	t = its(30 * MS, 30 * MS);
	timerfd_settime(fd, 0, &t, NULL);
	CHECK_EQ("epoll: idle", epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ("epoll: woken by the expiry", epoll_wait(ep, &ev, 1, 2000), 1);
	read(fd, &v, 8);
	CHECK_EQ("epoll: drained", epoll_wait(ep, &ev, 1, 0), 0);
	CHECK_EQ("epoll: woken by the next", epoll_wait(ep, &ev, 1, 2000), 1);
	close(ep);
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	test_create();
	test_oneshot();
	test_periodic();
	return TEST_END();
}
