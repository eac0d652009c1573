/* abi_falloc.c - fallocate(2) on tmpfs as Linux 6.1 does it (mode 0 extends, KEEP_SIZE allocates past the end, PUNCH_HOLE|KEEP_SIZE zeroes and frees, other modes and ranges refused with Linux's errno, ENOSPC on a full mount with nothing kept) and posix_fadvise's checks. */
#include "check.h"
#include <fcntl.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define T "abi_falloc"

/* musl's <fcntl.h> names only KEEP_SIZE and PUNCH_HOLE; linux/falloc.h's values: */
#ifndef FALLOC_FL_COLLAPSE_RANGE
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40
#endif

static struct stat st_of(int fd)
{
	struct stat st;
	memset(&st, 0, sizeof st);
	fstat(fd, &st);
	return st;
}

static void test_modes(void)
{
	int fd = open("fa", O_CREAT | O_RDWR, 0644);
	CHECK_OK("mode 0 allocates [0,8192)", fallocate(fd, 0, 0, 8192));
	CHECK_EQ("mode 0 extends the size", st_of(fd).st_size, 8192);
	CHECK_EQ("the pages are counted", st_of(fd).st_blocks, 16);
	CHECK_OK("KEEP_SIZE allocates past the end", fallocate(fd, FALLOC_FL_KEEP_SIZE, 8192, 8192));
	CHECK_EQ("KEEP_SIZE keeps the size", st_of(fd).st_size, 8192);
	CHECK_EQ("KEEP_SIZE pages are counted", st_of(fd).st_blocks, 32);
	CHECK_OK("mode 0 inside the file", fallocate(fd, 0, 0, 100));
	CHECK_EQ("never shrinks", st_of(fd).st_size, 8192);
	char buf[8192], back[8192];
	memset(buf, 'a', sizeof buf);
	CHECK_EQ("the allocated range reads as zeros", pread(fd, back, 10, 0), 10);
	CHECK("zeros", back[0] == 0 && back[9] == 0);
	pwrite(fd, buf, sizeof buf, 0);
	CHECK_OK("punch [100,200)", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 100, 100));
	pread(fd, back, sizeof back, 0);
	CHECK("punched bytes read as zeros", back[100] == 0 && back[199] == 0);
	CHECK("bytes beside the hole intact", back[99] == 'a' && back[200] == 'a');
	CHECK_EQ("a partial punch frees nothing", st_of(fd).st_blocks, 32);
	CHECK_OK("punch the second page", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 4096));
	CHECK_EQ("a whole punched page is freed", st_of(fd).st_blocks, 24);
	CHECK_EQ("punching keeps the size", st_of(fd).st_size, 8192);
	pread(fd, back, sizeof back, 0);
	CHECK("the punched page reads as zeros", back[4096] == 0 && back[8191] == 0 && back[4095] == 'a');
	CHECK_OK("mode 0 extends to 10001", fallocate(fd, 0, 10000, 1));
	CHECK_EQ("new size", st_of(fd).st_size, 10001);

	CHECK_ERR("PUNCH_HOLE without KEEP_SIZE EOPNOTSUPP", fallocate(fd, FALLOC_FL_PUNCH_HOLE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("ZERO_RANGE on tmpfs EOPNOTSUPP", fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("COLLAPSE_RANGE on tmpfs EOPNOTSUPP", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, 0, 4096), EOPNOTSUPP);
	CHECK_ERR("unknown mode bit EOPNOTSUPP", fallocate(fd, 0x80, 0, 1), EOPNOTSUPP);
	CHECK_ERR("PUNCH_HOLE|ZERO_RANGE EOPNOTSUPP", fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 0, 1), EOPNOTSUPP);
	CHECK_ERR("COLLAPSE_RANGE with another flag EINVAL", fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096), EINVAL);
	CHECK_ERR("INSERT_RANGE with another flag EINVAL", fallocate(fd, FALLOC_FL_INSERT_RANGE | FALLOC_FL_KEEP_SIZE, 0, 4096), EINVAL);
	CHECK_ERR("UNSHARE_RANGE with ZERO_RANGE EINVAL", fallocate(fd, FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_ZERO_RANGE, 0, 1), EINVAL);
	CHECK_ERR("len 0 EINVAL", fallocate(fd, 0, 0, 0), EINVAL);
	CHECK_ERR("negative len EINVAL", fallocate(fd, 0, 0, -1), EINVAL);
	CHECK_ERR("negative offset EINVAL", fallocate(fd, 0, -1, 1), EINVAL);
	CHECK_ERR("len 0 before a bad mode EINVAL", fallocate(fd, 0x80, 0, 0), EINVAL);
	CHECK_ERR("offset + len wraps EFBIG", fallocate(fd, 0, INT64_MAX, 2), EFBIG);
	close(fd);

	fd = open("fa", O_RDONLY);
	CHECK_ERR("read-only fd EBADF", fallocate(fd, 0, 0, 1), EBADF);
	close(fd);
	CHECK_ERR("closed fd EBADF", fallocate(fd, 0, 0, 1), EBADF);
	int p[2];
	pipe(p);
	CHECK_ERR("pipe ESPIPE", fallocate(p[1], 0, 0, 1), ESPIPE);
	CHECK_ERR("pipe's read end EBADF", fallocate(p[0], 0, 0, 1), EBADF);
	fd = open("/dev/null", O_WRONLY);
	CHECK_ERR("character device ENODEV", fallocate(fd, 0, 0, 1), ENODEV);
	close(fd);

	CHECK_OK("mkdir m", mkdir("m", 0755));
	CHECK_OK("mount a 64 KiB tmpfs", mount("none", "m", "tmpfs", 0, "size=64k"));
	fd = open("m/f", O_CREAT | O_RDWR, 0644);
	CHECK_ERR("more than the mount holds ENOSPC", fallocate(fd, 0, 0, 1 << 20), ENOSPC);
	CHECK_EQ("nothing kept: size", st_of(fd).st_size, 0);
	CHECK_EQ("nothing kept: blocks", st_of(fd).st_blocks, 0);
	CHECK_OK("what fits", fallocate(fd, 0, 0, 32768));
	CHECK_ERR("then the rest does not ENOSPC", fallocate(fd, FALLOC_FL_KEEP_SIZE, 32768, 65536), ENOSPC);
	CHECK_EQ("size after", st_of(fd).st_size, 32768);
	close(fd);
	CHECK_OK("umount", umount("m"));

	fd = open("fa", O_RDWR);
	for (int adv = 0; adv <= 5; adv++)
		CHECK_OK("fadvise valid advice", syscall(SYS_fadvise64, fd, 0L, 0L, adv));
	CHECK_ERR("fadvise advice 6 EINVAL", syscall(SYS_fadvise64, fd, 0L, 0L, 6), EINVAL);
	CHECK_ERR("fadvise negative len EINVAL", syscall(SYS_fadvise64, fd, 0L, -1L, 0), EINVAL);
	CHECK_OK("fadvise negative offset", syscall(SYS_fadvise64, fd, -1L, 0L, 0));
	CHECK_ERR("fadvise on a pipe ESPIPE", syscall(SYS_fadvise64, p[0], 0L, 0L, 0), ESPIPE);
	CHECK_ERR("fadvise on a pipe before bad advice", syscall(SYS_fadvise64, p[0], 0L, 0L, 99), ESPIPE);
	CHECK_ERR("fadvise bad fd EBADF", syscall(SYS_fadvise64, -1, 0L, 0L, 0), EBADF);
	CHECK_EQ("posix_fadvise returns 0", posix_fadvise(fd, 0, 4096, POSIX_FADV_WILLNEED), 0);
	close(fd);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	TEST_BEGIN(T);
	test_modes();
	return TEST_END();
}
