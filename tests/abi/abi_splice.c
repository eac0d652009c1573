/*
 * abi_splice - splice, tee and vmsplice as Linux 6.1: data between a
 * pipe and a file or another pipe, copies by tee, user memory in and out
 * by vmsplice, and the errors for offsets on pipes, non-pipes, bad flags
 * and ends opened the wrong way; into a pipe, only what it has room for,
 * and the bytes before a fault.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/uio.h>

static void test_file_pipe(void)
{
	char buf[64] = { 0 };
	loff_t off = 2;
	int p[2], fd;

	fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ("write the file", write(fd, "hello splice", 12), 12);
	pipe(p);
	CHECK_EQ("splice file (offset 2) into a pipe",
		 splice(fd, &off, p[1], NULL, 100, 0), 10);
	CHECK_EQ("... the offset advanced", off, 12);
	CHECK_EQ("... the file position did not move", lseek(fd, 0, SEEK_CUR),
		 12);
	CHECK_EQ("the pipe holds the bytes", read(p[0], buf, sizeof buf), 10);
	CHECK_STR("... in order", buf, "llo splice");
	CHECK_EQ("splice at end of file is 0",
		 splice(fd, NULL, p[1], NULL, 100, 0), 0);
	CHECK_EQ("write to the pipe", write(p[1], "ABCDEF", 6), 6);
	off = 0;
	CHECK_EQ("splice 4 of them into the file at 0",
		 splice(p[0], NULL, fd, &off, 4, 0), 4);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("the file has them", pread(fd, buf, 12, 0), 12);
	CHECK_STR("... at its start", buf, "ABCDo splice");
	CHECK_EQ("two stay in the pipe", read(p[0], buf, sizeof buf), 2);
	CHECK_ERR("an offset on the pipe side is ESPIPE",
		  splice(p[0], &off, fd, NULL, 4, 0), ESPIPE);
	CHECK_ERR("two files, no pipe, is EINVAL",
		  splice(fd, NULL, fd, NULL, 4, 0), EINVAL);
	CHECK_ERR("unknown flags are EINVAL",
		  splice(fd, NULL, p[1], NULL, 4, 0x10), EINVAL);
	CHECK_EQ("a zero length is 0 before anything else",
		 splice(-1, NULL, -1, NULL, 0, 0), 0);
	CHECK_ERR("a bad descriptor is EBADF",
		  splice(-1, NULL, p[1], NULL, 4, 0), EBADF);
	CHECK_ERR("the write end as input is EBADF",
		  splice(p[1], NULL, fd, NULL, 4, 0), EBADF);
	CHECK_ERR("an empty pipe with SPLICE_F_NONBLOCK is EAGAIN",
		  splice(p[0], NULL, fd, NULL, 4, SPLICE_F_NONBLOCK), EAGAIN);
	off = -1;
	CHECK_ERR("a negative offset is EINVAL",
		  splice(fd, &off, p[1], NULL, 4, 0), EINVAL);
	CHECK_ERR("a bad offset pointer is EFAULT",
		  splice(fd, (loff_t *)0x10, p[1], NULL, 4, 0), EFAULT);
	int ap = open("f", O_WRONLY | O_APPEND);

	write(p[1], "xy", 2);
	CHECK_ERR("into an O_APPEND file is EINVAL",
		  splice(p[0], NULL, ap, NULL, 2, 0), EINVAL);
	close(ap);
	close(p[1]);
	CHECK_EQ("with the writer gone the rest still goes",
		 splice(p[0], NULL, fd, NULL, 10, 0), 2);
	CHECK_EQ("then end of file: 0", splice(p[0], NULL, fd, NULL, 10, 0),
		 0);
	close(p[0]);
	close(fd);
}

static void test_pipes_and_tee(void)
{
	int a[2], b[2], c[2];
	char buf[64] = { 0 };

	pipe(a);
	pipe(b);
	pipe(c);
	write(a[1], "0123456789", 10);
	CHECK_EQ("tee copies 6 bytes", tee(a[0], b[1], 6, 0), 6);
	CHECK_EQ("tee again copies from the oldest byte again",
		 tee(a[0], c[1], 100, 0), 10);
	CHECK_EQ("the tee'd pipe", read(b[0], buf, sizeof buf), 6);
	CHECK_STR("... has the first 6", buf, "012345");
	CHECK_ERR("tee of a pipe into itself is EINVAL",
		  tee(a[0], a[1], 4, 0), EINVAL);
	CHECK_ERR("tee to a non-pipe is EINVAL",
		  tee(a[0], open("/dev/null", O_WRONLY), 4, 0),
		  EINVAL);
	CHECK_EQ("splice pipe to pipe moves them",
		 splice(a[0], NULL, b[1], NULL, 4, 0), 4);
	memset(buf, 0, sizeof buf);
	CHECK_EQ("read the moved bytes", read(b[0], buf, sizeof buf), 4);
	CHECK_STR("... the first four", buf, "0123");
	CHECK_EQ("six left in the source", read(a[0], buf, sizeof buf), 6);
	CHECK_ERR("splice of a pipe into itself is EINVAL",
		  splice(a[0], NULL, a[1], NULL, 4, 0), EINVAL);
	CHECK_ERR("tee from an empty pipe, nonblocking, is EAGAIN",
		  tee(a[0], b[1], 4, SPLICE_F_NONBLOCK), EAGAIN);
	close(a[0]); close(a[1]); close(b[0]); close(b[1]);
	close(c[0]); close(c[1]);
}

static void test_vmsplice(void)
{
	char one[] = "vm", two[] = "splice", out[16] = { 0 };
	struct iovec in[2] = { { one, 2 }, { two, 6 } };
	struct iovec back = { out, sizeof out };
	int p[2];

	pipe(p);
	CHECK_EQ("vmsplice two buffers into a pipe",
		 vmsplice(p[1], in, 2, 0), 8);
	CHECK_EQ("vmsplice them back out", vmsplice(p[0], &back, 1, 0), 8);
	CHECK_STR("... in order", out, "vmsplice");
	CHECK_ERR("vmsplice out of an empty pipe, nonblocking, is EAGAIN",
		  vmsplice(p[0], &back, 1, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR("unknown flags are EINVAL", vmsplice(p[1], in, 2, 0x40),
		  EINVAL);
	CHECK_ERR("more than 1024 segments are EINVAL",
		  vmsplice(p[1], in, 1025, 0), EINVAL);
	CHECK_ERR("a bad iovec pointer is EFAULT",
		  vmsplice(p[1], (struct iovec *)0x10, 1, 0), EFAULT);
	int fd = open("/proc/self/stat", O_RDONLY);

	CHECK_ERR("vmsplice on a file that is not a pipe is EBADF",
		  vmsplice(fd, &back, 1, 0), EBADF);
	CHECK_EQ("no segments at all is 0", vmsplice(p[1], in, 0, 0), 0);
	close(fd);
	close(p[0]);
	CHECK_ERR("vmsplice into a pipe with no reader is EPIPE",
		  (signal(SIGPIPE, SIG_IGN), vmsplice(p[1], in, 2, 0)), EPIPE);
	close(p[1]);
}

/*
 * Into a pipe from a file and from user memory: only what the pipe has
 * room for goes, a full pipe is EAGAIN without waiting, one with no
 * reader EPIPE, and bytes before a fault count.
 */
static void test_into_pipe(void)
{
	char *mem = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *hole = mem + 2 * 4096, *fill = malloc(65536);
	struct iovec two[2] = { { hole - 4, 4 }, { hole, 4 } };
	struct iovec big = { mem, 8192 };
	int p[2], fd;

	memset(mem, 'm', 2 * 4096);
	memset(fill, 'f', 65536);
	munmap(hole, 4096);
	fd = open("g", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK_EQ("write 8192 bytes to a file", write(fd, mem, 8192), 8192);
	lseek(fd, 0, SEEK_SET);
	pipe(p);
	CHECK_EQ("the pipe holds 64 KiB", fcntl(p[0], F_GETPIPE_SZ), 65536);
	CHECK_EQ("fill it to one page of room", write(p[1], fill, 61440),
		 61440);
	CHECK_EQ("splice from a file moves what fits",
		 splice(fd, NULL, p[1], NULL, 8192, 0), 4096);
	CHECK_EQ("... and the file position advanced by that",
		 lseek(fd, 0, SEEK_CUR), 4096);
	CHECK_ERR("splice from a file into a full pipe, nonblocking, is "
		  "EAGAIN", splice(fd, NULL, p[1], NULL, 100,
				   SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_ERR("vmsplice into a full pipe, nonblocking, is EAGAIN",
		  vmsplice(p[1], &big, 1, SPLICE_F_NONBLOCK), EAGAIN);
	CHECK_EQ("read one page out", read(p[0], fill, 4096), 4096);
	CHECK_EQ("vmsplice moves what fits", vmsplice(p[1], &big, 1, 0),
		 4096);
	CHECK_EQ("empty the pipe", read(p[0], fill, 65536), 65536);
	CHECK_EQ("vmsplice: the bytes before a fault count",
		 vmsplice(p[1], two, 2, 0), 4);
	CHECK_ERR("vmsplice from unmapped memory is EFAULT",
		  vmsplice(p[1], &two[1], 1, 0), EFAULT);
	CHECK_EQ("the pipe has the four", read(p[0], fill, 65536), 4);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	CHECK_ERR("splice from a file into a pipe with no reader is EPIPE",
		  splice(fd, NULL, p[1], NULL, 100, 0), EPIPE);
	close(p[1]);
	close(fd);
	munmap(mem, 2 * 4096);
	free(fill);
}

int main(void)
{
	TEST_BEGIN("abi_splice");
	test_file_pipe();
	test_pipes_and_tee();
	test_vmsplice();
	test_into_pipe();
	return TEST_END();
}
