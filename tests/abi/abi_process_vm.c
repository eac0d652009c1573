/* abi_process_vm.c - process_vm_readv/writev: scatter-gather within a process and with a child, partial transfers at faults on either side, protections without force, and the checks in Linux 6.1's order (EINVAL, EFAULT, ESRCH, EPERM). */
#include "check.h"
#include <sys/mman.h>
#include <sys/uio.h>

#define T "abi_process_vm"

static long pvr(pid_t pid, const struct iovec *l, unsigned long ln,
		const struct iovec *r, unsigned long rn, unsigned long flags)
{
	return syscall(SYS_process_vm_readv, pid, l, ln, r, rn, flags);
}

static long pvw(pid_t pid, const struct iovec *l, unsigned long ln,
		const struct iovec *r, unsigned long rn, unsigned long flags)
{
	return syscall(SYS_process_vm_writev, pid, l, ln, r, rn, flags);
}

static char remote_buf[64] = "the child's own text, not the parent's";

static void test_self(void)
{
	pid_t me = getpid();
	char src[] = "abcdefghijklmnopqrstuvwxyz", a[5], b[7], c[40];
	struct iovec l[3] = { { a, 5 }, { b, 7 }, { c, sizeof c } };
	struct iovec r[2] = { { src, 10 }, { src + 20, 6 } };

	memset(c, 0, sizeof c);
	CHECK_EQ("readv self: 16 bytes gathered and scattered", pvr(me, l, 3, r, 2, 0), 16);
	CHECK("into 5 + 7 + 4", !memcmp(a, "abcde", 5) && !memcmp(b, "fghijuv", 7) && !memcmp(c, "wxyz", 4));
	r[0].iov_len = 3;
	CHECK_EQ("a shorter remote side limits the count", pvr(me, l, 1, r, 1, 0), 3);
	memcpy(a, "12345", 5);
	l[0].iov_len = 5;
	r[0] = (struct iovec){ src + 1, 5 };
	CHECK_EQ("writev self", pvw(me, l, 1, r, 1, 0), 5);
	CHECK_STR("the bytes landed", src, "a12345ghijklmnopqrstuvwxyz");
}

static void test_child(void)
{
	int to[2], from[2];
	char got[64], c, word[] = "PARENT";
	struct iovec l = { got, sizeof got }, r = { remote_buf, sizeof remote_buf };
	pid_t child;

	CHECK("pipes", pipe(to) == 0 && pipe(from) == 0);
	child = fork();
	if (child == 0) {
		strcpy(remote_buf, "written in the child after fork");
		write(from[1], "r", 1);
		read(to[0], &c, 1);
		/* Tell the parent what it wrote here. */
		write(from[1], remote_buf, 6);
		_exit(0);
	}
	read(from[0], &c, 1);
	memset(got, 0, sizeof got);
	CHECK_EQ("readv of the child", pvr(child, &l, 1, &r, 1, 0), (long)sizeof remote_buf);
	CHECK_STR("reads the child's memory", got, "written in the child after fork");
	CHECK_STR("not ours", remote_buf, "the child's own text, not the parent's");
	l = (struct iovec){ word, 6 };
	CHECK_EQ("writev to the child", pvw(child, &l, 1, &r, 1, 0), 6);
	write(to[1], "w", 1);
	memset(got, 0, sizeof got);
	CHECK_EQ("the child reads it back", read(from[0], got, 6), 6);
	CHECK_STR("as written", got, "PARENT");
	waitpid(child, NULL, 0);
	CHECK_ERR("a reaped child ESRCH", pvr(child, &l, 1, &r, 1, 0), ESRCH);
	close(to[0]);
	close(to[1]);
	close(from[0]);
	close(from[1]);
}

static void test_partial(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	pid_t me = getpid();
	char *m = mmap(NULL, 3 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *big = malloc(4 * pg);
	struct iovec l, r[2];

	CHECK("mmap", m != MAP_FAILED && big);
	memset(m, 'm', 3 * pg);
	munmap(m + pg, pg);
	mprotect(m + 2 * pg, pg, PROT_READ);

	l = (struct iovec){ big, 4 * pg };
	r[0] = (struct iovec){ m + pg - 100, 300 };
	CHECK_EQ("remote range into a hole: the bytes before it", pvr(me, &l, 1, r, 1, 0), 100);
	r[0] = (struct iovec){ m, 50 };
	r[1] = (struct iovec){ m + pg, 50 };
	CHECK_EQ("second remote entry in a hole: the first's bytes", pvr(me, &l, 1, r, 2, 0), 50);
	r[0] = (struct iovec){ m + pg, 10 };
	CHECK_ERR("remote hole first EFAULT", pvr(me, &l, 1, r, 1, 0), EFAULT);
	r[0] = (struct iovec){ m + 2 * pg, 10 };
	CHECK_EQ("a read-only remote page reads", pvr(me, &l, 1, r, 1, 0), 10);
	l.iov_len = 10;
	CHECK_ERR("and is not written (no force) EFAULT", pvw(me, &l, 1, r, 1, 0), EFAULT);
	CHECK_EQ("the page is unchanged", m[2 * pg], 'm');
	r[0] = (struct iovec){ m + pg - 10, 20 };
	l.iov_len = 20;
	memset(big, 'w', 20);
	CHECK_EQ("a write into a hole: the bytes before it", pvw(me, &l, 1, r, 1, 0), 10);
	CHECK("which landed", m[pg - 1] == 'w' && m[pg - 10] == 'w' && m[pg - 11] == 'm');

	/* A local buffer running into a hole. */
	l = (struct iovec){ m + pg - 64, 128 };
	r[0] = (struct iovec){ big, 128 };
	CHECK_EQ("local range into a hole: the bytes before it", pvr(me, &l, 1, r, 1, 0), 64);
	l = (struct iovec){ m + 2 * pg, 16 };
	CHECK_ERR("a read-only local buffer EFAULT", pvr(me, &l, 1, r, 1, 0), EFAULT);
	CHECK_EQ("but may be the source", pvw(me, &l, 1, r, 1, 0), 16);
	l = (struct iovec){ m + pg, 16 };
	CHECK_ERR("a local hole EFAULT", pvw(me, &l, 1, r, 1, 0), EFAULT);
	munmap(m, pg);
	munmap(m + 2 * pg, pg);
	free(big);
}

static int child_nobody(void *arg)
{
	char a[8], b[8] = "x";
	struct iovec l = { a, 8 }, r = { b, 8 };

	(void)arg;
	if (setresuid(65534, 65534, 65534))
		return 2;
	if (pvr(getpid(), &l, 1, &r, 1, 0) != 8)
		return 3;
	errno = 0;
	if (pvr(1, &l, 1, &r, 1, 0) != -1 || errno != EPERM)
		return 4;
	if (pvw(1, &l, 1, &r, 1, 0) != -1 || errno != EPERM)
		return 5;
	return 0;
}

static void test_errors(void)
{
	pid_t me = getpid();
	char a[16], b[16] = "0123456789abcdef";
	struct iovec l = { a, 16 }, r = { b, 16 }, zero = { b, 0 };
	static struct iovec many[1025];
	int st;

	for (int i = 0; i < 1025; i++)
		many[i] = (struct iovec){ a, 1 };
	CHECK_ERR("flags 1 EINVAL", pvr(me, &l, 1, &r, 1, 1), EINVAL);
	CHECK_ERR("flags -1 EINVAL", pvw(me, &l, 1, &r, 1, -1UL), EINVAL);
	CHECK_ERR("flags before the pid: EINVAL", pvr(-1, &l, 1, &r, 1, 1), EINVAL);
	CHECK_ERR("1025 local entries EINVAL", pvr(me, many, 1025, &r, 1, 0), EINVAL);
	CHECK_EQ("1024 local entries", pvr(me, many, 1024, &r, 1, 0), 16);
	CHECK_ERR("1025 remote entries EINVAL", pvr(me, &l, 1, many, 1025, 0), EINVAL);
	CHECK_EQ("local count 2^63 is 0 (an unsigned int)", pvr(me, &l, 1UL << 63, &r, 1, 0), 0);
	CHECK_EQ("local count 2^32 + 1 is 1", pvr(me, &l, 1UL << 32 | 1, &r, 1, 0), 16);
	CHECK_ERR("remote count 2^32 + 1 EINVAL (an unsigned long)", pvr(me, &l, 1, &r, 1UL << 32 | 1, 0), EINVAL);
	l.iov_len = -1UL;
	CHECK_ERR("local length -1 EINVAL", pvr(me, &l, 1, &r, 1, 0), EINVAL);
	l.iov_len = 16;
	r.iov_len = -1UL;
	CHECK_ERR("remote length -1 EINVAL", pvr(me, &l, 1, &r, 1, 0), EINVAL);
	r.iov_len = 16;
	CHECK_ERR("local iovec NULL EFAULT", pvr(me, NULL, 1, &r, 1, 0), EFAULT);
	CHECK_ERR("remote iovec in the kernel EFAULT", pvr(me, &l, 1, BAD_KTOP, 1, 0), EFAULT);
	/*
	 * Linux's import_iovec range-checks each base before the pid is
	 * looked up; Aramid's ludicrous has no range check (it trusts user
	 * pointers until one faults), so it finds no pid first.
	 */
	l.iov_base = BAD_KTOP;
	if (!profile_is_ludicrous())
		CHECK_ERR("local buffer in the kernel EFAULT, before the pid",
			  pvr(-1, &l, 1, &r, 1, 0), EFAULT);
	l.iov_base = a;
	CHECK_EQ("no local entries: 0, before the pid", pvr(-1, NULL, 0, &r, 1, 0), 0);
	CHECK_EQ("no local bytes: 0, before the remote iovec", pvr(-1, &zero, 1, BAD_KTOP, 1, 0), 0);
	CHECK_EQ("no remote bytes: 0, before the pid", pvr(-1, &l, 1, &zero, 1, 0), 0);
	CHECK_EQ("no remote entries: 0", pvw(-1, &l, 1, NULL, 0, 0), 0);
	CHECK_ERR("pid -1 ESRCH", pvr(-1, &l, 1, &r, 1, 0), ESRCH);
	CHECK_ERR("pid 0 ESRCH", pvw(0, &l, 1, &r, 1, 0), ESRCH);
	st = run_child(child_nobody, NULL);
	CHECK_EQ("nobody: itself; init EPERM", WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
}

int main(void)
{
	TEST_BEGIN(T);
	test_self();
	test_child();
	test_partial();
	test_errors();
	return TEST_END();
}
