/* abi_remap.c - remap_file_pages(2) as Linux 6.1 emulates it: file, shared anonymous and System V pages from an offset mapped over a shared range by a new vma (split and merged as mmap's), the range across like vmas, a removed segment not mapped again, the EINVAL rules, ignored flags, and the deprecation warning once in the kernel log. */
#include "check.h"
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#define T "abi_remap"
#define PG 4096UL
#define NPG 4
#define FILE_PATH "/tmp/abi_remap.dat"

static long rfp(void *start, size_t size, long prot, size_t pgoff, long flags)
{
	return syscall(SYS_remap_file_pages, start, size, prot, pgoff, flags);
}

/* Lines of /proc/self/maps that lie in [lo, hi); the offset of the one at @at in *@off. */
static int maps_lines(char *lo, char *hi, char *at, unsigned long *off)
{
	static char buf[65536];
	int n = 0;

	if (slurp("/proc/self/maps", buf, sizeof buf) < 0)
		return -1;
	for (char *l = buf; *l; ) {
		unsigned long s, e, o;
		char *nl = strchr(l, '\n');

		if (sscanf(l, "%lx-%lx %*s %lx", &s, &e, &o) == 3 &&
		    s >= (unsigned long)lo && e <= (unsigned long)hi) {
			n++;
			if (s == (unsigned long)at && off)
				*off = o;
		}
		if (!nl)
			break;
		l = nl + 1;
	}
	return n;
}

static void test_file(void)
{
	char page[PG], got = 0;
	unsigned long off = 99;
	int fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	char *m, *priv;

	CHECK_OK("create the file", fd);
	for (int i = 0; i < NPG; i++) {
		memset(page, 'a' + i, sizeof page);
		write(fd, page, sizeof page);
	}
	m = mmap(NULL, NPG * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("map the file shared", m != MAP_FAILED);
	CHECK_OK("page 0 := file page 3", rfp(m, PG, 0, 3, 0));
	CHECK_EQ("page 0 reads page 3", m[0], 'd');
	CHECK_EQ("page 1 unchanged", m[PG], 'b');
	CHECK_EQ("two vmas now", maps_lines(m, m + NPG * PG, m, &off), 2);
	CHECK_EQ("the first at offset 0x3000", off, 0x3000);
	m[1] = 'X';
	CHECK_EQ("a store reaches file page 3", pread(fd, &got, 1, 3 * PG + 1), 1);
	CHECK_EQ("... the byte", got, 'X');
	CHECK_OK("page 0 := page 0 again", rfp(m, PG, 0, 0, 0));
	CHECK_EQ("page 0 reads page 0", m[0], 'a');
	CHECK_EQ("merged back into one vma", maps_lines(m, m + NPG * PG, m, NULL), 1);
	CHECK_OK("an unaligned start and size round down", rfp(m + 5, PG + 7, 0, 2, 0));
	CHECK_EQ("... page 0 reads page 2", m[0], 'c');
	CHECK_EQ("... page 1 unchanged", m[PG], 'b');
	CHECK_OK("two pages over two like vmas", rfp(m, 2 * PG, 0, 1, 0));
	CHECK_EQ("... page 0 reads page 1", m[0], 'b');
	CHECK_EQ("... page 1 reads page 2", m[PG], 'c');
	CHECK_OK("flags but MAP_NONBLOCK are ignored",
		 rfp(m, PG, 0, 3, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED));
	CHECK_EQ("... page 0 reads page 3", m[0], 'd');
	CHECK_OK("MAP_NONBLOCK", rfp(m, PG, 0, 0, MAP_NONBLOCK));
	CHECK_EQ("... page 0 reads page 0", m[0], 'a');
	CHECK_OK("a page past the file's end may be mapped", rfp(m, PG, 0, 100, 0));
	CHECK_OK("the whole range from 0", rfp(m, NPG * PG, 0, 0, 0));
	CHECK_EQ("... one vma again", maps_lines(m, m + NPG * PG, m, NULL), 1);

	CHECK_ERR("prot 1 EINVAL", rfp(m, PG, PROT_READ, 0, 0), EINVAL);
	CHECK_ERR("prot -1 EINVAL", rfp(m, PG, -1, 0, 0), EINVAL);
	CHECK_ERR("size 0 EINVAL", rfp(m, 0, 0, 0, 0), EINVAL);
	CHECK_ERR("size below a page EINVAL", rfp(m, PG - 1, 0, 0, 0), EINVAL);
	CHECK_ERR("a wrapping range EINVAL", rfp(m, -PG, 0, 0, 0), EINVAL);
	CHECK_ERR("a wrapping pgoff EINVAL", rfp(m, PG, 0, -1UL, 0), EINVAL);
	CHECK_ERR("past the mapping's end EINVAL", rfp(m, (NPG + 1) * PG, 0, 0, 0), EINVAL);
	CHECK_EQ("... nothing changed", m[0], 'a');
	CHECK_OK("mprotect page 1 read-only", mprotect(m + PG, PG, PROT_READ));
	CHECK_ERR("over vmas of two protections EINVAL", rfp(m, 2 * PG, 0, 0, 0), EINVAL);
	CHECK_OK("... the read-only one alone", rfp(m + PG, PG, 0, 3, 0));
	CHECK_EQ("... reads page 3", m[PG], 'd');
	munmap(m + 2 * PG, PG);
	CHECK_ERR("over a hole EINVAL", rfp(m + PG, 3 * PG, 0, 0, 0), EINVAL);
	CHECK_ERR("in the hole EINVAL", rfp(m + 2 * PG, PG, 0, 0, 0), EINVAL);
	munmap(m, NPG * PG);

	priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK_ERR("a private file mapping EINVAL", rfp(priv, PG, 0, 0, 0), EINVAL);
	munmap(priv, PG);
	priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK_ERR("private anonymous memory EINVAL", rfp(priv, PG, 0, 0, 0), EINVAL);
	munmap(priv, PG);
	CHECK_ERR("an unmapped address EINVAL", rfp(priv, PG, 0, 0, 0), EINVAL);
	CHECK_ERR("NULL EINVAL", rfp(NULL, PG, 0, 0, 0), EINVAL);
	close(fd);
	unlink(FILE_PATH);
}

static void test_shared_anon(void)
{
	/* volatile: two addresses of one page, which the compiler cannot know */
	volatile char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;
	int st;

	CHECK("map shared anonymous memory", m != MAP_FAILED);
	m[0] = 'A';
	m[PG] = 'B';
	CHECK_OK("page 0 := its page 1", rfp((char *)m, PG, 0, 1, 0));
	CHECK_EQ("... reads 'B'", m[0], 'B');
	m[1] = 'C';
	CHECK_EQ("... the same page as page 1", m[PG + 1], 'C');
	pid = fork();
	if (pid == 0)
		_exit(m[0] == 'B' && (m[PG] = 'D') && m[0] == 'D' ? 0 : 1);
	CHECK_EQ("a fork shares the remapped page", waitpid(pid, &st, 0) == pid &&
		 WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
	CHECK_EQ("... its store seen here", m[0], 'D');
	munmap((char *)m, 2 * PG);
}

static void test_sysv(void)
{
	struct shmid_ds ds;
	int id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);
	char *m;

	CHECK_OK("shmget", id);
	m = shmat(id, NULL, 0);
	CHECK("shmat", m != (void *)-1);
	m[0] = 'S';
	m[PG] = 'T';
	CHECK_OK("segment page 0 := its page 1", rfp(m, PG, 0, 1, 0));
	CHECK_EQ("... reads 'T'", m[0], 'T');
	CHECK_OK("the whole segment from 0", rfp(m, 2 * PG, 0, 0, 0));
	CHECK_EQ("... reads 'S'", m[0], 'S');
	CHECK_OK("IPC_STAT", shmctl(id, IPC_STAT, &ds));
	CHECK_EQ("still one attach", ds.shm_nattch, 1);
	CHECK_OK("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
	CHECK_ERR("remapping a removed segment's last attach EINVAL", rfp(m, 2 * PG, 0, 0, 0), EINVAL);
	CHECK_ERR("... the range is unmapped", msync(m, PG, MS_ASYNC), ENOMEM);
	CHECK_ERR("... the segment is gone", shmctl(id, IPC_STAT, &ds), EINVAL);
	CHECK_ERR("... again: nothing mapped EINVAL", rfp(m, 2 * PG, 0, 0, 0), EINVAL);
}

/*
 * The deprecation lines in the kernel log: how many (*@mine of them
 * naming this process, at warning level), and in *@whole whether the log
 * still holds its first record (nothing lost to the ring's overflow).
 */
static int warnings(int *mine, int *whole)
{
	char rec[1024], want[160];
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK), lines = 0, first = 1;
	ssize_t n;

	snprintf(want, sizeof want, ";mmap: " T " (%d) uses deprecated remap_file_pages() syscall. See Documentation/mm/remap_file_pages.rst.\n",
		 getpid());
	*mine = 0;
	*whole = 0;
	if (fd < 0)
		return -1;
	while ((n = read(fd, rec, sizeof rec - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0) {
			first = 0;
			continue;
		}
		rec[n] = '\0';
		if (first)
			*whole = strtol(strchr(rec, ',') + 1, NULL, 10) == 0;
		first = 0;
		if (strstr(rec, "uses deprecated remap_file_pages() syscall"))
			lines++;
		if (strstr(rec, want) && !strncmp(rec, "4,", 2))
			++*mine;
	}
	close(fd);
	return lines;
}

/*
 * The warning, once a boot: the first caller's (this test when it runs
 * alone: aramid.test.only=abi_remap), none for later ones (the fuzzer
 * may have called it first).
 */
static void test_warning(int before, int whole)
{
	int mine, whole_after, after = warnings(&mine, &whole_after);

	if (before == 0 && whole && whole_after) {
		CHECK_EQ("one warning line, for all the calls", after, 1);
		CHECK_EQ("... naming this process, at warning level", mine, 1);
	} else if (before > 0) {
		CHECK_EQ("warned before: no line for this process", mine, 0);
	} else {
		CHECK("the log lost records: at most one line for this process", mine <= 1);
	}
}

int main(void)
{
	int whole, mine, before;

	TEST_BEGIN(T);
	before = warnings(&mine, &whole);
	CHECK("read the kernel log", before >= 0);
	test_file();
	test_shared_anon();
	test_sysv();
	test_warning(before, whole);
	return TEST_END();
}
