/* abi_vma_merge.c - adjacent vmas merge as Linux 6.1's vma_merge decides: counted and measured in /proc/self/maps after mmap, mprotect, mlock, madvise, brk, mremap, userfaultfd and fork. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include "smaps_util.h"

/* <linux/userfaultfd.h>'s, which musl does not have */
#define UFFD_API		0xAAULL
#define UFFDIO_API		0xC018AA3FU
#define UFFDIO_REGISTER		0xC020AA00U
#define UFFDIO_UNREGISTER	0x8010AA01U
#define UFFDIO_REGISTER_MODE_MISSING	1ULL
struct uffdio_api { uint64_t api, features, ioctls; };
struct uffdio_range { uint64_t start, len; };
struct uffdio_register { struct uffdio_range range; uint64_t mode, ioctls; };

#define T "abi_vma_merge"
#define PG 4096UL
#define AREA (64 * PG)

#define ANON (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE)
#define RW (PROT_READ | PROT_WRITE)

static char *area;	/* AREA bytes of free address space */
static char at_line[256];	/* maps_lines' line holding @at */

/*
 * The lines of /proc/self/maps that meet [lo, hi): their number, and
 * in *@s and *@e the range of the one holding @at (0 if none does).
 */
static int maps_lines(char *lo, char *hi, char *at, uintptr_t *s, uintptr_t *e)
{
	static char buf[65536];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	ssize_t len = 0, r;

	*s = *e = 0;
	if (fd < 0)
		return -1;
	while (len < (ssize_t)sizeof buf - 1 &&
	       (r = read(fd, buf + len, sizeof buf - 1 - len)) > 0)
		len += r;
	close(fd);
	buf[len] = 0;
	for (char *l = buf; *l; ) {
		char *nl = strchr(l, '\n');
		unsigned long a, b;

		if (sscanf(l, "%lx-%lx", &a, &b) == 2 &&
		    a < (uintptr_t)hi && b > (uintptr_t)lo) {
			n++;
			if ((uintptr_t)at >= a && (uintptr_t)at < b) {
				size_t n = nl ? (size_t)(nl - l) : strlen(l);

				*s = a;
				*e = b;
				n = n < sizeof at_line - 1 ? n : sizeof at_line - 1;
				memcpy(at_line, l, n);
				at_line[n] = 0;
			}
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	return n;
}

/*
 * Check that [lo, hi) shows @lines lines and that the one holding @at
 * spans [@s, @e).
 */
static void expect(const char *what, char *lo, char *hi, int lines, char *at,
		   char *s, char *e)
{
	uintptr_t gs, ge;
	char name[200];

	snprintf(name, sizeof name, "%s: lines", what);
	CHECK_EQ(name, maps_lines(lo, hi, at, &gs, &ge), lines);
	snprintf(name, sizeof name, "%s: the line's range", what);
	CHECK(name, gs == (uintptr_t)s && ge == (uintptr_t)e);
}

static char *map_at(char *at, size_t len, int prot, int flags, int fd,
		    off_t off)
{
	return mmap(at, len, prot, flags, fd, off);
}

static void clear_area(void)
{
	munmap(area, AREA);
}

/* Two or three fresh anonymous mappings side by side are one vma. */
static void test_mmap_adjacent(void)
{
	char *a = area;

	map_at(a + PG, PG, RW, ANON, -1, 0);
	map_at(a + 2 * PG, PG, RW, ANON, -1, 0);
	expect("mmap after a vma", a, a + 8 * PG, 1, a + PG, a + PG, a + 3 * PG);
	map_at(a, PG, RW, ANON, -1, 0);
	expect("mmap before a vma", a, a + 8 * PG, 1, a, a, a + 3 * PG);
	map_at(a + 4 * PG, PG, RW, ANON, -1, 0);
	map_at(a + 3 * PG, PG, RW, ANON, -1, 0);
	expect("mmap between two vmas", a, a + 8 * PG, 1, a, a, a + 5 * PG);
	map_at(a + 5 * PG, PG, PROT_READ, ANON, -1, 0);
	expect("other protection", a, a + 8 * PG, 2, a + 5 * PG, a + 5 * PG,
	       a + 6 * PG);
	map_at(a + 6 * PG, PG, PROT_READ, ANON | MAP_NORESERVE, -1, 0);
	expect("MAP_NORESERVE beside", a, a + 8 * PG, 3, a + 6 * PG,
	       a + 6 * PG, a + 7 * PG);
	clear_area();
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	map_at(a + 2 * PG, PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect("shared anonymous: each its own", a, a + 8 * PG, 3, a + PG,
	       a + PG, a + 2 * PG);
	clear_area();
	/* MAP_FIXED over the middle with the same kind: one again. */
	map_at(a, 4 * PG, RW, ANON, -1, 0);
	map_at(a + PG, PG, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect("MAP_FIXED over the middle", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	clear_area();
}

/* mprotect, mlock and madvise split a part off and merge it back. */
static void test_change_back(void)
{
	char *a = area;

	map_at(a, 4 * PG, RW, ANON, -1, 0);
	a[0] = 1;
	CHECK_OK("mprotect the middle read-only", mprotect(a + PG, 2 * PG, PROT_READ));
	expect("mprotect of the middle", a, a + 8 * PG, 3, a + PG, a + PG, a + 3 * PG);
	CHECK_OK("mprotect it back", mprotect(a + PG, 2 * PG, RW));
	expect("mprotect back", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	CHECK_OK("mprotect the start", mprotect(a, PG, PROT_READ));
	CHECK_OK("mprotect the next page alike", mprotect(a + PG, PG, PROT_READ));
	expect("mprotect joins the part before", a, a + 8 * PG, 2, a, a, a + 2 * PG);
	CHECK_OK("mprotect across both back", mprotect(a, 4 * PG, RW));
	expect("mprotect of two vmas back", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	CHECK_OK("mlock the middle", mlock(a + PG, PG));
	expect("mlock of the middle", a, a + 8 * PG, 3, a + PG, a + PG, a + 2 * PG);
	CHECK_OK("munlock it", munlock(a + PG, PG));
	expect("munlock", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	CHECK_OK("MADV_DONTFORK the end", madvise(a + 2 * PG, 2 * PG, MADV_DONTFORK));
	expect("MADV_DONTFORK", a, a + 8 * PG, 2, a + 3 * PG, a + 2 * PG, a + 4 * PG);
	CHECK_OK("MADV_DOFORK", madvise(a, 4 * PG, MADV_DOFORK));
	expect("MADV_DOFORK", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	CHECK_OK("MADV_DONTDUMP the start", madvise(a, PG, MADV_DONTDUMP));
	CHECK_OK("MADV_DODUMP", madvise(a, PG, MADV_DODUMP));
	expect("MADV_DODUMP", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	clear_area();
	/* Read-only memory made writable is charged (VM_ACCOUNT) for good. */
	map_at(a, 3 * PG, PROT_READ, ANON, -1, 0);
	CHECK_OK("mprotect the middle writable", mprotect(a + PG, PG, RW));
	CHECK_OK("and read-only again", mprotect(a + PG, PG, PROT_READ));
	expect("read-only, writable, read-only", a, a + 8 * PG, 3, a + PG,
	       a + PG, a + 2 * PG);
	clear_area();
	/* Shared anonymous memory: one object, contiguous offsets. */
	map_at(a, 3 * PG, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK_OK("mprotect shared memory's middle", mprotect(a + PG, PG, PROT_READ));
	CHECK_OK("and back", mprotect(a + PG, PG, RW));
	expect("shared anonymous back", a, a + 8 * PG, 1, a, a, a + 3 * PG);
	clear_area();
}

/*
 * The other flags Linux keeps per vma split it too: locked to be
 * faulted in (MLOCK_ONFAULT), read-ahead and huge-page advice.
 */
static void test_more_flags(void)
{
	char *a = area;

	map_at(a, 4 * PG, RW, ANON, -1, 0);
	CHECK_OK("mlock the start", mlock(a, PG));
	CHECK_OK("mlock2 MLOCK_ONFAULT the next page",
		 syscall(SYS_mlock2, a + PG, PG, 1));
	expect("mlock beside MLOCK_ONFAULT", a, a + 8 * PG, 3, a + PG, a + PG,
	       a + 2 * PG);
	/* smaps names no VM_LOCKONFAULT: both are "lo" */
	CHECK_EQ("smaps: lo on the MLOCK_ONFAULT part", smaps_flag(a + PG, "lo"), 1);
	CHECK_OK("mlock it", mlock(a + PG, PG));
	expect("mlock over MLOCK_ONFAULT", a, a + 8 * PG, 2, a, a, a + 2 * PG);
	/* mlock wrote the locked part (an anon_vma): unlocked, it cannot
	 * join the never written rest, which has none. */
	CHECK_OK("munlock all", munlock(a, 4 * PG));
	expect("munlock all", a, a + 8 * PG, 2, a, a, a + 2 * PG);
	CHECK_OK("MADV_RANDOM the middle", madvise(a + PG, PG, MADV_RANDOM));
	expect("MADV_RANDOM", a, a + 8 * PG, 3, a + PG, a + PG, a + 2 * PG);
	CHECK_EQ("smaps: rr", smaps_flag(a + PG, "rr"), 1);
	CHECK_OK("MADV_SEQUENTIAL it", madvise(a + PG, PG, MADV_SEQUENTIAL));
	CHECK_EQ("smaps: sr", smaps_flag(a + PG, "sr"), 1);
	CHECK_EQ("smaps: rr gone", smaps_flag(a + PG, "rr"), 0);
	CHECK_OK("MADV_NORMAL all", madvise(a, 4 * PG, MADV_NORMAL));
	expect("MADV_NORMAL", a, a + 8 * PG, 2, a, a, a + 2 * PG);
	CHECK_OK("MADV_HUGEPAGE the end", madvise(a + 2 * PG, 2 * PG, MADV_HUGEPAGE));
	expect("MADV_HUGEPAGE", a, a + 8 * PG, 2, a + 2 * PG, a + 2 * PG, a + 4 * PG);
	CHECK_EQ("smaps: hg", smaps_flag(a + 2 * PG, "hg"), 1);
	/* ... but the unwritten part changed joins the written one */
	CHECK_OK("MADV_NOHUGEPAGE all", madvise(a, 4 * PG, MADV_NOHUGEPAGE));
	expect("MADV_NOHUGEPAGE", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	CHECK_EQ("smaps: nh", smaps_flag(a, "nh"), 1);
	CHECK_EQ("smaps: hg gone", smaps_flag(a, "hg"), 0);
	clear_area();
}

/* Which anonymous vmas may merge (Linux's is_mergeable_anon_vma). */
static void test_anon_vma(void)
{
	char *a = area;
	int st = -1;
	pid_t pid;

	/* A written vma takes a fresh mapping beside it. */
	map_at(a, PG, RW, ANON, -1, 0);
	a[0] = 1;
	map_at(a + PG, PG, RW, ANON, -1, 0);
	expect("fresh beside written", a, a + 8 * PG, 1, a, a, a + 2 * PG);
	clear_area();
	/* Written beside never written: the written one changed does not
	 * join (the other has no anon_vma to compare)... */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + PG, PG, RW | PROT_EXEC, ANON, -1, 0);
	a[PG] = 1;
	CHECK_OK("mprotect the written one", mprotect(a + PG, PG, RW));
	expect("written into unwritten", a, a + 8 * PG, 2, a + PG, a + PG,
	       a + 2 * PG);
	clear_area();
	/* ...but the unwritten one changed joins the written one. */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + PG, PG, RW | PROT_EXEC, ANON, -1, 0);
	a[0] = 1;
	CHECK_OK("mprotect the unwritten one", mprotect(a + PG, PG, RW));
	expect("unwritten into written", a, a + 8 * PG, 1, a, a, a + 2 * PG);
	clear_area();
	/* Both written: the second shares its neighbour's anon_vma. */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + PG, PG, RW | PROT_EXEC, ANON, -1, 0);
	a[0] = 1;
	a[PG] = 1;
	CHECK_OK("mprotect one of two written", mprotect(a + PG, PG, RW));
	expect("both written", a, a + 8 * PG, 1, a, a, a + 2 * PG);
	clear_area();
	/* After fork, the child's written vmas have anon_vmas of their own. */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + 4 * PG, PG, RW, ANON, -1, 0);
	a[0] = 1;
	pid = fork();
	if (pid == 0) {
		uintptr_t s, e;
		int bad = 0;

		map_at(a + PG, PG, RW, ANON, -1, 0);
		map_at(a + 5 * PG, PG, RW, ANON, -1, 0);
		/* the written one: two lines; the other: one */
		bad |= maps_lines(a, a + 2 * PG, a, &s, &e) != 2;
		bad |= maps_lines(a + 4 * PG, a + 6 * PG, a + 4 * PG, &s, &e) != 1;
		bad |= s != (uintptr_t)(a + 4 * PG) || e != (uintptr_t)(a + 6 * PG);
		_exit(bad);
	}
	waitpid(pid, &st, 0);
	CHECK_EQ("fork: an inherited written vma takes no fresh mapping",
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	clear_area();
}

/* A file's pieces at consecutive offsets from one open file are one. */
static void test_file(void)
{
	const char *path = "/tmp/abi_vma_merge";
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), fd2;
	char *a = area;

	CHECK("create a file", fd >= 0);
	if (fd < 0)
		return;
	CHECK_OK("size it", ftruncate(fd, 8 * PG));
	fd2 = open(path, O_RDONLY);
	map_at(a, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 0);
	map_at(a + 2 * PG, 2 * PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 2 * PG);
	expect("file at consecutive offsets", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	map_at(a + 4 * PG, PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd, 6 * PG);
	expect("file at another offset", a, a + 8 * PG, 2, a + 4 * PG,
	       a + 4 * PG, a + 5 * PG);
	map_at(a + 5 * PG, PG, PROT_READ, MAP_SHARED | MAP_FIXED, fd2, 7 * PG);
	expect("file opened twice", a, a + 8 * PG, 3, a + 5 * PG, a + 5 * PG,
	       a + 6 * PG);
	clear_area();
	map_at(a, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
	CHECK_OK("mprotect a private file mapping's middle",
		 mprotect(a + PG, PG, RW));
	a[PG] = 1;
	CHECK_OK("and back", mprotect(a + PG, PG, PROT_READ));
	expect("private file written, made read-only", a, a + 8 * PG, 3,
	       a + PG, a + PG, a + 2 * PG);
	clear_area();
	close(fd2);
	close(fd);
	unlink(path);
	/* Private /dev/zero memory is anonymous but keeps its file: pieces
	 * at consecutive offsets join, an anonymous neighbour does not. */
	fd = open("/dev/zero", O_RDONLY);
	CHECK("open /dev/zero", fd >= 0);
	map_at(a, PG, RW, MAP_PRIVATE | MAP_FIXED, fd, PG);
	map_at(a + PG, PG, RW, MAP_PRIVATE | MAP_FIXED, fd, 2 * PG);
	map_at(a + 2 * PG, PG, RW, ANON, -1, 0);
	expect("private /dev/zero", a, a + 8 * PG, 2, a, a, a + 2 * PG);
	CHECK("its line names /dev/zero at its offset",
	      strstr(at_line, " 00001000 ") && strstr(at_line, "/dev/zero"));
	CHECK_ERR("MADV_WIPEONFORK on it: EINVAL",
		  madvise(a, PG, MADV_WIPEONFORK), EINVAL);
	CHECK_OK("MADV_FREE on it", madvise(a, PG, MADV_FREE));
	a[0] = 3;
	CHECK("it keeps private stores", a[0] == 3 && a[PG] == 0);
	clear_area();
	close(fd);
}

/* brk grows its vma; mremap grows or moves into a neighbour's. */
static void test_brk_mremap(void)
{
	char *cur = (char *)syscall(SYS_brk, 0), *top;
	char *a = area, *p;
	uintptr_t s, e;

	cur = (char *)(((uintptr_t)cur + PG - 1) & ~(PG - 1));
	syscall(SYS_brk, cur + PG);
	top = (char *)syscall(SYS_brk, cur + 3 * PG);
	CHECK("brk grows", top == cur + 3 * PG);
	CHECK_EQ("brk: one heap vma", maps_lines(cur, cur + 3 * PG, cur, &s, &e), 1);
	CHECK("brk: the vma ends at the brk", e == (uintptr_t)(cur + 3 * PG));
	/* A like mapping just above joins the heap and is named with it. */
	p = map_at(cur + 3 * PG, PG, RW, ANON, -1, 0);
	CHECK("mmap just above the brk", p == cur + 3 * PG);
	CHECK_EQ("mmap joins the heap: its line",
		 maps_lines(cur, cur + 4 * PG, p, &s, &e), 1);
	CHECK("the heap's line goes on to the mapping's end",
	      s <= (uintptr_t)cur && e == (uintptr_t)(cur + 4 * PG));
	CHECK("and is [heap]", strstr(at_line, "[heap]") != NULL);
	munmap(p, PG);
	syscall(SYS_brk, cur);

	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + 3 * PG, PG, RW, ANON, -1, 0);
	p = mremap(a, PG, 3 * PG, 0);
	CHECK("mremap grows in place", p == a);
	expect("mremap grows into the next vma", a, a + 8 * PG, 1, a, a,
	       a + 4 * PG);
	clear_area();
	/* Written, it cannot take the next one, which has no anon_vma. */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + 3 * PG, PG, RW, ANON, -1, 0);
	a[0] = 1;
	p = mremap(a, PG, 3 * PG, 0);
	CHECK("mremap grows a written vma in place", p == a);
	expect("mremap grows a written vma up to the next", a, a + 8 * PG, 2,
	       a, a, a + 3 * PG);
	clear_area();
	/* Moved: a never written vma is offset anew and joins; a written
	 * one keeps its offset and does not. */
	map_at(a, PG, RW, ANON, -1, 0);
	map_at(a + 4 * PG, PG, RW, ANON, -1, 0);
	p = mremap(a + 4 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + PG);
	CHECK("mremap moves", p == a + PG);
	expect("moved unwritten beside", a, a + 8 * PG, 1, a, a, a + 2 * PG);
	map_at(a + 4 * PG, PG, RW, ANON, -1, 0);
	a[4 * PG] = 1;
	p = mremap(a + 4 * PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a + 2 * PG);
	CHECK("mremap moves a written one", p == a + 2 * PG);
	expect("moved written beside", a, a + 8 * PG, 2, a + 2 * PG, a + 2 * PG,
	       a + 3 * PG);
	clear_area();
}

/* Registering part of a vma with a userfaultfd splits it; unregistering
 * and closing merge it back. */
static void test_uffd(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC);
	char *a = area;

	CHECK("userfaultfd", fd >= 0);
	if (fd < 0)
		return;
	CHECK_OK("UFFDIO_API", ioctl(fd, UFFDIO_API, &api));
	map_at(a, 4 * PG, RW, ANON, -1, 0);
	reg.range.start = (uintptr_t)a + PG;
	reg.range.len = PG;
	CHECK_OK("register the middle", ioctl(fd, UFFDIO_REGISTER, &reg));
	expect("registered middle", a, a + 8 * PG, 3, a + PG, a + PG, a + 2 * PG);
	CHECK_OK("unregister it", ioctl(fd, UFFDIO_UNREGISTER, &reg.range));
	expect("unregistered", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	reg.range.len = 2 * PG;
	CHECK_OK("register again", ioctl(fd, UFFDIO_REGISTER, &reg));
	close(fd);
	expect("closed", a, a + 8 * PG, 1, a, a, a + 4 * PG);
	clear_area();
}

/* Merged mappings count once against vm.max_map_count. */
static void test_map_count(void)
{
	int fd = open("/proc/sys/vm/max_map_count", O_RDWR);
	uintptr_t s, e;
	int n = maps_lines(0, (char *)UINTPTR_MAX, 0, &s, &e), ok = 1;
	char v[24];
	int len = snprintf(v, sizeof v, "%d", n + 2);

	CHECK("open vm.max_map_count", fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ("set vm.max_map_count", pwrite(fd, v, len, 0), len);
	for (int i = 0; i < 32; i++)
		ok &= map_at(area + i * PG, PG, RW, ANON, -1, 0) != MAP_FAILED;
	CHECK("32 adjacent mappings within a limit of 2 more vmas", ok);
	CHECK_EQ("vm.max_map_count back", pwrite(fd, "65530", 5, 0), 5);
	expect("32 adjacent mappings", area, area + AREA, 1, area, area,
	       area + 32 * PG);
	clear_area();
	close(fd);
}

int main(void)
{
	TEST_BEGIN(T);
	/* with free pages on both sides, so nothing else is adjacent */
	area = mmap(NULL, 3 * AREA, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("an area of free address space", area != MAP_FAILED);
	if (area == MAP_FAILED)
		return TEST_END();
	munmap(area, 3 * AREA);
	area += AREA;
	test_mmap_adjacent();
	test_change_back();
	test_more_flags();
	test_anon_vma();
	test_file();
	test_brk_mremap();
	test_uffd();
	test_map_count();
	return TEST_END();
}
