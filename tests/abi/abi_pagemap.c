/* abi_pagemap.c - /proc/PID/pagemap as Linux 6.1 has it: 64-bit entries per virtual page (present, file or shared page, exclusively mapped, soft-dirty, the frame number for CAP_SYS_ADMIN only), across fork, for file, shared and private memory and holes; the offset and count rules (EINVAL), the end of the user half, and who may open it. */
#include "check.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#define T "abi_pagemap"
#define PG 4096UL
#define PRESENT		(1ULL << 63)
#define SWAPPED		(1ULL << 62)
#define FILEPG		(1ULL << 61)
#define EXCL		(1ULL << 56)
#define SOFTDIRTY	(1ULL << 55)
#define PFN		((1ULL << 55) - 1)
#define FLAGS		(PRESENT | SWAPPED | FILEPG | EXCL | SOFTDIRTY)
#define USER_TOP	0x7ffffffff000UL
#define FILE_PATH	"/tmp/abi_pagemap.dat"

static int pm = -1;

/* The entry of @addr in the open pagemap @fd, or ~0 if it cannot be read. */
static uint64_t entry_of(int fd, const volatile void *addr)
{
	uint64_t e;

	if (pread(fd, &e, sizeof e, (off_t)((uintptr_t)addr / PG * 8)) != sizeof e)
		return ~0ULL;
	return e;
}

static uint64_t entry(const volatile void *addr)
{
	return entry_of(pm, addr);
}

static void test_file_rules(void)
{
	struct stat st;
	uint64_t e[4];
	char *m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	CHECK_OK("stat /proc/self/pagemap", stat("/proc/self/pagemap", &st));
	CHECK_EQ("a regular file, mode 0400", st.st_mode, S_IFREG | 0400);
	CHECK_ERR("an offset not a multiple of 8 EINVAL", pread(pm, e, 8, 4), EINVAL);
	CHECK_ERR("a count not a multiple of 8 EINVAL", pread(pm, e, 12, 8), EINVAL);
	CHECK_EQ("a count of 0 reads 0", pread(pm, e, 0, 8), 0);
	CHECK_EQ("lseek to an odd offset works", lseek(pm, 3, SEEK_SET), 3);
	CHECK_ERR("... then read EINVAL", read(pm, e, 8), EINVAL);
	CHECK_EQ("lseek to a page's entry", lseek(pm, (off_t)((uintptr_t)m / PG * 8), SEEK_SET),
		 (off_t)((uintptr_t)m / PG * 8));
	CHECK_EQ("read(2) reads one entry", read(pm, e, 8), 8);
	CHECK_EQ("... and moves the offset on", lseek(pm, 0, SEEK_CUR),
		 (off_t)((uintptr_t)m / PG * 8 + 8));
	e[0] = 1;
	CHECK("the last user page's entry reads",
	      pread(pm, e, sizeof e, (off_t)((USER_TOP / PG - 1) * 8)) >= 8);
	CHECK_EQ("... is 0 (no vma)", e[0], 0);
	/* 4-level paging's top here; Linux with LA57 goes to 2^56 */
	CHECK_EQ("at the top of a 5-level user half: 0 bytes",
		 pread(pm, e, sizeof e, (off_t)(((1ULL << 56) - PG) / PG * 8)), 0);
	CHECK_EQ("far past it: 0 bytes", pread(pm, e, sizeof e, (off_t)1 << 62), 0);
	CHECK_ERR("a bad buffer EFAULT", pread(pm, BAD_LOW, 8, (off_t)((uintptr_t)m / PG * 8)), EFAULT);
	munmap(m, PG);
}

static void test_anon(void)
{
	volatile char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t e[4];
	int p[2];
	pid_t pid;
	char c;

	m[0] = 1;
	m[2 * PG] = 1;
	munmap((char *)m + 3 * PG, PG);
	CHECK_EQ("four entries at once", pread(pm, e, sizeof e, (off_t)((uintptr_t)m / PG * 8)), 32);
	CHECK_EQ("a written page: present, exclusive, soft-dirty", e[0] & FLAGS,
		 PRESENT | EXCL | SOFTDIRTY);
	CHECK("... root sees its frame number", (e[0] & PFN) != 0);
	CHECK_EQ("an untouched page: soft-dirty only", e[1], SOFTDIRTY);
	CHECK_EQ("another written page", e[2] & FLAGS, PRESENT | EXCL | SOFTDIRTY);
	CHECK("... another frame", (e[2] & PFN) != (e[0] & PFN));
	CHECK_EQ("an unmapped page: 0", e[3], 0);

	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		close(p[1]);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	CHECK_EQ("after fork: present, shared with the child", entry(m) & FLAGS,
		 PRESENT | SOFTDIRTY);
	m[0] = 2;
	CHECK_EQ("written after fork: its own copy again", entry(m) & FLAGS,
		 PRESENT | EXCL | SOFTDIRTY);
	CHECK_EQ("the other page still shared", entry(m + 2 * PG) & FLAGS,
		 PRESENT | SOFTDIRTY);
	close(p[1]);
	waitpid(pid, NULL, 0);
	CHECK_EQ("the child gone: exclusive", entry(m + 2 * PG) & FLAGS,
		 PRESENT | EXCL | SOFTDIRTY);
	munmap((char *)m, 3 * PG);
}

static void test_shared(void)
{
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	volatile char *a, *b, *s, *pr;

	CHECK_OK("create a file", fd);
	CHECK_OK("size it", ftruncate(fd, 4 * PG));
	a = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	b = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("map it shared twice", a != MAP_FAILED && b != MAP_FAILED);
	a[0] = 1;
	CHECK_EQ("a written file page: present, file, exclusive", entry(a) & FLAGS,
		 PRESENT | FILEPG | EXCL | SOFTDIRTY);
	b[1] = 1;
	CHECK_EQ("mapped twice: not exclusive", entry(a) & FLAGS,
		 PRESENT | FILEPG | SOFTDIRTY);
	CHECK_EQ("... in either mapping", entry(b) & FLAGS, PRESENT | FILEPG | SOFTDIRTY);
	CHECK_EQ("... one frame", entry(a) & PFN, entry(b) & PFN);
	munmap((char *)b, 4 * PG);
	CHECK_EQ("one mapping again: exclusive", entry(a) & FLAGS,
		 PRESENT | FILEPG | EXCL | SOFTDIRTY);

	pr = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	CHECK("map it private, populated", pr != MAP_FAILED);
	CHECK_EQ("a populated writable private page: its own copy",
		 entry(pr + 3 * PG) & FLAGS, PRESENT | EXCL | SOFTDIRTY);
	munmap((char *)pr, 4 * PG);
	munmap((char *)a, 4 * PG);
	close(fd);
	unlink(FILE_PATH);

	s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	s[PG] = 1;
	CHECK_EQ("a shared anonymous page: present, file, exclusive", entry(s + PG) & FLAGS,
		 PRESENT | FILEPG | EXCL | SOFTDIRTY);
	munmap((char *)s, 2 * PG);
}

/* As nobody: its own pagemap without frame numbers, init's refused. */
static int child_nobody(void *arg)
{
	volatile char *m = arg;
	uint64_t e;
	int fd;

	if (setgid(65534) || setuid(65534) || prctl(PR_SET_DUMPABLE, 1))
		return 10;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 11;
	m[0] = 3;
	e = entry_of(fd, m);
	if ((e & FLAGS) != (PRESENT | EXCL | SOFTDIRTY))
		return 12;
	if (e & PFN)
		return 13;
	if (open("/proc/1/pagemap", O_RDONLY) >= 0 || errno != EACCES)
		return 14;
	return 0;
}

static void test_perm(void)
{
	volatile char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd, st = run_child(child_nobody, (void *)m);
	uint64_t e = 1;

	CHECK_EQ("nobody: own entries, frame numbers 0; init's EACCES",
		 WIFEXITED(st) ? WEXITSTATUS(st) : 100, 0);
	fd = open("/proc/1/pagemap", O_RDONLY);
	CHECK_OK("root opens init's", fd);
	CHECK_EQ("... and reads an entry", pread(fd, &e, 8, 0), 8);
	CHECK_EQ("... page 0's: 0", e, 0);
	close(fd);
	munmap((char *)m, PG);
}

int main(void)
{
	TEST_BEGIN(T);
	pm = open("/proc/self/pagemap", O_RDONLY);
	CHECK_OK("open /proc/self/pagemap", pm);
	test_file_rules();
	test_anon();
	test_shared();
	test_perm();
	return TEST_END();
}
