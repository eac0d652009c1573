/* abi_syncrange.c - sync_file_range(2): its checks (descriptor, flags, offsets, file kinds) in Linux 6.1's order. */
#include "check.h"

#define T "abi_syncrange"

#define SFR_WAIT_BEFORE 1
#define SFR_WRITE 2
#define SFR_WAIT_AFTER 4

static long sfr(int fd, long off, long n, unsigned flags)
{
	return syscall(SYS_sync_file_range, fd, off, n, flags);
}

static void test_sync_file_range(void)
{
	int fd = open("/tmp/abi_sfr", O_RDWR | O_CREAT | O_TRUNC, 0600);
	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	int nul = open("/dev/null", O_RDWR);
	int p[2], path = open("/tmp/abi_sfr", O_PATH);

	CHECK("files open", fd >= 0 && dir >= 0 && nul >= 0 && path >= 0 && pipe(p) == 0);
	CHECK_EQ("write", write(fd, "hello", 5), 5);
	CHECK_OK("regular file, all flags", sfr(fd, 0, 5, SFR_WAIT_BEFORE | SFR_WRITE | SFR_WAIT_AFTER));
	CHECK_OK("regular file, no flags", sfr(fd, 0, 0, 0));
	CHECK_OK("past the end", sfr(fd, 1L << 40, 4096, SFR_WRITE));
	CHECK_OK("to the largest end", sfr(fd, 1, 0x7ffffffffffffffeL, SFR_WRITE));
	CHECK_OK("a directory", sfr(dir, 0, 0, SFR_WRITE));
	CHECK_OK("a read-only descriptor", sfr(dir, 0, 1, SFR_WAIT_AFTER));
	CHECK_ERR("bad descriptor EBADF", sfr(-1, 0, 1, SFR_WRITE), EBADF);
	CHECK_ERR("bad descriptor and bad flags: EBADF first", sfr(999, -1, 1, 8), EBADF);
	CHECK_ERR("an O_PATH descriptor EBADF", sfr(path, 0, 1, SFR_WRITE), EBADF);
	CHECK_ERR("flag 8 EINVAL", sfr(fd, 0, 1, 8), EINVAL);
	CHECK_ERR("flag 8 on /dev/null: EINVAL before ESPIPE", sfr(nul, 0, 1, 8), EINVAL);
	CHECK_ERR("negative offset EINVAL", sfr(fd, -1, 1, SFR_WAIT_BEFORE), EINVAL);
	CHECK_ERR("negative length EINVAL", sfr(fd, 0, -1, SFR_WRITE), EINVAL);
	CHECK_ERR("an end past 2^63 EINVAL", sfr(fd, 1, 0x7fffffffffffffffL, SFR_WRITE), EINVAL);
	CHECK_ERR("negative offset on /dev/null: EINVAL before ESPIPE", sfr(nul, -1, 1, 0), EINVAL);
	CHECK_ERR("/dev/null ESPIPE", sfr(nul, 0, 1, SFR_WAIT_AFTER), ESPIPE);
	CHECK_ERR("a pipe ESPIPE", sfr(p[0], 0, 1, SFR_WRITE), ESPIPE);
	close(fd);
	close(dir);
	close(nul);
	close(path);
	close(p[0]);
	close(p[1]);
	unlink("/tmp/abi_sfr");
}

int main(void)
{
	TEST_BEGIN(T);
	test_sync_file_range();
	return TEST_END();
}
