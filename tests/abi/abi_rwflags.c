/*
 * abi_rwflags: preadv2/pwritev2 and their RWF_* flags (offset -1 is the
 * file position; HIPRI, DSYNC, SYNC and APPEND taken; NOWAIT and unknown
 * bits EOPNOTSUPP on tmpfs and pipes, as Linux 6.1), and the order in
 * which the positioned calls report errors: a negative offset (EINVAL)
 * before a bad descriptor, a pipe (ESPIPE) before a bad buffer; and a
 * signal ending a long sendfile with the count copied so far.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/sendfile.h>
#include <sys/time.h>
#include <sys/uio.h>

#define RWF_HIPRI	0x01
#define RWF_DSYNC	0x02
#define RWF_SYNC	0x04
#define RWF_NOWAIT	0x08
#define RWF_APPEND	0x10

static long rv2(long nr, int fd, struct iovec *v, int n, long off, long flags)
{
	return syscall(nr, fd, v, n, off, 0, flags);
}

static long cfr(int in, off_t *oin, int out, off_t *oout, size_t len, unsigned flags)
{
	return syscall(SYS_copy_file_range, in, oin, out, oout, len, flags);
}

static void test_copy_file_range(void)
{
	int in = open("src", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int out = open("dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int p[2], d = open(".", O_RDONLY | O_DIRECTORY), other;
	off_t oi = 2, oo = 0;
	char buf[16] = "";

	CHECK_EQ("a source", write(in, "0123456789", 10), 10);
	lseek(in, 0, SEEK_SET);
	CHECK_EQ("copy_file_range from the positions", cfr(in, NULL, out, NULL, 4, 0), 4);
	CHECK_EQ("moves the source's position", lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ("and the destination's", lseek(out, 0, SEEK_CUR), 4);
	CHECK_EQ("with offsets", cfr(in, &oi, out, &oo, 3, 0), 3);
	CHECK("which advance", oi == 5 && oo == 3);
	CHECK_EQ("and leave the positions", lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ("the destination holds it", pread(out, buf, 8, 0), 4);
	CHECK("0123 with 234 copied over its start", !memcmp(buf, "2343", 4));
	oi = 8;
	CHECK_EQ("cut at the source's end", cfr(in, &oi, out, NULL, 100, 0), 2);
	CHECK_EQ("at its end, nothing", cfr(in, &oi, out, NULL, 100, 0), 0);
	CHECK_ERR("flags: EINVAL", cfr(in, NULL, out, NULL, 1, 1), EINVAL);
	CHECK_ERR("a bad descriptor: EBADF", cfr(999, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERR("a bad offset pointer: EFAULT", cfr(in, BAD_LOW, out, NULL, 1, 0), EFAULT);
	oi = -1;
	CHECK_ERR("offset -1 wraps with the count: EOVERFLOW", cfr(in, &oi, out, NULL, 1, 0), EOVERFLOW);
	oi = -5;
	CHECK_ERR("offset -5 does not: EINVAL", cfr(in, &oi, out, NULL, 1, 0), EINVAL);
	CHECK_ERR("a directory: EISDIR", cfr(d, NULL, out, NULL, 1, 0), EISDIR);
	CHECK_OK("a pipe", pipe(p));
	CHECK_ERR("a pipe: EINVAL", cfr(in, NULL, p[1], NULL, 1, 0), EINVAL);
	CHECK_ERR("a read-only destination: EBADF", cfr(in, NULL, open("dst", O_RDONLY), NULL, 1, 0), EBADF);
	CHECK_ERR("an O_APPEND destination: EBADF",
		  cfr(in, NULL, open("dst", O_WRONLY | O_APPEND), NULL, 1, 0), EBADF);
	oi = 0;
	oo = 2;
	CHECK_ERR("overlapping ranges in one file: EINVAL", cfr(in, &oi, in, &oo, 4, 0), EINVAL);
	oo = 4;
	CHECK_EQ("disjoint ranges in one file", cfr(in, &oi, in, &oo, 4, 0), 4);
	other = open("/abi-rwflags-other", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("a file on another filesystem (the root)", other >= 0);
	CHECK_ERR("across filesystems: EXDEV", cfr(in, NULL, other, NULL, 1, 0), EXDEV);
	close(other);
	unlink("/abi-rwflags-other");
	close(in);
	close(out);
	close(d);
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* 2 GiB of a sparse file to /dev/null: a signal ends it early. */
static void test_sendfile_signal(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, 50000 } };
	int zero = open("sparse", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int null = open("/dev/null", O_WRONLY);

	ftruncate(zero, 0x7ffff000);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	long long t0 = now_ns();
	ssize_t n = sendfile(null, zero, NULL, 0x7ffff000);
	long long ms = (now_ns() - t0) / 1000000;

	CHECK("sendfile of a 2 GiB sparse file ends at a signal with a short count",
	      n > 0 && n < 0x7ffff000);
	CHECK("within a second of the signal", ms < 1050);
	signal(SIGALRM, SIG_DFL);
	close(zero);
	close(null);
	unlink("sparse");
}

int main(void)
{
	char b[16], r[16];
	struct iovec v = { b, 5 }, z = { b, 0 }, rv = { r, 4 };
	int fd, p[2];

	TEST_BEGIN("abi_rwflags");
	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ("a file to work on", write(fd, "abcdefgh", 8), 8);
	memcpy(b, "HELLO", 5);

	CHECK_EQ("preadv2 at an offset", rv2(SYS_preadv2, fd, &rv, 1, 2, 0), 4);
	CHECK("reads what is there", !memcmp(r, "cdef", 4));
	CHECK_EQ("preadv2 RWF_HIPRI is taken", rv2(SYS_preadv2, fd, &rv, 1, 0, RWF_HIPRI), 4);
	lseek(fd, 3, SEEK_SET);
	CHECK_EQ("preadv2 at -1 reads at the position", rv2(SYS_preadv2, fd, &rv, 1, -1, 0), 4);
	CHECK("from the position", !memcmp(r, "defg", 4));
	CHECK_EQ("and moves it", lseek(fd, 0, SEEK_CUR), 7);
	CHECK_EQ("an offset elsewhere leaves it", (rv2(SYS_preadv2, fd, &rv, 1, 0, 0), lseek(fd, 0, SEEK_CUR)), 7);
	CHECK_ERR("preadv2 at -2: EINVAL", rv2(SYS_preadv2, fd, &rv, 1, -2, 0), EINVAL);
	CHECK_ERR("RWF_NOWAIT on tmpfs: EOPNOTSUPP", rv2(SYS_preadv2, fd, &rv, 1, 0, RWF_NOWAIT), EOPNOTSUPP);
	CHECK_ERR("an unknown flag: EOPNOTSUPP", rv2(SYS_preadv2, fd, &rv, 1, 0, 0x20), EOPNOTSUPP);
	CHECK_EQ("an unknown flag with nothing to move: 0", rv2(SYS_preadv2, fd, &z, 1, 0, 0x20), 0);
	CHECK_EQ("RWF_APPEND means nothing to a read", rv2(SYS_preadv2, fd, &rv, 1, 0, RWF_APPEND), 4);

	CHECK_EQ("pwritev2 RWF_APPEND writes at the end", rv2(SYS_pwritev2, fd, &v, 1, 0, RWF_APPEND), 5);
	CHECK_EQ("the file grew", lseek(fd, 0, SEEK_END), 13);
	CHECK_EQ("the start is untouched", (pread(fd, r, 1, 0), r[0]), 'a');
	lseek(fd, 1, SEEK_SET);
	CHECK_EQ("RWF_APPEND at -1", rv2(SYS_pwritev2, fd, &v, 1, -1, RWF_APPEND), 5);
	CHECK_EQ("leaves the position at the new end", lseek(fd, 0, SEEK_CUR), 18);
	CHECK_EQ("pwritev2 RWF_DSYNC", rv2(SYS_pwritev2, fd, &v, 1, 0, RWF_DSYNC), 5);
	CHECK_EQ("pwritev2 RWF_SYNC", rv2(SYS_pwritev2, fd, &v, 1, 0, RWF_SYNC), 5);
	CHECK_ERR("pwritev2 RWF_NOWAIT on tmpfs: EOPNOTSUPP", rv2(SYS_pwritev2, fd, &v, 1, 0, RWF_NOWAIT), EOPNOTSUPP);
	CHECK_ERR("pwritev2 on a read-only descriptor: EBADF",
		  rv2(SYS_pwritev2, open("f", O_RDONLY), &v, 1, 0, 0), EBADF);

	CHECK_OK("a pipe", pipe(p));
	CHECK_ERR("pipe: RWF_NOWAIT is EOPNOTSUPP too", rv2(SYS_pwritev2, p[1], &v, 1, -1, RWF_NOWAIT), EOPNOTSUPP);
	CHECK_EQ("pipe: at -1 it works", rv2(SYS_pwritev2, p[1], &v, 1, -1, 0), 5);
	CHECK_ERR("pipe: an offset is ESPIPE", rv2(SYS_preadv2, p[0], &rv, 1, 0, 0), ESPIPE);

	CHECK_ERR("pread: a negative offset before a bad descriptor", pread(999, r, 1, -1), EINVAL);
	CHECK_ERR("preadv: likewise", preadv(999, &rv, 1, -1), EINVAL);
	CHECK_ERR("pread of a pipe: ESPIPE before a bad buffer", pread(p[0], BAD_LOW, 1, 0), ESPIPE);
	CHECK_ERR("pwrite of a pipe: likewise", pwrite(p[1], BAD_LOW, 1, 0), ESPIPE);
	CHECK_ERR("pread with a bad buffer: EFAULT", pread(fd, BAD_LOW, 1, 0), EFAULT);
	test_copy_file_range();
	test_sendfile_signal();
	return TEST_END();
}
