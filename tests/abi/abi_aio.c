/* abi_aio.c - Linux native AIO through raw system calls (no libaio): io_setup's checks and ring (struct aio_ring at the context's address, reaped from user space as libaio does), fs.aio-nr and fs.aio-max-nr, io_submit's errno order and partial counts, reads, writes, vectors, syncs, polls, eventfd notification, io_getevents' min_nr, timeouts and EINTR, io_pgetevents' mask, io_cancel, io_destroy, and contexts across fork and exec. */
#include "check.h"
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <time.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/utsname.h>

#define T "abi_aio"

typedef unsigned long aio_context_t;

struct io_event {
	uint64_t data, obj;
	int64_t res, res2;
};

struct iocb {
	uint64_t aio_data;
	uint32_t aio_key;
	int32_t aio_rw_flags;
	uint16_t aio_lio_opcode;
	int16_t aio_reqprio;
	uint32_t aio_fildes;
	uint64_t aio_buf, aio_nbytes;
	int64_t aio_offset;
	uint64_t aio_reserved2;
	uint32_t aio_flags, aio_resfd;
};

struct aio_ring {
	unsigned id, nr, head, tail, magic, compat_features, incompat_features,
		header_length;
	struct io_event events[];
};

enum { CMD_PREAD, CMD_PWRITE, CMD_FSYNC, CMD_FDSYNC, CMD_NOOP = 6,
       CMD_POLL = 5, CMD_PREADV = 7, CMD_PWRITEV = 8 };
#define FLAG_RESFD 1

/* Aramid's ludicrous profile trusts user pointers (no access_ok). */
static int ludicrous;

static long io_setup(unsigned nr, aio_context_t *ctx)
{
	return syscall(SYS_io_setup, nr, ctx);
}
static long io_destroy(aio_context_t ctx) { return syscall(SYS_io_destroy, ctx); }
static long io_submit(aio_context_t ctx, long nr, struct iocb **v)
{
	return syscall(SYS_io_submit, ctx, nr, v);
}
static long io_getevents(aio_context_t ctx, long min, long nr,
			 struct io_event *ev, struct timespec *ts)
{
	return syscall(SYS_io_getevents, ctx, min, nr, ev, ts);
}
static long io_cancel(aio_context_t ctx, struct iocb *cb, struct io_event *ev)
{
	return syscall(SYS_io_cancel, ctx, cb, ev);
}
static long submit1(aio_context_t ctx, struct iocb *cb)
{
	return io_submit(ctx, 1, &cb);
}

static struct iocb rw(int op, int fd, void *buf, size_t n, long off)
{
	struct iocb cb = { .aio_lio_opcode = op, .aio_fildes = fd,
			   .aio_buf = (uintptr_t)buf, .aio_nbytes = n,
			   .aio_offset = off, .aio_data = 0x1234 + op };
	return cb;
}

static long read_num(const char *path)
{
	char b[32] = "";
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (read(fd, b, sizeof b - 1) < 0)
		b[0] = 0;
	close(fd);
	return atol(b);
}

static void test_setup(void)
{
	aio_context_t ctx = 0;
	long nr0 = read_num("/proc/sys/fs/aio-nr");

	CHECK_ERR("io_setup bad ctxp", io_setup(1, BAD_LOW), EFAULT);
	ctx = 1;
	CHECK_ERR("io_setup *ctxp nonzero", io_setup(1, &ctx), EINVAL);
	ctx = 0;
	CHECK_ERR("io_setup 0 events", io_setup(0, &ctx), EINVAL);
	CHECK_ERR("io_setup 2^28 events: too many", io_setup(0x10000000, &ctx), EINVAL);
	CHECK_ERR("io_setup 2^31 events: doubled to 0", io_setup(0x80000000u, &ctx), EAGAIN);
	CHECK_ERR("io_setup past aio-max-nr", io_setup(65537, &ctx), EAGAIN);
	CHECK_EQ("failed io_setup leaves *ctxp", ctx, 0);
	CHECK_EQ("fs.aio-max-nr default", read_num("/proc/sys/fs/aio-max-nr"), 65536);

	CHECK_OK("io_setup(7)", io_setup(7, &ctx));
	CHECK("context is a page-aligned address", ctx && !(ctx & 4095));
	CHECK_EQ("fs.aio-nr counts what was asked", read_num("/proc/sys/fs/aio-nr"), nr0 + 7);
	struct aio_ring *r = (struct aio_ring *)ctx;
	CHECK_EQ("ring magic", r->magic, 0xa10a10a1);
	CHECK_EQ("ring compat features", r->compat_features, 1);
	CHECK_EQ("ring incompat features", r->incompat_features, 0);
	CHECK_EQ("ring header length", r->header_length, 32);
	CHECK_EQ("ring id: first slot", r->id, 0);
	CHECK_EQ("ring head", r->head, 0);
	CHECK_EQ("ring tail", r->tail, 0);
	CHECK("ring fills its pages", r->nr >= 14 && r->nr % 128 == 127);
	char maps[16384] = "", want[64];
	int mfd = open("/proc/self/maps", O_RDONLY);
	ssize_t mn = mfd < 0 ? -1 : read(mfd, maps, sizeof maps - 1);
	if (mfd >= 0)
		close(mfd);
	maps[mn > 0 ? mn : 0] = 0;
	snprintf(want, sizeof want, "%lx-%lx rw-s ", ctx, ctx + 4096);
	char *ml = strstr(maps, want);
	char *eol = ml ? strchr(ml, '\n') : NULL;
	if (eol)
		*eol = 0;
	CHECK("/proc/self/maps: the ring, shared", ml != NULL);
	CHECK("/proc/self/maps: named /[aio] (deleted)", ml && strstr(ml, " /[aio] (deleted)"));
	aio_context_t ctx2 = 0;
	CHECK_OK("second io_setup", io_setup(1, &ctx2));
	CHECK_EQ("second ring id", ((struct aio_ring *)ctx2)->id, 1);
	CHECK_EQ("fs.aio-nr with both", read_num("/proc/sys/fs/aio-nr"), nr0 + 8);
	CHECK_OK("io_destroy", io_destroy(ctx));
	CHECK_EQ("fs.aio-nr after io_destroy", read_num("/proc/sys/fs/aio-nr"), nr0 + 1);
	CHECK_ERR("io_destroy again", io_destroy(ctx), EINVAL);
	unsigned char vec;
	CHECK_ERR("ring unmapped by io_destroy", mincore((void *)ctx, 4096, &vec), ENOMEM);
	CHECK_ERR("io_destroy of 0", io_destroy(0), EINVAL);
	CHECK_ERR("io_destroy of a non-context", io_destroy((aio_context_t)&vec), EINVAL);
	CHECK_OK("io_destroy second", io_destroy(ctx2));

	/* fs.aio-max-nr bounds the sum (root may lower it). */
	if (geteuid() == 0) {
		CHECK_OK("lower fs.aio-max-nr", write_str("/proc/sys/fs/aio-max-nr", "10\n"));
		CHECK_EQ("fs.aio-max-nr lowered", read_num("/proc/sys/fs/aio-max-nr"), 10);
		ctx = 0;
		CHECK_ERR("io_setup(11) past the limit", io_setup(11, &ctx), EAGAIN);
		CHECK_OK("io_setup(6)", io_setup(6, &ctx));
		ctx2 = 0;
		CHECK_ERR("io_setup(5): 6 + 5 past 10", io_setup(5, &ctx2), EAGAIN);
		CHECK_OK("io_setup(4): 6 + 4 fits", io_setup(4, &ctx2));
		io_destroy(ctx);
		io_destroy(ctx2);
		CHECK_OK("restore fs.aio-max-nr", write_str("/proc/sys/fs/aio-max-nr", "65536\n"));
	}
	CHECK_ERR("fs.aio-nr read-only", write_str("/proc/sys/fs/aio-nr", "0\n"), EACCES);
}

static void test_submit_errors(void)
{
	aio_context_t ctx = 0;
	char buf[64];
	int fd = open("/tmp/abi_aio.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int wo = open("/tmp/abi_aio.f", O_WRONLY);
	struct iocb cb, *v[2];

	CHECK_OK("io_setup(4)", io_setup(4, &ctx));
	cb = rw(CMD_PREAD, fd, buf, sizeof buf, 0);
	CHECK_ERR("io_submit nr < 0", io_submit(ctx, -1, v), EINVAL);
	CHECK_ERR("io_submit bad context", io_submit(ctx + 4096, 1, v), EINVAL);
	CHECK_ERR("io_submit context 0", io_submit(0, 1, v), EINVAL);
	CHECK_EQ("io_submit nr 0", io_submit(ctx, 0, NULL), 0);
	CHECK_ERR("io_submit bad array", io_submit(ctx, 1, BAD_LOW), EFAULT);
	v[0] = BAD_LOW;
	CHECK_ERR("io_submit bad iocb", io_submit(ctx, 1, v), EFAULT);
	cb.aio_reserved2 = 1;
	CHECK_ERR("aio_reserved2 set", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, fd, buf, (size_t)-1, 0);
	CHECK_ERR("negative aio_nbytes", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, 999, buf, 1, 0);
	CHECK_ERR("bad descriptor", submit1(ctx, &cb), EBADF);
	cb = rw(CMD_NOOP, fd, buf, 1, 0);
	cb.aio_key = 77;
	CHECK_ERR("IOCB_CMD_NOOP is not an operation", submit1(ctx, &cb), EINVAL);
	CHECK_EQ("aio_key written before the opcode is looked at", cb.aio_key, 0);
	cb = rw(99, fd, buf, 1, 0);
	CHECK_ERR("unknown opcode", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, wo, buf, 1, 0);
	CHECK_ERR("PREAD on O_WRONLY", submit1(ctx, &cb), EBADF);
	cb = rw(CMD_PREAD, fd, buf, 1, -1);
	CHECK_ERR("negative offset", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, fd, BAD_KHALF, 1, 0);
	if (!ludicrous)
		CHECK_ERR("PREAD into a kernel address", submit1(ctx, &cb), EFAULT);
	cb = rw(CMD_PREADV, fd, BAD_LOW, 1, 0);
	CHECK_ERR("PREADV from a bad iovec", submit1(ctx, &cb), EFAULT);
	cb = rw(CMD_PREADV, fd, buf, 1025, 0);
	CHECK_ERR("PREADV past UIO_MAXIOV", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, fd, buf, 1, 0);
	cb.aio_rw_flags = 0x100;
	CHECK_ERR("unknown aio_rw_flags", submit1(ctx, &cb), EOPNOTSUPP);
	cb = rw(CMD_FSYNC, fd, NULL, 1, 0);
	CHECK_ERR("FSYNC with a length", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_FDSYNC, fd, NULL, 0, 8);
	CHECK_ERR("FDSYNC with an offset", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_POLL, fd, (void *)0x10000, 0, 0);
	CHECK_ERR("POLL with events past 16 bits", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_POLL, fd, (void *)POLLIN, 1, 0);
	CHECK_ERR("POLL with a length", submit1(ctx, &cb), EINVAL);
	cb = rw(CMD_PREAD, fd, buf, 1, 0);
	cb.aio_flags = FLAG_RESFD;
	cb.aio_resfd = fd;
	CHECK_ERR("RESFD not an eventfd", submit1(ctx, &cb), EINVAL);
	cb.aio_resfd = 999;
	CHECK_ERR("RESFD bad descriptor", submit1(ctx, &cb), EBADF);

	/* A bad second iocb: the first is queued and counted. */
	struct iocb good = rw(CMD_PWRITE, fd, "ab", 2, 0), bad = rw(99, fd, buf, 1, 0);
	v[0] = &good;
	v[1] = &bad;
	CHECK_EQ("io_submit stops at the bad one", io_submit(ctx, 2, v), 1);
	struct io_event ev[4];
	struct timespec zero = { 0, 0 };
	CHECK_EQ("its event", io_getevents(ctx, 1, 4, ev, &zero), 1);
	CHECK_EQ("event res", ev[0].res, 2);
	CHECK_EQ("nothing else", io_getevents(ctx, 0, 4, ev, &zero), 0);
	io_destroy(ctx);
	close(fd);
	close(wo);
}

static void test_io(void)
{
	aio_context_t ctx = 0;
	char out[16] = "hello aio world", in[16], a[4], b[8];
	struct iovec iov[2] = { { a, 4 }, { b, 8 } };
	int fd = open("/tmp/abi_aio.f", O_RDWR | O_CREAT | O_TRUNC, 0600);
	struct io_event ev[8];
	struct timespec ts = { 1, 0 };
	struct iocb w, r, rv, s, ds, *v[4];

	CHECK_OK("io_setup(8)", io_setup(8, &ctx));
	w = rw(CMD_PWRITE, fd, out, 15, 1);
	CHECK_EQ("PWRITE submitted", submit1(ctx, &w), 1);
	memset(in, 0, sizeof in);
	r = rw(CMD_PREAD, fd, in, 16, 0);
	rv = rw(CMD_PREADV, fd, iov, 2, 2);
	s = rw(CMD_FSYNC, fd, NULL, 0, 0);
	ds = rw(CMD_FDSYNC, fd, NULL, 0, 0);
	v[0] = &r;
	v[1] = &rv;
	v[2] = &s;
	v[3] = &ds;
	CHECK_EQ("four submitted at once", io_submit(ctx, 4, v), 4);
	CHECK_EQ("io_getevents min 5", io_getevents(ctx, 5, 8, ev, &ts), 5);
	CHECK_EQ("write: data", ev[0].data, 0x1234 + CMD_PWRITE);
	CHECK_EQ("write: obj", ev[0].obj, (uintptr_t)&w);
	CHECK_EQ("write: res", ev[0].res, 15);
	CHECK_EQ("write: res2", ev[0].res2, 0);
	CHECK_EQ("read: obj", ev[1].obj, (uintptr_t)&r);
	CHECK_EQ("read: res (file of 16)", ev[1].res, 16);
	CHECK("read: data", !memcmp(in + 1, out, 15) && in[0] == 0);
	CHECK_EQ("readv: res", ev[2].res, 12);
	CHECK("readv: data", !memcmp(a, "ello", 4) && !memcmp(b, " aio wor", 8));
	CHECK_EQ("fsync: res", ev[3].res, 0);
	CHECK_EQ("fdatasync: res", ev[4].res, 0);

	struct iovec wv[2] = { { "XY", 2 }, { "Z", 1 } };
	struct iocb pw = rw(CMD_PWRITEV, fd, wv, 2, 20);
	CHECK_EQ("PWRITEV", submit1(ctx, &pw), 1);
	CHECK_EQ("PWRITEV event", io_getevents(ctx, 1, 1, ev, NULL), 1);
	CHECK_EQ("PWRITEV res", ev[0].res, 3);
	CHECK_EQ("file grew", lseek(fd, 0, SEEK_END), 23);
	/* Errors of the I/O itself come in the event. */
	int p[2];
	CHECK_OK("pipe", pipe(p));
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	struct iocb ep = rw(CMD_PWRITE, p[1], "x", 1, 0);
	CHECK_EQ("PWRITE to a pipe without readers submitted", submit1(ctx, &ep), 1);
	CHECK_EQ("its event", io_getevents(ctx, 1, 1, ev, NULL), 1);
	CHECK_EQ("res EPIPE", ev[0].res, -EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	struct iocb uf = rw(CMD_PREAD, fd, BAD_LOW, 4, 0);
	CHECK_EQ("PREAD into an unmapped page submitted", submit1(ctx, &uf), 1);
	CHECK_EQ("its event", io_getevents(ctx, 1, 1, ev, NULL), 1);
	CHECK_EQ("res EFAULT", ev[0].res, -EFAULT);
	CHECK_OK("pipe", pipe(p));
	struct iocb fp = rw(CMD_FSYNC, p[0], NULL, 0, 0);
	CHECK_ERR("FSYNC of a pipe", submit1(ctx, &fp), EINVAL);

	/* libaio's way: reap from the ring, then the kernel sees the head. */
	struct aio_ring *ring = (struct aio_ring *)ctx;
	r = rw(CMD_PREAD, fd, in, 4, 0);
	CHECK_EQ("PREAD for the ring", submit1(ctx, &r), 1);
	unsigned head = ring->head, tail = ring->tail;
	CHECK_EQ("one event in the ring", (tail + ring->nr - head) % ring->nr, 1);
	CHECK_EQ("ring event obj", ring->events[head].obj, (uintptr_t)&r);
	CHECK_EQ("ring event res", ring->events[head].res, 4);
	ring->head = (head + 1) % ring->nr;
	CHECK_EQ("io_getevents after user-space reaping", io_getevents(ctx, 0, 8, ev, &ts), 0);

	/* EFAULT when events cannot be copied out; they stay in the ring. */
	CHECK_EQ("PREAD", submit1(ctx, &r), 1);
	CHECK_ERR("io_getevents into a bad array", io_getevents(ctx, 1, 1, BAD_LOW, NULL), EFAULT);
	CHECK_EQ("event kept", io_getevents(ctx, 1, 1, ev, NULL), 1);
	close(p[0]);
	close(p[1]);
	io_destroy(ctx);
	close(fd);
}

static void test_full(void)
{
	aio_context_t ctx = 0;
	char c;
	int fd = open("/tmp/abi_aio.f", O_RDWR);
	struct iocb cb = rw(CMD_PREAD, fd, &c, 1, 0), *v[1] = { &cb };
	struct io_event ev[256];
	long n = 0;

	CHECK_OK("io_setup(16)", io_setup(16, &ctx));
	unsigned nr = ((struct aio_ring *)ctx)->nr;
	while (n < 4096 && io_submit(ctx, 1, v) == 1)
		n++;
	CHECK_ERR("a full ring: EAGAIN", io_submit(ctx, 1, v), EAGAIN);
	CHECK("at least the events asked for, fewer than the ring's", n >= 16 && n < nr);
	CHECK_EQ("reap them all", io_getevents(ctx, n, 256, ev, NULL), n);
	CHECK_EQ("room again", io_submit(ctx, 1, v), 1);
	io_destroy(ctx);
	close(fd);
}

static void on_alarm(int sig) { (void)sig; }

static void test_getevents(void)
{
	aio_context_t ctx = 0;
	struct io_event ev[4];
	struct timespec t10 = { 0, 10 * 1000 * 1000 }, neg = { -1, 0 }, t0, t1;
	struct sigaction sa = { .sa_handler = on_alarm };

	CHECK_OK("io_setup(2)", io_setup(2, &ctx));
	CHECK_ERR("min_nr > nr", io_getevents(ctx, 2, 1, ev, NULL), EINVAL);
	CHECK_ERR("min_nr < 0", io_getevents(ctx, -1, 1, ev, NULL), EINVAL);
	CHECK_ERR("bad context", io_getevents(ctx + 8, 0, 1, ev, NULL), EINVAL);
	CHECK_ERR("bad timeout pointer", io_getevents(ctx, 0, 1, ev, BAD_LOW), EFAULT);
	CHECK_ERR("bad timeout before bad context", io_getevents(0, 0, 1, ev, BAD_LOW), EFAULT);
	CHECK_EQ("nr 0", io_getevents(ctx, 0, 0, ev, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK_EQ("10 ms timeout, nothing", io_getevents(ctx, 1, 1, ev, &t10), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK("waited about 10 ms", ms >= 9 && ms < 1000);
	sigaction(SIGALRM, &sa, NULL);
	ualarm(20000, 0);
	CHECK_ERR("a signal: EINTR", io_getevents(ctx, 1, 1, ev, NULL), EINTR);
	ualarm(20000, 0);
	CHECK_ERR("a negative timeout never ends: EINTR", io_getevents(ctx, 1, 1, ev, &neg), EINTR);
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGALRM);
	struct { const sigset_t *m; size_t n; } as = { &set, 7 };
	CHECK_ERR("io_pgetevents sigsetsize 7",
		  syscall(SYS_io_pgetevents, ctx, 0, 1, ev, NULL, &as), EINVAL);
	CHECK_ERR("io_pgetevents bad sigset struct",
		  syscall(SYS_io_pgetevents, ctx, 0, 1, ev, NULL, BAD_LOW), EFAULT);
	as.n = 8;
	CHECK_EQ("io_pgetevents with a mask, no wait",
		 syscall(SYS_io_pgetevents, ctx, 0, 1, ev, &t10, &as), 0);
	CHECK_EQ("io_pgetevents no mask",
		 syscall(SYS_io_pgetevents, ctx, 1, 1, ev, &t10, NULL), 0);
	/* The mask blocks SIGALRM for the wait: the timeout ends it. */
	ualarm(10000, 0);
	struct timespec t50 = { 0, 50 * 1000 * 1000 };
	CHECK_EQ("io_pgetevents: SIGALRM blocked during the wait",
		 syscall(SYS_io_pgetevents, ctx, 1, 1, ev, &t50, &as), 0);
	sigprocmask(SIG_BLOCK, NULL, &old);
	CHECK("mask restored", !sigismember(&old, SIGALRM));
	/* It is delivered now; unblocked again, it interrupts. */
	sigemptyset(&set);
	ualarm(20000, 0);
	CHECK_ERR("io_pgetevents: EINTR with an empty mask",
		  syscall(SYS_io_pgetevents, ctx, 1, 1, ev, NULL, &as), EINTR);
	signal(SIGALRM, SIG_DFL);
	io_destroy(ctx);
	CHECK_ERR("io_getevents after io_destroy", io_getevents(ctx, 0, 1, ev, NULL), EINVAL);
}

static void test_poll_eventfd(void)
{
	aio_context_t ctx = 0;
	struct io_event ev[2];
	struct timespec zero = { 0, 0 }, sec = { 2, 0 };
	int p[2], efd = eventfd(0, EFD_NONBLOCK);
	uint64_t cnt = 0;

	CHECK_OK("pipe", pipe(p));
	CHECK_OK("io_setup(4)", io_setup(4, &ctx));
	struct iocb pl = rw(CMD_POLL, p[0], (void *)(POLLIN), 0, 0);
	pl.aio_flags = FLAG_RESFD;
	pl.aio_resfd = efd;
	CHECK_EQ("POLL on an empty pipe", submit1(ctx, &pl), 1);
	CHECK_EQ("not ready yet", io_getevents(ctx, 0, 2, ev, &zero), 0);
	CHECK_ERR("eventfd not signalled", read(efd, &cnt, 8), EAGAIN);
	CHECK_EQ("write to the pipe", write(p[1], "x", 1), 1);
	CHECK_EQ("poll completes", io_getevents(ctx, 1, 2, ev, &sec), 1);
	CHECK_EQ("poll obj", ev[0].obj, (uintptr_t)&pl);
	CHECK_EQ("woken poll res: the waker's POLLIN | POLLRDNORM", ev[0].res, POLLIN | POLLRDNORM);
	CHECK_EQ("eventfd signalled", read(efd, &cnt, 8), 8);
	CHECK_EQ("eventfd count 1", cnt, 1);
	CHECK_ERR("cancel a completed poll", io_cancel(ctx, &pl, ev), EINVAL);
	/* Ready at submission: at once. */
	struct iocb pw = rw(CMD_POLL, p[1], (void *)(POLLOUT), 0, 0);
	CHECK_EQ("POLLOUT on a pipe", submit1(ctx, &pw), 1);
	CHECK_EQ("complete", io_getevents(ctx, 1, 2, ev, &sec), 1);
	CHECK_EQ("ready at once: res only the events asked, POLLOUT", ev[0].res, POLLOUT);
	/* io_cancel of a waiting poll. */
	char c;
	CHECK_EQ("drain", read(p[0], &c, 1), 1);
	struct iocb pc = rw(CMD_POLL, p[0], (void *)(POLLIN), 0, 0);
	CHECK_EQ("another POLL", submit1(ctx, &pc), 1);
	pc.aio_key = 1;
	CHECK_ERR("io_cancel: aio_key not 0", io_cancel(ctx, &pc, ev), EINVAL);
	pc.aio_key = 0;
	CHECK_ERR("io_cancel: bad iocb", io_cancel(ctx, BAD_LOW, ev), EFAULT);
	CHECK_ERR("io_cancel: bad context", io_cancel(ctx + 4096, &pc, ev), EINVAL);
	CHECK_ERR("io_cancel: EINPROGRESS", io_cancel(ctx, &pc, NULL), EINPROGRESS);
	CHECK_EQ("cancelled poll's event", io_getevents(ctx, 1, 2, ev, &sec), 1);
	CHECK_EQ("cancelled obj", ev[0].obj, (uintptr_t)&pc);
	CHECK_EQ("cancelled res 0", ev[0].res, 0);
	CHECK_ERR("io_cancel again", io_cancel(ctx, &pc, NULL), EINVAL);
	/* A waiting poll when the context goes. */
	CHECK_EQ("a poll left waiting", submit1(ctx, &pc), 1);
	CHECK_OK("io_destroy with a poll waiting", io_destroy(ctx));
	/* Each completed I/O signals. */
	ctx = 0;
	CHECK_OK("io_setup(4)", io_setup(4, &ctx));
	int fd = open("/tmp/abi_aio.f", O_RDWR);
	struct iocb r1 = rw(CMD_PREAD, fd, &c, 1, 0), r2 = r1;
	r1.aio_flags = r2.aio_flags = FLAG_RESFD;
	r1.aio_resfd = r2.aio_resfd = efd;
	struct iocb *v[2] = { &r1, &r2 };
	CHECK_EQ("two reads with RESFD", io_submit(ctx, 2, v), 2);
	CHECK_EQ("eventfd read", read(efd, &cnt, 8), 8);
	CHECK_EQ("eventfd count 2", cnt, 2);
	io_destroy(ctx);
	close(fd);
	close(efd);
	close(p[0]);
	close(p[1]);
}

static void test_fork(void)
{
	aio_context_t ctx = 0;
	struct io_event ev;

	CHECK_OK("io_setup", io_setup(1, &ctx));
	pid_t pid = fork();
	if (pid == 0) {
		int ok = io_getevents(ctx, 0, 1, &ev, NULL) == -1 && errno == EINVAL &&
			 io_destroy(ctx) == -1 && errno == EINVAL &&
			 ((struct aio_ring *)ctx)->magic == 0xa10a10a1;
		_exit(ok ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK_EQ("child: the ring mapped but not its context", st, 0);
	CHECK_OK("parent's context lives", io_getevents(ctx, 0, 1, &ev, NULL));
	io_destroy(ctx);
}

/* exec ends the contexts of the address space it leaves. */
static void test_exec(void)
{
	long nr0 = read_num("/proc/sys/fs/aio-nr");
	char want[24];

	snprintf(want, sizeof want, "%ld", nr0);
	pid_t pid = fork();
	if (pid == 0) {
		aio_context_t ctx = 0;
		if (io_setup(5, &ctx) || read_num("/proc/sys/fs/aio-nr") != nr0 + 5)
			_exit(2);
		execl("/proc/self/exe", "abi_aio", "probe", want, (char *)NULL);
		_exit(3);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK_EQ("exec gives back fs.aio-nr", st, 0);
	CHECK_EQ("and exit does", read_num("/proc/sys/fs/aio-nr"), nr0);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "probe"))
		return read_num("/proc/sys/fs/aio-nr") == atol(argv[2]) ? 0 : 1;
	TEST_BEGIN(T);
	struct utsname u;
	ludicrous = uname(&u) == 0 && strstr(u.version, "Aramid ludicrous");
	test_setup();
	test_submit_errors();
	test_io();
	test_full();
	test_getevents();
	test_poll_eventfd();
	test_fork();
	test_exec();
	unlink("/tmp/abi_aio.f");
	return TEST_END();
}
