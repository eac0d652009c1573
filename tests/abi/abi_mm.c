/* abi_mm.c - memory: mmap anon/file/shared/private, MAP_FIXED, munmap, mprotect faults, mremap, brk, madvise, argument errors, fork and dump advice, what fork copies of file maps, vm.max_map_count. */
#include "check.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "smaps_util.h"

#define T "abi_mm"
#define PG 4096UL

static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_sig;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	fault_sig = sig;
	fault_addr = si->si_addr;
	siglongjmp(jb, 1);
}

/* Returns 1 if writing one byte at p faults, 0 otherwise. */
static int write_faults(volatile char *p)
{
	fault_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		*p = 0x5a;
		return 0;
	}
	return 1;
}

static int read_faults(volatile char *p)
{
	fault_sig = 0;
	if (sigsetjmp(jb, 1) == 0) {
		char c = *p;
		(void)c;
		return 0;
	}
	return 1;
}

static void *rawmmap(void *a, size_t l, int prot, int fl, int fd, off_t off)
{
	return (void *)syscall(SYS_mmap, a, l, prot, fl, fd, off);
}

static void test_anon(void)
{
	char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap anon private", p != MAP_FAILED);
	CHECK_EQ("mmap result page aligned", (uintptr_t)p % PG, 0);
	int zero = 1;
	for (size_t i = 0; i < 4 * PG; i++)
		zero &= p[i] == 0;
	CHECK("anon memory zero-filled", zero);
	memset(p, 0xab, 4 * PG);
	CHECK_EQ("anon memory writable", (unsigned char)p[4 * PG - 1], 0xab);

	/* MAP_PRIVATE: child writes are not seen by parent */
	pid_t c = fork();
	if (c == 0) {
		p[0] = 1;
		_exit(p[0] == 1 ? 0 : 1);
	}
	int st;
	waitpid(c, &st, 0);
	CHECK("private mapping copy-on-write across fork", WEXITSTATUS(st) == 0 && (unsigned char)p[0] == 0xab);

	/* madvise(MADV_DONTNEED) on private anon memory zeroes it */
	CHECK_OK("madvise DONTNEED", madvise(p, 2 * PG, MADV_DONTNEED));
	CHECK("DONTNEED pages read back zero", p[0] == 0 && p[2 * PG - 1] == 0);
	CHECK_EQ("pages beyond DONTNEED range kept", (unsigned char)p[2 * PG], 0xab);
	CHECK_ERR("madvise bad advice", madvise(p, PG, 12345), EINVAL);
	CHECK_ERR("madvise unaligned", madvise(p + 1, PG, MADV_DONTNEED), EINVAL);

	CHECK_OK("munmap middle page", munmap(p + PG, PG));
	CHECK("unmapped page faults", read_faults(p + PG) && fault_sig == SIGSEGV);
	CHECK("neighbours still mapped", !write_faults(p) && !write_faults(p + 2 * PG));
	CHECK_OK("munmap already-unmapped range is ok", munmap(p, 4 * PG));
	CHECK_ERR("munmap unaligned", munmap(p + 1, PG), EINVAL);
	CHECK_ERR("munmap length 0", munmap(p, 0), EINVAL);

	/* MAP_SHARED anon: child writes are seen by parent */
	int *sh = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap anon shared", sh != MAP_FAILED);
	*sh = 1;
	c = fork();
	if (c == 0) {
		*sh = 99;
		_exit(0);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("shared mapping visible across fork", *sh, 99);
	munmap(sh, PG);
}

static void test_prot(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	p[0] = 1;
	CHECK_OK("mprotect PROT_READ", mprotect(p, PG, PROT_READ));
	CHECK("write to PROT_READ page -> SIGSEGV", write_faults(p + 10) && fault_sig == SIGSEGV);
	CHECK("si_addr is the faulting address", fault_addr == (void *)(p + 10));
	CHECK("read of PROT_READ page ok", !read_faults(p) && p[0] == 1);
	CHECK("other page still writable", !write_faults(p + PG));
	mprotect(p, PG, PROT_NONE);
	CHECK("read of PROT_NONE page -> SIGSEGV", read_faults(p));
	mprotect(p, PG, PROT_READ | PROT_WRITE);
	CHECK("write after restoring PROT_WRITE", !write_faults(p));
	CHECK_ERR("mprotect unaligned", syscall(SYS_mprotect, p + 1, PG, PROT_READ), EINVAL);
	CHECK_ERR("mprotect bad prot bits", mprotect(p, PG, 0x100), EINVAL);
	munmap(p, 2 * PG);
	CHECK_ERR("mprotect unmapped range", mprotect(p, PG, PROT_READ), ENOMEM);

	char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("write to PROT_READ mmap faults", write_faults(ro));
	munmap(ro, PG);
}

static void test_file(void)
{
	int fd = open("mapme", O_RDWR | O_CREAT | O_TRUNC, 0644);
	char buf[PG];
	memset(buf, 'f', sizeof buf);
	memcpy(buf, "header", 6);
	write(fd, buf, sizeof buf);
	write(fd, "tail", 4);           /* file is PG + 4 bytes */

	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK("mmap file private", p != MAP_FAILED);
	CHECK("file contents visible", !memcmp(p, "header", 6) && !memcmp(p + PG, "tail", 4));
	CHECK("bytes past EOF in last page are zero", p[PG + 4] == 0 && p[2 * PG - 1] == 0);
	p[0] = 'H';
	char rb[8] = { 0 };
	pread(fd, rb, 6, 0);
	CHECK_STR("private write not in file", rb, "header");
	munmap(p, 2 * PG);

	p = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK("mmap with page offset", p != MAP_FAILED && !memcmp(p, "tail", 4));
	munmap(p, PG);
	CHECK_ERR("mmap unaligned offset", rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 100), EINVAL);

	p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("mmap file shared", p != MAP_FAILED);
	memcpy(p, "SHARED", 6);
	CHECK_OK("msync", msync(p, PG, MS_SYNC));
	memset(rb, 0, sizeof rb);
	pread(fd, rb, 6, 0);
	CHECK_STR("shared write reaches file", rb, "SHARED");
	pwrite(fd, "viaWRITE", 8, 0);
	CHECK("file write visible in shared map", !memcmp(p, "viaWRITE", 8));
	munmap(p, PG);

	int rofd = open("mapme", O_RDONLY);
	CHECK_ERR("shared writable map of O_RDONLY fd", rawmmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rofd, 0), EACCES);
	close(rofd);
	int wofd = open("mapme", O_WRONLY);
	CHECK_ERR("map of O_WRONLY fd", rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, wofd, 0), EACCES);
	close(wofd);
	CHECK_ERR("mmap bad fd", rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, 9999, 0), EBADF);
	int dfd = open(".", O_RDONLY | O_DIRECTORY);
	CHECK_ERR("mmap directory fd", rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV);
	close(dfd);
	int pp[2];
	pipe(pp);
	CHECK_ERR("mmap pipe fd", rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, pp[0], 0), ENODEV);
	close(pp[0]); close(pp[1]);
	close(fd);
	unlink("mapme");
}

static void test_fixed_and_errors(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 7, 3 * PG);
	char *q = mmap(p + PG, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("MAP_FIXED at requested address", q == p + PG);
	CHECK("MAP_FIXED replaced old contents", q[0] == 0 && p[0] == 7 && p[2 * PG] == 7);
	char *r = mmap(p + PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	CHECK("MAP_FIXED_NOREPLACE on used range EEXIST", r == MAP_FAILED && errno == EEXIST);
	munmap(p, 3 * PG);

	CHECK_ERR("MAP_FIXED unaligned address",
		  rawmmap((void *)((uintptr_t)p + 1), PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EINVAL);
	CHECK_ERR("mmap length 0", rawmmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR("mmap neither SHARED nor PRIVATE", rawmmap(NULL, PG, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR("mmap SHARED|PRIVATE", rawmmap(NULL, PG, PROT_READ, MAP_SHARED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), EINVAL);
	CHECK_ERR("huge mmap ENOMEM", rawmmap(NULL, 1UL << 50, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR("mmap length overflow", rawmmap(NULL, (size_t)-PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ENOMEM);
	CHECK_ERR("MAP_FIXED in kernel half", rawmmap((void *)0xffff800000000000UL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), ENOMEM);

	/* an unaligned hint without MAP_FIXED is only a hint */
	void *h = rawmmap((void *)0x10000001UL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("unaligned hint ignored", h != MAP_FAILED && ((uintptr_t)h % PG) == 0);
	munmap(h, PG);
}

/*
 * Below vm.mmap_min_addr (65536): root (CAP_SYS_RAWIO) may map there, even
 * page 0, as on Linux; anyone else gets EPERM (cap_mmap_addr), and a hint
 * there without MAP_FIXED is moved above it.
 */
static void test_low_addresses(void)
{
	char *p = rawmmap((void *)0x1000, PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

	CHECK("root: MAP_FIXED at 0x1000", p == (char *)0x1000);
	if (p == (char *)0x1000) {
		p[0] = 1;
		CHECK("root: the page at 0x1000 holds a write", p[0] == 1);
		munmap(p, PG);
	}
	p = rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK("root: MAP_FIXED at 0", p == NULL);
	if (p == NULL)
		munmap(p, PG);
	p = rawmmap((void *)0x2000, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("a hint below mmap_min_addr goes above it",
	      p != MAP_FAILED && (uintptr_t)p >= 0x10000);
	munmap(p, PG);

	pid_t pid = fork();
	if (pid == 0) {
		int ok = setuid(65534) == 0;

		ok = ok && rawmmap((void *)0x1000, PG, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
		     errno == EPERM;
		char *q = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ok = ok && syscall(SYS_mremap, q, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED,
				   (void *)0x3000) == -1 && errno == EPERM;
		_exit(ok ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK("unprivileged: MAP_FIXED and MREMAP_FIXED below mmap_min_addr EPERM",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/*
 * Edges of mmap, mprotect and madvise as Linux judges them: a file
 * offset past the largest file EOVERFLOW; PROT_GROWSDOWN only on a stack
 * mapping, PROT_GROWSUP never (x86), both EINVAL; DONTNEED never on a
 * locked mapping, MADV_FREE only on private anonymous memory.
 */
static void test_edges(void)
{
	int fd = open("/tmp/abi_mm_edges", O_RDWR | O_CREAT | O_TRUNC, 0644);

	CHECK_ERR("file mapping at an offset past the largest file EOVERFLOW",
		  rawmmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, -(long)PG), EOVERFLOW);
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR("mprotect PROT_GROWSDOWN|PROT_GROWSUP EINVAL",
		  mprotect(p, PG, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), EINVAL);
	CHECK_ERR("mprotect PROT_GROWSUP EINVAL", mprotect(p, PG, PROT_READ | PROT_GROWSUP), EINVAL);
	CHECK_ERR("mprotect PROT_GROWSDOWN of a plain mapping EINVAL",
		  mprotect(p, PG, PROT_READ | PROT_GROWSDOWN), EINVAL);
	CHECK_OK("mprotect of nothing with unknown bits", mprotect(p, 0, 0x40));
	CHECK_OK("mlock", mlock(p, PG));
	CHECK_ERR("MADV_DONTNEED of a locked mapping EINVAL", madvise(p, PG, MADV_DONTNEED), EINVAL);
	munlock(p, PG);
	CHECK_OK("MADV_DONTNEED once unlocked", madvise(p, PG, MADV_DONTNEED));
	munmap(p, 2 * PG);
	char *g = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	CHECK_OK("mprotect PROT_GROWSDOWN of a stack mapping",
		 mprotect(g + 3 * PG, PG, PROT_READ | PROT_GROWSDOWN));
	CHECK("it reached down to the mapping's start", write_faults(g) && write_faults(g + 3 * PG));
	munmap(g, 4 * PG);
	if (ftruncate(fd, PG) == 0) {
		char *f = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, 0);
		CHECK_ERR("MADV_FREE of a file mapping EINVAL", madvise(f, PG, MADV_FREE), EINVAL);
		munmap(f, PG);
	}
	char *s = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR("MADV_FREE of shared memory EINVAL", madvise(s, PG, MADV_FREE), EINVAL);
	CHECK_ERR("MADV_WIPEONFORK of shared memory EINVAL", madvise(s, PG, 18), EINVAL);
	munmap(s, PG);
	CHECK_ERR("a hint for an unmapped range ENOMEM", madvise(s, PG, MADV_NORMAL), ENOMEM);
	CHECK_ERR("MADV_WILLNEED of an unmapped range ENOMEM", madvise(s, PG, MADV_WILLNEED), ENOMEM);
	CHECK_ERR("an unknown advice EINVAL", madvise(s, PG, 1212), EINVAL);
	s = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(s, PG);
	close(fd);
	unlink("/tmp/abi_mm_edges");
}

static void test_mremap(void)
{
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 'm', 2 * PG);
	char *q = mremap(p, 2 * PG, 64 * PG, MREMAP_MAYMOVE);
	CHECK("mremap grow MAYMOVE", q != MAP_FAILED);
	CHECK("mremap keeps contents", q[0] == 'm' && q[2 * PG - 1] == 'm');
	CHECK("grown tail is zero and writable", q[63 * PG] == 0 && !write_faults(q + 63 * PG));
	char *s = mremap(q, 64 * PG, PG, 0);
	CHECK("mremap shrink in place", s == q);
	CHECK("shrunk-away tail faults", read_faults(q + 2 * PG));
	CHECK_ERR("mremap unaligned", (long)mremap(q + 1, PG, 2 * PG, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR("mremap bad flags", (long)syscall(SYS_mremap, q, PG, 2 * PG, 0x80, 0), EINVAL);
	char *f = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *m = mremap(q, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, f + PG);
	CHECK("mremap MREMAP_FIXED moves to target", m == f + PG && m[0] == 'm');
	CHECK("old address unmapped after move", read_faults(q));
	munmap(f, 4 * PG);

	/* MREMAP_DONTUNMAP (4): the pages move, the old range stays, empty. */
	char *d = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(d, 'd', 2 * PG);
	CHECK_ERR("MREMAP_DONTUNMAP without MAYMOVE is EINVAL",
		  (long)syscall(SYS_mremap, d, 2 * PG, 2 * PG, 4, 0), EINVAL);
	CHECK_ERR("MREMAP_DONTUNMAP to another size is EINVAL",
		  (long)syscall(SYS_mremap, d, 2 * PG, 4 * PG, 5, 0), EINVAL);
	char *e = (char *)syscall(SYS_mremap, d, 2 * PG, 2 * PG, 5, 0);
	CHECK("MREMAP_DONTUNMAP moves", e != MAP_FAILED && e != d);
	CHECK("... the data with it", e != MAP_FAILED && e[0] == 'd' &&
	      e[2 * PG - 1] == 'd');
	CHECK("... and the old range is still mapped, now zero",
	      !read_faults(d) && d[0] == 0 && d[PG] == 0);
	munmap(d, 2 * PG);
	if (e != MAP_FAILED)
		munmap(e, 2 * PG);
}

static void test_brk(void)
{
	uintptr_t cur = (uintptr_t)syscall(SYS_brk, 0);
	CHECK("brk(0) returns current break", cur != 0);
	uintptr_t want = cur + 16 * PG;
	CHECK_EQ("brk grow", syscall(SYS_brk, want), want);
	volatile char *b = (char *)cur;
	CHECK("new brk memory writable", !write_faults(b) && !write_faults(b + 16 * PG - 1));
	CHECK("new brk memory zeroed", b[100] == 0);
	CHECK_EQ("brk shrink", syscall(SYS_brk, cur + PG), cur + PG);
	CHECK("shrunk brk area faults", write_faults(b + 8 * PG));
	CHECK_EQ("brk below start fails (returns old)", syscall(SYS_brk, 4096), cur + PG);
	CHECK_EQ("brk huge fails (returns old)", syscall(SYS_brk, cur + (1UL << 46)), cur + PG);
	syscall(SYS_brk, cur);
}

/*
 * Fault-around on tmpfs: a read fault maps the pages about it that the
 * file holds, 16 from the fault rounded down to 64 KiB as Linux's
 * fault_around_bytes, but no hole (nothing is allocated for one). At a
 * 2 MiB boundary, so that one page table holds the window.
 */
static void test_tmpfs_fault_around(void)
{
	const size_t span = 2 << 20;
	static char page[PG];
	volatile char sink;
	char *area, *base, *m;
	int fd = open("/tmp/abi_mm_around", O_RDWR | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0;

	memset(page, 7, sizeof page);
	for (int i = 0; ok && i < 20; i++)
		ok = i == 9 || pwrite(fd, page, PG, (off_t)i * PG) == (ssize_t)PG;
	CHECK("a 20-page tmpfs file with a hole at page 9", ok);
	area = mmap(NULL, 2 * span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (!ok || area == MAP_FAILED) {
		CHECK("reserve an area", 0);
		goto out;
	}
	base = (char *)(((uintptr_t)area + span - 1) & ~(span - 1));
	m = mmap(base, 20 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	CHECK("map it at a 2 MiB boundary", m == base);
	sink = m[3 * PG];
	CHECK_EQ("a read fault maps the 15 pages held of the first 16",
		 rss_kb(m), 15 * 4);
	CHECK("they read the file", m[3 * PG] == 7 && m[15 * PG] == 7);
	sink = m[9 * PG];
	CHECK("the hole reads zero", sink == 0);
	sink = m[17 * PG];
	CHECK_EQ("one at page 17 maps 16 to 19", rss_kb(m), 16 * 4 + 4 * 4);
	munmap(area, 2 * span);
out:
	if (fd >= 0)
		close(fd);
	unlink("/tmp/abi_mm_around");
}

/* mincore, msync and the mlock family: what they say of a range. */
static void test_resident(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char vec[3] = { 9, 9, 9 };

	CHECK("a mapping", p != MAP_FAILED);
	munmap(p + 2 * 4096, 4096);
	CHECK_OK("mincore of untouched pages", mincore(p, 2 * 4096, vec));
	CHECK("they are not resident", vec[0] == 0 && vec[1] == 0 && vec[2] == 9);
	p[4096] = 1;
	CHECK_OK("mincore after a touch", mincore(p, 2 * 4096, vec));
	CHECK("the touched page is resident", vec[0] == 0 && vec[1] == 1);
	CHECK_OK("mincore of a partial page counts it", mincore(p, 4097, vec));
	CHECK_OK("mincore of nothing", mincore(p, 0, vec));
	CHECK_ERR("mincore: an unaligned start is EINVAL", mincore(p + 1, 10, vec), EINVAL);
	CHECK_ERR("mincore: an unmapped page is ENOMEM", mincore(p, 3 * 4096, vec), ENOMEM);
	CHECK_ERR("mincore: a bad vector is EFAULT", mincore(p, 4096, BAD_LOW), EFAULT);

	CHECK_OK("mlock of mapped pages", mlock(p + 10, 100));
	CHECK_OK("munlock of them", munlock(p + 10, 100));
	CHECK_ERR("mlock over an unmapped page: ENOMEM", mlock(p, 3 * 4096), ENOMEM);
	CHECK_ERR("munlock likewise", munlock(p + 4096, 2 * 4096), ENOMEM);
	CHECK_OK("mlock2 MLOCK_ONFAULT", syscall(SYS_mlock2, p, 4096, 1));
	CHECK_ERR("mlock2 with an unknown flag: EINVAL", syscall(SYS_mlock2, p, 4096, 2), EINVAL);
	CHECK_ERR("mlockall(MCL_ONFAULT) alone: EINVAL", mlockall(MCL_ONFAULT), EINVAL);
	CHECK_ERR("mlockall(0): EINVAL", mlockall(0), EINVAL);
	CHECK_OK("mlockall(MCL_CURRENT)", mlockall(MCL_CURRENT));
	CHECK_OK("munlockall", munlockall());
	CHECK_OK("msync of mapped pages", msync(p, 2 * 4096, MS_SYNC));
	CHECK_ERR("msync over an unmapped page: ENOMEM", msync(p, 3 * 4096, MS_ASYNC), ENOMEM);
	CHECK_ERR("msync MS_SYNC|MS_ASYNC: EINVAL", msync(p, 4096, MS_SYNC | MS_ASYNC), EINVAL);
	CHECK_ERR("msync unaligned: EINVAL", msync(p + 1, 4096, MS_SYNC), EINVAL);
	CHECK_ERR("msync unknown flag: EINVAL", msync(p, 4096, 8), EINVAL);
	munmap(p, 2 * 4096);
}

/* VmLck of /proc/self/status, in kB; -1 if missing. */
static long vm_locked_kb(void)
{
	static char buf[4096];
	const char *l;

	if (slurp("/proc/self/status", buf, sizeof buf) <= 0 ||
	    !(l = strstr(buf, "\nVmLck:")))
		return -1;
	return strtol(l + 7, NULL, 10);
}

/* Resident pages of [p, p + n pages) by mincore; -1 on error. */
static int resident_pages(void *p, int n)
{
	unsigned char vec[16];
	int r = 0;

	if (n > 16 || mincore(p, (size_t)n * 4096, vec))
		return -1;
	for (int i = 0; i < n; i++)
		r += vec[i] & 1;
	return r;
}

/*
 * Locking faults the range in (not with MLOCK_ONFAULT) and counts the
 * locked vmas as VmLck; MAP_LOCKED and MAP_POPULATE fault in at mmap;
 * msync(MS_INVALIDATE) of locked memory is EBUSY.
 */
static void test_lock_populate(void)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, anon, -1, 0);
	long before = vm_locked_kb();

	CHECK("VmLck is shown", before >= 0);
	CHECK_OK("mlock of 3 pages", mlock(p + 4096, 3 * 4096 - 100));
	CHECK_EQ("... faults them in", resident_pages(p, 8), 3);
	CHECK_EQ("... VmLck grows by 12 kB", vm_locked_kb() - before, 12);
	CHECK_ERR("msync MS_INVALIDATE of locked pages: EBUSY",
		  msync(p, 8 * 4096, MS_INVALIDATE), EBUSY);
	CHECK_OK("msync MS_SYNC of them", msync(p, 8 * 4096, MS_SYNC));
	CHECK_OK("munlock", munlock(p, 8 * 4096));
	CHECK_EQ("... VmLck is back", vm_locked_kb(), before);
	CHECK_EQ("... the pages stay", resident_pages(p, 8), 3);
	munmap(p, 8 * 4096);

	p = mmap(NULL, 8 * 4096, PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	p[0] = p[4096] = 1;
	CHECK_OK("mlock2 MLOCK_ONFAULT of 8 shared pages, 2 touched",
		 syscall(SYS_mlock2, p, 8 * 4096, 1));
	CHECK_EQ("... faults nothing in", resident_pages(p, 8), 2);
	CHECK_EQ("... VmLck counts all 8", vm_locked_kb() - before, 32);
	CHECK_OK("mlock of the same range", mlock(p, 8 * 4096));
	CHECK_EQ("... faults them all in", resident_pages(p, 8), 8);
	CHECK_EQ("... VmLck counts them once", vm_locked_kb() - before, 32);
	munmap(p, 8 * 4096);
	CHECK_EQ("munmap drops VmLck", vm_locked_kb(), before);

	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE, anon | MAP_LOCKED, -1, 0);
	CHECK_EQ("MAP_LOCKED: faulted in", resident_pages(p, 4), 4);
	CHECK_EQ("MAP_LOCKED: VmLck", vm_locked_kb() - before, 16);
	munmap(p, 4 * 4096);
	p = mmap(NULL, 4 * 4096, PROT_READ, anon | MAP_POPULATE, -1, 0);
	CHECK_EQ("MAP_POPULATE: faulted in", resident_pages(p, 4), 4);
	CHECK_EQ("MAP_POPULATE: not locked", vm_locked_kb(), before);
	munmap(p, 4 * 4096);
	p = mmap(NULL, 4 * 4096, PROT_NONE, anon | MAP_LOCKED, -1, 0);
	CHECK_EQ("MAP_LOCKED PROT_NONE: nothing faulted", resident_pages(p, 4), 0);
	munmap(p, 4 * 4096);
}

/* mmap's checks in Linux's order, and the flags and bits it ignores. */
static void test_mmap_checks(void)
{
	const int anon = MAP_PRIVATE | MAP_ANONYMOUS;
	void *p;

	CHECK_ERR("no mapping type, no file: EBADF comes first",
		  (long)mmap(NULL, 4096, PROT_READ, 0, -1, 0), EBADF);
	CHECK_ERR("no mapping type, anonymous: EINVAL",
		  (long)mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0),
		  EINVAL);
	CHECK_ERR("an unaligned offset before the bad descriptor: EINVAL",
		  (long)mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 1), EINVAL);
	CHECK_ERR("MAP_SHARED_VALIDATE anonymous is EINVAL even with an "
		  "unknown flag", (long)mmap(NULL, 4096, PROT_READ, 0x03 |
					   MAP_ANONYMOUS | 0x800000, -1, 0),
		  EINVAL);
	int fd = open("mmchk", O_RDWR | O_CREAT | O_TRUNC, 0600);

	ftruncate(fd, 4096);
	CHECK_ERR("MAP_SHARED_VALIDATE of a file with an unknown flag: "
		  "EOPNOTSUPP", (long)mmap(NULL, 4096, PROT_READ, 0x03 | 0x800000,
					  fd, 0), EOPNOTSUPP);
	p = mmap(NULL, 4096, PROT_READ, 0x03, fd, 0);
	CHECK("MAP_SHARED_VALIDATE of a file with known flags", p != MAP_FAILED);
	munmap(p, 4096);
	close(fd);
	unlink("mmchk");
	p = mmap(NULL, 4096, PROT_READ, anon | 0x800000, -1, 0);
	CHECK("MAP_PRIVATE ignores unknown flags", p != MAP_FAILED);
	munmap(p, 4096);
	p = mmap(NULL, 4096, PROT_READ | 0x100 | 0x8, anon, -1, 0);
	CHECK("mmap ignores unknown protection bits", p != MAP_FAILED);
	CHECK_OK("mprotect allows PROT_SEM", mprotect(p, 4096, PROT_READ | 0x8));
	CHECK_ERR("mprotect refuses other unknown bits",
		  mprotect(p, 4096, PROT_READ | 0x100), EINVAL);
	munmap(p, 4096);
	CHECK_ERR("MAP_HUGETLB without reserved huge pages: ENOMEM",
		  (long)mmap(NULL, 2 << 20, PROT_READ, anon | MAP_HUGETLB, -1,
			     0), ENOMEM);
	CHECK_ERR("MAP_HUGETLB of an unknown size: EINVAL",
		  (long)mmap(NULL, 2 << 20, PROT_READ, anon | MAP_HUGETLB |
			     (5 << 26), -1, 0), EINVAL);
	CHECK_ERR("a private writable mapping larger than memory: ENOMEM",
		  (long)mmap(NULL, 1UL << 46, PROT_READ | PROT_WRITE, anon, -1,
			     0), ENOMEM);
	p = mmap(NULL, 1UL << 46, PROT_READ | PROT_WRITE, anon | MAP_NORESERVE,
		 -1, 0);
	CHECK("... but with MAP_NORESERVE it is made", p != MAP_FAILED);
	if (p != MAP_FAILED)
		munmap(p, 1UL << 46);
	CHECK_ERR("a zero length is EINVAL",
		  (long)mmap(NULL, 0, PROT_READ, anon, -1, 0), EINVAL);
}

/* membarrier: the commands and their registrations. */
static void test_membarrier(void)
{
	long q = syscall(SYS_membarrier, 0, 0, 0);

	CHECK("MEMBARRIER_CMD_QUERY reports global, expedited and private "
	      "expedited commands with their registrations", q >= 0 &&
	      (q & 0x7f) == 0x7f);
	CHECK_ERR("QUERY with flags is EINVAL",
		  syscall(SYS_membarrier, 0, 1, 0), EINVAL);
	CHECK_ERR("an unknown command is EINVAL",
		  syscall(SYS_membarrier, 1 << 20, 0, 0), EINVAL);
	CHECK_OK("MEMBARRIER_CMD_GLOBAL", syscall(SYS_membarrier, 1, 0, 0));
	CHECK_ERR("PRIVATE_EXPEDITED before registering is EPERM",
		  syscall(SYS_membarrier, 8, 0, 0), EPERM);
	CHECK_OK("REGISTER_PRIVATE_EXPEDITED",
		 syscall(SYS_membarrier, 16, 0, 0));
	CHECK_OK("PRIVATE_EXPEDITED after it",
		 syscall(SYS_membarrier, 8, 0, 0));
	CHECK_ERR("PRIVATE_EXPEDITED_SYNC_CORE needs its own registration",
		  syscall(SYS_membarrier, 32, 0, 0), EPERM);
}

/*
 * /dev/zero maps as anonymous memory (Linux's mmap_zero): zeros, a
 * private mapping writable even from a read-only descriptor, a shared
 * one shared with a child, and the descriptor's access checked first.
 */
static void test_dev_zero(void)
{
	int ro = open("/dev/zero", O_RDONLY), rw = open("/dev/zero", O_RDWR);
	size_t len = 2 * 4096;
	char *p, *q;
	pid_t pid;
	int st = -1;

	p = mmap(NULL, len, PROT_READ, MAP_SHARED, ro, 0);
	CHECK("/dev/zero MAP_SHARED PROT_READ from O_RDONLY", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		CHECK("it reads zeros", p[0] == 0 && p[len - 1] == 0);
		CHECK_ERR("mprotect cannot make it writable: EACCES",
			  mprotect(p, len, PROT_READ | PROT_WRITE), EACCES);
		munmap(p, len);
	}
	CHECK_ERR("MAP_SHARED PROT_WRITE from O_RDONLY is EACCES",
		  (long)mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			     ro, 0), EACCES);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 4096);
	CHECK("MAP_PRIVATE PROT_WRITE from O_RDONLY, at an offset",
	      p != MAP_FAILED);
	if (p != MAP_FAILED) {
		p[5] = 7;
		CHECK("a private store stays", p[5] == 7 && p[4096] == 0);
		munmap(p, len);
	}
	q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
	CHECK("MAP_SHARED PROT_WRITE from O_RDWR", q != MAP_FAILED);
	if (q == MAP_FAILED)
		goto out;
	pid = fork();
	if (pid == 0) {
		q[4097] = 42;
		_exit(0);
	}
	CHECK("the child exited", pid > 0 && waitpid(pid, &st, 0) == pid &&
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ("the child's store shows in the parent", q[4097], 42);
	munmap(q, len);
out:
	close(ro);
	close(rw);
}

/* The byte each page of @p (3 pages) starts with, as a child sees it
 * after a fork ('S' if touching it raised SIGSEGV): "ZZZ" style. */
static void child_sees(char *p, char out[4])
{
	int fds[2];
	pid_t pid;

	memset(out, '?', 3);
	out[3] = 0;
	if (pipe(fds))
		return;
	pid = fork();
	if (pid == 0) {
		char r[3];

		for (int i = 0; i < 3; i++)
			r[i] = read_faults(p + i * PG) ? 'S' : p[i * PG] ? p[i * PG] : '0';
		write(fds[1], r, 3);
		_exit(0);
	}
	close(fds[1]);
	read(fds[0], out, 3);
	close(fds[0]);
	waitpid(pid, NULL, 0);
}

/* The start of the line of /proc/self/maps that names @what, or NULL. */
static void *maps_find(const char *what)
{
	static char buf[1 << 16];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = 0, r;
	char *at;

	if (fd < 0)
		return NULL;
	while (n < (ssize_t)sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	at = strstr(buf, what);
	if (!at)
		return NULL;
	while (at > buf && at[-1] != '\n')
		at--;
	return (void *)strtoul(at, NULL, 16);
}

/*
 * The madvise advice that marks vmas for fork and core dumps, as
 * Linux's madvise_vma_behavior: MADV_WIPEONFORK leaves a child (and its
 * children) zeroes, MADV_DONTFORK leaves it no mapping at all, and
 * MADV_KEEPONFORK and MADV_DOFORK undo them; smaps shows wf, dc, dd.
 */
static void test_madvise_fork(void)
{
	char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char seen[4];
	void *vvar;

	CHECK("mmap for the fork advice", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	memset(p, 'a', 3 * PG);
	CHECK_OK("MADV_WIPEONFORK of the middle page", madvise(p + PG, PG, 18));
	child_sees(p, seen);
	CHECK_STR("a child sees the wiped page zero", seen, "a0a");
	CHECK_EQ("smaps: wf on the wiped vma", smaps_flag(p + PG, "wf"), 1);
	CHECK_EQ("smaps: no wf beside it", smaps_flag(p, "wf"), 0);
	CHECK_OK("MADV_KEEPONFORK undoes it", madvise(p, 3 * PG, 19));
	child_sees(p, seen);
	CHECK_STR("a child sees every page again", seen, "aaa");
	CHECK_OK("MADV_DONTFORK of the last page", madvise(p + 2 * PG, PG, 10));
	child_sees(p, seen);
	CHECK_STR("a child has no mapping there", seen, "aaS");
	CHECK_EQ("smaps: dc on it", smaps_flag(p + 2 * PG, "dc"), 1);
	CHECK_OK("MADV_DOFORK undoes it", madvise(p + 2 * PG, PG, 11));
	child_sees(p, seen);
	CHECK_STR("a child has it again", seen, "aaa");
	CHECK_OK("MADV_DONTDUMP", madvise(p, PG, 16));
	CHECK_EQ("smaps: dd on it", smaps_flag(p, "dd"), 1);
	CHECK_OK("MADV_DODUMP", madvise(p, PG, 17));
	CHECK_EQ("smaps: no dd after MADV_DODUMP", smaps_flag(p, "dd"), 0);
	vvar = maps_find("[vvar]");
	CHECK("the [vvar] mapping", vvar != NULL);
	CHECK_ERR("MADV_DODUMP of [vvar] EINVAL", madvise(vvar, PG, 17), EINVAL);
	CHECK_ERR("MADV_DONTFORK of [vvar] EINVAL", madvise(vvar, PG, 10), EINVAL);
	munmap(p, 3 * PG);
}

/*
 * What a fork gives the child of @path's mappings (3 pages, page i all
 * 'a' + i), as Linux's copy_page_range: a shared mapping and a private
 * one never written are left to the child's faults (none of their pages
 * resident in it), which find the file's pages, the parent's stores
 * after the fork among them; a private mapping with a copy-on-write page
 * is copied as the parent has it, that page the parent's private copy.
 */
static void fork_file_maps(const char *path)
{
	static char page[PG];
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	int go[2], back[2], ok = fd >= 0;
	char *s, *pr, *ro, seen[12] = "", rb[2] = "";
	long rss[3] = { -1, -1, -1 }, pr_rss;
	volatile char sink;
	pid_t pid;

	for (int i = 0; ok && i < 3; i++) {
		memset(page, 'a' + i, sizeof page);
		ok = pwrite(fd, page, PG, (off_t)i * PG) == (ssize_t)PG;
	}
	CHECK("a 3-page file to map", ok);
	if (!ok)
		goto out;
	s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	pr = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	ro = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK("shared, private and read-only maps of it",
	      s != MAP_FAILED && pr != MAP_FAILED && ro != MAP_FAILED);
	if (s == MAP_FAILED || pr == MAP_FAILED || ro == MAP_FAILED ||
	    pipe(go) || pipe(back))
		goto out;
	s[0] = 'S';
	sink = s[PG];
	pr[0] = 'P';		/* a private copy of page 0 */
	sink = pr[PG];
	sink = ro[0];
	sink = ro[PG];
	(void)sink;
	pr_rss = rss_kb(pr);
	pid = fork();
	if (pid == 0) {
		char r[8];

		rss[0] = rss_kb(s);
		rss[1] = rss_kb(pr);
		rss[2] = rss_kb(ro);
		write(back[1], rss, sizeof rss);
		read(go[0], r, 1);
		r[0] = s[0];
		r[1] = s[PG];
		r[2] = s[2 * PG];
		r[3] = pr[0];
		r[4] = pr[PG];
		r[5] = pr[2 * PG];
		r[6] = ro[0];
		r[7] = ro[2 * PG];
		s[2 * PG + 1] = 'C';
		pr[PG] = 'Q';
		write(back[1], r, sizeof r);
		_exit(0);
	}
	read(back[0], rss, sizeof rss);
	s[PG] = 'T';			/* after the fork, through the map */
	pwrite(fd, "F", 1, 2 * PG);	/* and through the file */
	write(go[1], "g", 1);
	read(back[0], seen, 8);
	waitpid(pid, NULL, 0);
	CHECK_EQ("the child has no page of the shared map", rss[0], 0);
	CHECK("the parent has pages of the private map", pr_rss > 0);
	CHECK_EQ("the child has them as the parent", rss[1], pr_rss);
	CHECK_EQ("the child has no page of the unwritten private map",
		 rss[2], 0);
	CHECK_STR("the child sees the file, the parent's stores and its "
		  "private copy", seen, "STFPTFSF");
	CHECK_EQ("the child's store to the shared map reaches the parent",
		 s[2 * PG + 1], 'C');
	CHECK_EQ("the child's to the private map does not", pr[PG], 'T');
	pread(fd, rb, 1, PG);
	CHECK_STR("nor the file", rb, "T");
	munmap(s, 3 * PG);
	munmap(pr, 3 * PG);
	munmap(ro, 3 * PG);
	close(go[0]);
	close(go[1]);
	close(back[0]);
	close(back[1]);
out:
	if (fd >= 0)
		close(fd);
	unlink(path);
}

/* fork_file_maps on tmpfs and on the root filesystem. */
static void test_fork_file_maps(void)
{
	fork_file_maps("/tmp/abi_mm_forkmaps");
	fork_file_maps("abi_mm_forkmaps");
}

/* Set vm.max_map_count to @n; 0 or -1. */
static int set_map_count(int fd, long n)
{
	char v[24];
	int len = snprintf(v, sizeof v, "%ld", n);

	return pwrite(fd, v, len, 0) == len ? 0 : -1;
}

#define MAPS_MAX 1200

/*
 * Map up to @max more 3-page vmas in @area's 4-page slots from
 * maps[*n] on, until one fails (errno says why); returns how many.
 */
static int map_slots(char *area, char **maps, int *n, int max)
{
	int made = 0;

	while (made < max && *n < MAPS_MAX) {
		char *p = mmap(area + 4 * PG * *n, 3 * PG, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
			       -1, 0);
		if (p == MAP_FAILED)
			break;
		maps[(*n)++] = p;
		made++;
	}
	return made;
}

/*
 * vm.max_map_count as Linux's do_mmap, do_mas_align_munmap and split_vma
 * apply it: mmap refuses once there are more vmas than the limit, a
 * munmap that punches a hole or an mprotect that splits once there are
 * as many; unmapping a whole vma or an end of one always works. Counts
 * are relative to the vmas the program has: 3-page vmas with a page
 * between them, so that none merge.
 */
static void test_map_count(void)
{
	int fd = open("/proc/sys/vm/max_map_count", O_RDWR);
	static char *maps[MAPS_MAX];
	char buf[32] = "";
	int n = 0, more;
	char *area;

	CHECK("open vm.max_map_count", fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ("read vm.max_map_count", pread(fd, buf, sizeof buf - 1, 0), 6);
	CHECK_STR("vm.max_map_count is 65530", buf, "65530\n");
	CHECK_ERR("vm.max_map_count refuses -1", pwrite(fd, "-1", 2, 0), EINVAL);
	area = mmap(NULL, 4 * PG * MAPS_MAX, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("an area for the vmas", area != MAP_FAILED);
	if (area == MAP_FAILED)
		goto out;
	munmap(area, 4 * PG * MAPS_MAX);
	CHECK_OK("vm.max_map_count set to 1000", set_map_count(fd, 1000));
	map_slots(area, maps, &n, MAPS_MAX);
	CHECK_EQ("mmap stops with ENOMEM at the limit", errno, ENOMEM);
	CHECK("nearly 1000 vmas made", n > 900 && n < 1000);
	/* Now 1001 vmas: no split anywhere. */
	CHECK_ERR("munmap of a middle page over the limit", munmap(maps[0] + PG, PG), ENOMEM);
	CHECK_ERR("mprotect of a middle page over the limit",
		  mprotect(maps[0] + PG, PG, PROT_READ), ENOMEM);
	CHECK_ERR("mprotect of a first page over the limit",
		  mprotect(maps[0], PG, PROT_READ), ENOMEM);
	CHECK_OK("munmap of a last page over the limit", munmap(maps[0] + 2 * PG, PG));
	CHECK_OK("munmap of a whole vma over the limit", munmap(maps[1], 3 * PG));
	maps[1] = NULL;
	/* 1000: mprotect splits once more, munmap may not punch a hole. */
	CHECK_ERR("munmap of a middle page at the limit", munmap(maps[2] + PG, PG), ENOMEM);
	CHECK_ERR("mprotect of a middle page at the limit: the second split",
		  mprotect(maps[2] + PG, PG, PROT_READ), ENOMEM);
	CHECK_OK("munmap of a whole vma at the limit", munmap(maps[3], 3 * PG));
	CHECK_OK("munmap of a whole vma under the limit", munmap(maps[4], 3 * PG));
	maps[3] = maps[4] = NULL;
	CHECK_OK("munmap of a middle page under the limit", munmap(maps[5] + PG, PG));
	/* 999 again: a raised limit lets mmap make two more. */
	CHECK_OK("vm.max_map_count set to 1001", set_map_count(fd, 1001));
	more = map_slots(area, maps, &n, 4);
	CHECK_EQ("mmap makes vmas while there are at most the limit", more, 3);
	CHECK_OK("vm.max_map_count set to 0", set_map_count(fd, 0));
	CHECK("mmap with a limit of 0: ENOMEM",
	      mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	      errno == ENOMEM);
	CHECK_OK("munmap of a whole vma with a limit of 0", munmap(maps[6], 3 * PG));
	maps[6] = NULL;
out:
	CHECK_OK("vm.max_map_count back to 65530", set_map_count(fd, 65530));
	for (int i = 0; i < n; i++)
		if (maps[i])
			munmap(maps[i], 3 * PG);
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	test_membarrier();
	test_mmap_checks();
	on_siginfo(SIGSEGV, on_fault);
	on_siginfo(SIGBUS, on_fault);
	test_anon();
	test_prot();
	test_file();
	test_fixed_and_errors();
	test_low_addresses();
	test_edges();
	test_mremap();
	test_brk();
	test_resident();
	test_tmpfs_fault_around();
	test_lock_populate();
	test_dev_zero();
	test_madvise_fork();
	test_fork_file_maps();
	test_map_count();
	return TEST_END();
}
