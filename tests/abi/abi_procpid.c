/* abi_procpid.c - /proc/PID/auxv, mem, smaps, smaps_rollup, stack, syscall, wchan, personality and timerslack_ns as Linux 6.1 has them (modes, contents, formats and who may use them), and status's SigQ. */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <grp.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/stat.h>

#define T "abi_procpid"

static char buf[65536];

static mode_t mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? (mode_t)-1 : st.st_mode;
}

/*
 * Become uid and gid 1000 without groups, or fail loudly; dumpable again
 * (the id change made the task undumpable, and its /proc files root's).
 */
static void drop(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000) || prctl(PR_SET_DUMPABLE, 1)) {
		check_emit("FAIL %s: dropping privileges: %s", T, errname(errno));
		_exit(1);
	}
}

static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	closedir(d);
	return found;
}

static void test_modes(void)
{
	static const struct { const char *name; mode_t mode; } m[] = {
		{ "auxv", 0400 }, { "mem", 0600 }, { "smaps", 0444 },
		{ "smaps_rollup", 0444 }, { "stack", 0400 },
		{ "syscall", 0400 }, { "wchan", 0444 },
		{ "personality", 0400 }, { "timerslack_ns", 0666 },
		{ "loginuid", 0644 }, { "coredump_filter", 0644 },
	};
	char path[64], what[96], tdir[64];

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		snprintf(path, sizeof(path), "/proc/self/%s", m[i].name);
		snprintf(what, sizeof(what), "%s is a regular file of mode %o",
			 path, m[i].mode);
		CHECK_EQ(what, mode_of(path), S_IFREG | m[i].mode);
	}
	snprintf(tdir, sizeof(tdir), "/proc/self/task/%d", getpid());
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		int want = strcmp(m[i].name, "timerslack_ns") &&
			   strcmp(m[i].name, "coredump_filter");

		snprintf(what, sizeof(what), "task/TID %s %s", want ? "has" :
			 "lacks", m[i].name);
		CHECK_EQ(what, dir_has(tdir, m[i].name), want);
	}
}

static void test_auxv(void)
{
	unsigned long v[128];
	ssize_t n = slurp("/proc/self/auxv", (char *)v, sizeof(v));
	unsigned long pagesz = 0, uid = ~0UL, rnd = 0;
	size_t words = n > 0 ? (size_t)n / sizeof(v[0]) : 0, i;

	CHECK("auxv reads whole pairs", n > 0 && n % 16 == 0);
	for (i = 0; i + 1 < words && v[i]; i += 2) {
		if (v[i] == AT_PAGESZ)
			pagesz = v[i + 1];
		if (v[i] == AT_UID)
			uid = v[i + 1];
		if (v[i] == AT_RANDOM)
			rnd = v[i + 1];
	}
	CHECK_EQ("auxv ends at its AT_NULL pair", i + 2, words);
	CHECK_EQ("auxv's AT_PAGESZ", pagesz, 4096);
	CHECK_EQ("auxv's AT_UID is the real uid", uid, getuid());
	CHECK_EQ("auxv's AT_RANDOM is getauxval's", rnd, getauxval(AT_RANDOM));
}

static volatile unsigned long target = 0x1122334455667788UL;
static const char rodata[16] = "read-only data";
/* Read through a pointer the compiler cannot see through. */
static const char *volatile rodata_at = rodata;

static void test_mem(void)
{
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	unsigned long v = 0, nv = 0xfeedfacecafebeefUL;
	long page = sysconf(_SC_PAGESIZE);
	char *ro, *gone, got[8];

	CHECK_OK("open /proc/self/mem for reading and writing", fd);
	CHECK_EQ("pread at a variable's address reads it",
		 pread(fd, &v, sizeof(v), (off_t)(uintptr_t)&target),
		 sizeof(v));
	CHECK_EQ("the bytes are the variable's", v, target);
	CHECK_EQ("pwrite at its address",
		 pwrite(fd, &nv, sizeof(nv), (off_t)(uintptr_t)&target),
		 sizeof(nv));
	CHECK_EQ("the variable changed", target, nv);

	ro = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		  -1, 0);
	CHECK_EQ("a read-only private page is written through mem",
		 pwrite(fd, "forced", 6, (off_t)(uintptr_t)ro), 6);
	CHECK("the task sees the write", !memcmp(ro, "forced", 6));

	CHECK_EQ("read-only data of the program's file is written too",
		 pwrite(fd, "READ", 4, (off_t)(uintptr_t)rodata), 4);
	CHECK("the task sees its private copy",
	      !memcmp(rodata_at, "READ-only data", 14));
	CHECK_EQ("and so does mem", pread(fd, got, 8,
					  (off_t)(uintptr_t)rodata), 8);
	CHECK("the same bytes", !memcmp(got, "READ-onl", 8));

	gone = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(gone + page, (size_t)page);
	memcpy(gone + page - 4, "tail", 4);
	CHECK_ERR("reading an unmapped address fails with EIO",
		  pread(fd, got, 4, (off_t)(uintptr_t)(gone + page)), EIO);
	CHECK_ERR("writing one too",
		  pwrite(fd, got, 4, (off_t)(uintptr_t)(gone + page)), EIO);
	CHECK_EQ("a read running into a hole returns what was mapped",
		 pread(fd, got, 8, (off_t)(uintptr_t)(gone + page - 4)), 4);
	CHECK("those bytes", !memcmp(got, "tail", 4));
	CHECK_ERR("address 0 is not mapped", pread(fd, got, 1, 0), EIO);
	CHECK_EQ("lseek sets the address",
		 lseek(fd, (off_t)(uintptr_t)&target, SEEK_SET),
		 (off_t)(uintptr_t)&target);
	CHECK_EQ("read at the file offset", read(fd, &v, sizeof(v)),
		 sizeof(v));
	CHECK_EQ("... which moved on", lseek(fd, 0, SEEK_CUR),
		 (off_t)(uintptr_t)&target + 8);
	close(fd);
	munmap(ro, (size_t)page);
	munmap(gone, (size_t)page);
}

/* Another process of the same user opens it; root's stays closed. */
static int mem_peer_child(void *arg)
{
	pid_t peer = *(pid_t *)arg;
	char path[64];
	unsigned long v = 0;
	int fd;

	drop();
	snprintf(path, sizeof(path), "/proc/%d/mem", peer);
	fd = open(path, O_RDONLY);
	CHECK_OK("a process of the same user opens another's mem", fd);
	CHECK_EQ("and reads it", pread(fd, &v, sizeof(v),
				       (off_t)(uintptr_t)&target), sizeof(v));
	CHECK_EQ("the bytes are the peer's (forked) variable", v, target);
	close(fd);
	CHECK_ERR("an unprivileged process cannot open init's mem",
		  open("/proc/1/mem", O_RDONLY), EACCES);
	CHECK_ERR("nor its auxv", open("/proc/1/auxv", O_RDONLY), EACCES);
	CHECK_ERR("nor its syscall", open("/proc/1/syscall", O_RDONLY), EACCES);
	return check_fails;
}

static void test_mem_access(void)
{
	int ready[2], stop[2];
	pid_t peer;
	char c;

	if (pipe(ready) || pipe(stop))
		return;
	peer = fork();
	if (peer == 0) {
		drop();
		close(ready[0]);
		close(stop[1]);
		if (write(ready[1], "r", 1) != 1 || read(stop[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	CHECK_EQ("the peer is ready", read(ready[0], &c, 1), 1);
	CHECK_EQ("the opening child passed", run_child(mem_peer_child, &peer),
		 0);
	close(stop[1]);
	waitpid(peer, NULL, 0);
	close(ready[0]);
	close(stop[0]);
}

/* The "Key:" names of the lines of @text from line @from, space-joined. */
static void keys(const char *text, int from, char *out, size_t size)
{
	size_t len = 0;
	int line = 0;

	out[0] = '\0';
	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n'), *colon = strchr(p, ':');

		if (line >= from && colon && (!nl || colon < nl) &&
		    strncmp(p, "ProtectionKey", 13) &&
		    len + (size_t)(colon - p) + 2 < size) {
			if (len)
				out[len++] = ' ';
			memcpy(out + len, p, (size_t)(colon - p));
			len += (size_t)(colon - p);
			out[len] = '\0';
		}
		if (!nl)
			break;
		p = nl + 1;
	}
}

static const char smap_keys[] =
	"Size KernelPageSize MMUPageSize Rss Pss Pss_Dirty Shared_Clean "
	"Shared_Dirty "
	"Private_Clean Private_Dirty Referenced Anonymous LazyFree "
	"AnonHugePages ShmemPmdMapped FilePmdMapped Shared_Hugetlb "
	"Private_Hugetlb Swap SwapPss Locked THPeligible VmFlags";
static const char rollup_keys[] =
	"Rss Pss Pss_Dirty Pss_Anon Pss_File Pss_Shmem Shared_Clean "
	"Shared_Dirty Private_Clean Private_Dirty Referenced Anonymous "
	"LazyFree AnonHugePages ShmemPmdMapped FilePmdMapped Shared_Hugetlb "
	"Private_Hugetlb Swap SwapPss Locked";

static void test_smaps(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *area = mmap(NULL, (size_t)page * 4, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char head[32], k[1024], *entry, *end, *flags;

	area[0] = 1;
	area[page] = 1;
	CHECK("smaps reads", slurp("/proc/self/smaps", buf, sizeof(buf)) > 0);
	snprintf(head, sizeof(head), "%08lx-", (unsigned long)(uintptr_t)area);
	entry = strstr(buf, head);
	CHECK("smaps has the new area", entry != NULL);
	if (!entry)
		return;
	end = strstr(entry + 1, "VmFlags:");
	end = end ? strchr(end, '\n') : NULL;
	if (end)
		end[1] = '\0';
	keys(entry, 1, k, sizeof(k));
	CHECK_STR("an area's fields, in Linux's order", k, smap_keys);
	CHECK("Size in kB, right-aligned in 8 columns",
	      strstr(entry, "\nSize:                 16 kB\n") != NULL);
	CHECK("KernelPageSize: 4 kB",
	      strstr(entry, "\nKernelPageSize:        4 kB\n") != NULL);
	CHECK("two touched pages are resident",
	      strstr(entry, "\nRss:                   8 kB\n") != NULL);
	CHECK("and anonymous",
	      strstr(entry, "\nAnonymous:             8 kB\n") != NULL);
	CHECK("and private dirty",
	      strstr(entry, "\nPrivate_Dirty:         8 kB\n") != NULL);
	CHECK("Private_Hugetlb's label is one wider",
	      strstr(entry, "\nPrivate_Hugetlb:       0 kB\n") != NULL);
	CHECK("Swap: 0",
	      strstr(entry, "\nSwap:                  0 kB\n") != NULL);
	flags = strstr(entry, "VmFlags: ");
	CHECK("VmFlags of a private writable area",
	      flags && !strncmp(flags, "VmFlags: rd wr mr mw me ", 24) &&
	      strstr(flags, " ac ") != NULL);
	munmap(area, (size_t)page * 4);

	CHECK("smaps_rollup reads",
	      slurp("/proc/self/smaps_rollup", buf, sizeof(buf)) > 0);
	end = strchr(buf, '\n');
	CHECK("its first line spans the address space and ends in [rollup]",
	      end && end - buf > 8 && !strncmp(end - 8, "[rollup]", 8) &&
	      strstr(buf, " ---p 00000000 00:00 0 ") != NULL);
	CHECK_EQ("[rollup] at column 74", end ? (long)(end - 8 - buf) : -1,
		 73);
	keys(buf, 1, k, sizeof(k));
	CHECK_STR("the rollup's fields, in Linux's order", k, rollup_keys);
}

/*
 * An area's figure @key ("Pss") in kB from /proc/self/smaps, the area
 * found by its start address; -1 if missing.
 */
static long smaps_kb(const void *area, const char *key)
{
	char head[32], label[32], *entry, *at;

	snprintf(head, sizeof(head), "%08lx-", (unsigned long)(uintptr_t)area);
	snprintf(label, sizeof(label), "\n%s:", key);
	if (slurp("/proc/self/smaps", buf, sizeof(buf)) <= 0)
		return -1;
	entry = strstr(buf, head);
	at = entry ? strstr(entry, label) : NULL;
	return at ? strtol(at + strlen(label), NULL, 10) : -1;
}

/* What the fork child saw of its inherited area, before and after it
   wrote a quarter of it. */
struct fork_smaps {
	char *area;
	long rss, pss, shared, private;
	long w_pss, w_shared, w_private, w_anon;
};

static int fork_smaps_child(void *arg)
{
	struct fork_smaps *f = arg;
	char *area = f->area;
	long page = sysconf(_SC_PAGESIZE);

	f->rss = smaps_kb(area, "Rss");
	f->pss = smaps_kb(area, "Pss");
	f->shared = smaps_kb(area, "Shared_Dirty");
	f->private = smaps_kb(area, "Private_Dirty");
	for (int i = 0; i < 4; i++)
		area[i * page] = 2;
	f->w_pss = smaps_kb(area, "Pss");
	f->w_shared = smaps_kb(area, "Shared_Dirty");
	f->w_private = smaps_kb(area, "Private_Dirty");
	f->w_anon = smaps_kb(area, "Anonymous");
	return 0;
}

/*
 * After fork a private area's written pages are both processes' until
 * one writes: Shared_Dirty, half of each in Pss; a page the child writes
 * becomes its own (Private_Dirty, whole in Pss). The results come back
 * through a shared page.
 */
static void test_smaps_fork(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct fork_smaps *f = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *area = mmap(NULL, (size_t)page * 16, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int st;

	CHECK("the areas map", f != MAP_FAILED && area != MAP_FAILED);
	if (f == MAP_FAILED || area == MAP_FAILED)
		return;
	memset(area, 1, (size_t)page * 16);
	CHECK_EQ("before fork the 64 kB are private dirty",
		 smaps_kb(area, "Private_Dirty"), 64);
	f->area = area;
	st = run_child(fork_smaps_child, f);
	CHECK_EQ("the fork child ran", st, 0);
	CHECK_EQ("the child's Rss of the inherited area", f->rss, 64);
	CHECK_EQ("its pages are shared with the parent (Shared_Dirty)",
		 f->shared, 64);
	CHECK_EQ("none private (Private_Dirty)", f->private, 0);
	CHECK_EQ("Pss is half of Rss", f->pss, 32);
	CHECK_EQ("four pages written: 16 kB private", f->w_private, 16);
	CHECK_EQ("48 kB still shared", f->w_shared, 48);
	CHECK_EQ("Pss: 16 kB whole and half of 48", f->w_pss, 40);
	CHECK_EQ("all of it still anonymous", f->w_anon, 64);
	CHECK_EQ("the child gone, the parent's are private again",
		 smaps_kb(area, "Private_Dirty"), 64);
	CHECK_EQ("and whole in its Pss", smaps_kb(area, "Pss"), 64);
	munmap(area, (size_t)page * 16);
	munmap(f, (size_t)page);
}

static int stack_child(void *arg __attribute__((unused)))
{
	int fd;
	char c;

	drop();
	fd = open("/proc/self/stack", O_RDONLY);
	CHECK_OK("an unprivileged task opens its own stack file", fd);
	CHECK_ERR("but reading it needs CAP_SYS_ADMIN", read(fd, &c, 1),
		  EACCES);
	close(fd);
	return check_fails;
}

static void test_stack(void)
{
	CHECK("root reads /proc/self/stack",
	      slurp("/proc/self/stack", buf, sizeof(buf)) >= 0);
	CHECK_EQ("the unprivileged child passed", run_child(stack_child, NULL),
		 0);
}

static void test_syscall(void)
{
	int fd = open("/proc/self/syscall", O_RDONLY);
	char line[256] = "", want[64];
	unsigned long f[9];
	long nr = -2;
	int n, st;
	pid_t child;

	n = (int)read(fd, line, sizeof(line) - 1);
	line[n > 0 ? n : 0] = '\0';
	close(fd);
	n = sscanf(line, "%ld 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx 0x%lx",
		   &nr, &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]);
	CHECK_EQ("syscall has the number and 8 hex fields", n, 9);
	CHECK_EQ("reading it, the task is in read(2)", nr, SYS_read);
	CHECK_EQ("whose first argument is the descriptor", f[0], fd);
	CHECK_EQ("and the second the buffer", f[1], (uintptr_t)line);

	child = fork();
	if (child == 0) {
		syscall(SYS_pause);
		_exit(0);
	}
	usleep(100000);
	snprintf(want, sizeof(want), "/proc/%d/syscall", child);
	slurp(want, line, sizeof(line));
	snprintf(want, sizeof(want), "%d 0x", SYS_pause);
	CHECK("a child sleeping in pause shows it",
	      !strncmp(line, want, strlen(want)));
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
}

static void test_personality(void)
{
	int st;
	pid_t child;

	slurp("/proc/self/personality", buf, sizeof(buf));
	CHECK_STR("personality of a Linux task", buf, "00000000\n");
	child = fork();
	if (child == 0) {
		personality(PER_LINUX | ADDR_NO_RANDOMIZE);
		slurp("/proc/self/personality", buf, sizeof(buf));
		_exit(strcmp(buf, "00040000\n") != 0);
	}
	waitpid(child, &st, 0);
	CHECK_EQ("ADDR_NO_RANDOMIZE shows as 00040000", st, 0);
	slurp("/proc/self/wchan", buf, sizeof(buf));
	CHECK_STR("a running task's wchan is 0", buf, "0");
}

static long slack_of(const char *path)
{
	char b[64];

	if (slurp(path, b, sizeof(b)) < 0)
		return -1;
	return strtol(b, NULL, 10);
}

/* An unprivileged task and its parent's (root's) slack. */
static int slack_child(void *arg __attribute__((unused)))
{
	char path[64];
	int fd;

	drop();
	CHECK_EQ("a task may set its own slack",
		 write_str("/proc/self/timerslack_ns", "70000"), 5);
	CHECK_EQ("and read it", slack_of("/proc/self/timerslack_ns"), 70000);
	snprintf(path, sizeof(path), "/proc/%d/timerslack_ns", getppid());
	fd = open(path, O_RDWR);
	CHECK_OK("another task's timerslack_ns opens (mode 0666)", fd);
	CHECK_ERR("reading it needs CAP_SYS_NICE", read(fd, buf, 16), EPERM);
	CHECK_ERR("writing it too", write(fd, "1000", 4), EPERM);
	CHECK_ERR("a bad number is EINVAL first", write(fd, "x", 1), EINVAL);
	close(fd);
	return check_fails;
}

static void test_timerslack(void)
{
	long def = prctl(PR_GET_TIMERSLACK);
	char path[64];
	int st, ready[2];
	pid_t child;
	char c;

	CHECK_EQ("timerslack_ns reads the prctl value",
		 slack_of("/proc/self/timerslack_ns"), def);
	CHECK_EQ("a write takes the whole count",
		 write_str("/proc/self/timerslack_ns", "123456\n"), 7);
	CHECK_EQ("PR_GET_TIMERSLACK sees it", prctl(PR_GET_TIMERSLACK), 123456);
	CHECK_EQ("a leading + is taken",
		 write_str("/proc/self/timerslack_ns", "+7"), 2);
	CHECK_EQ("... as 7", prctl(PR_GET_TIMERSLACK), 7);
	CHECK_ERR("text is EINVAL",
		  write_str("/proc/self/timerslack_ns", "12ab"), EINVAL);
	CHECK_ERR("a number past 64 bits is ERANGE",
		  write_str("/proc/self/timerslack_ns",
			    "18446744073709551616"), ERANGE);
	CHECK_EQ("0 restores the default",
		 write_str("/proc/self/timerslack_ns", "0"), 1);
	CHECK_EQ("... the one the task started with",
		 prctl(PR_GET_TIMERSLACK), def);
	CHECK_EQ("the unprivileged child passed", run_child(slack_child, NULL),
		 0);

	if (pipe(ready))
		return;
	child = fork();
	if (child == 0) {
		drop();
		close(ready[1]);
		if (read(ready[0], &c, 1) < 0)
			_exit(2);
		_exit(prctl(PR_GET_TIMERSLACK) != 4242);
	}
	close(ready[0]);
	snprintf(path, sizeof(path), "/proc/%d/timerslack_ns", child);
	CHECK_EQ("root (CAP_SYS_NICE) sets another task's slack",
		 write_str(path, "4242"), 4);
	CHECK_EQ("and reads it", slack_of(path), 4242);
	close(ready[1]);
	waitpid(child, &st, 0);
	CHECK_EQ("the task runs with it", st, 0);
}

/* The "SigQ:" queued count of /proc/self/status, or -1. */
static long sigq(long *limit)
{
	char *p;

	if (slurp("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nSigQ:\t");
	if (!p)
		return -1;
	*limit = strtol(strchr(p, '/') + 1, NULL, 10);
	return strtol(p + 7, NULL, 10);
}

/* SigQ counts the signals queued for the user, against its limit. */
static int sigq_child(void *arg __attribute__((unused)))
{
	union sigval v = { .sival_int = 0 };
	struct rlimit rl = { 77, 77 };
	sigset_t set;
	long lim = 0;

	drop();
	setrlimit(RLIMIT_SIGPENDING, &rl);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGRTMIN);
	sigprocmask(SIG_BLOCK, &set, NULL);
	CHECK_EQ("SigQ is 0 with nothing queued", sigq(&lim), 0);
	CHECK_EQ("over the RLIMIT_SIGPENDING soft limit", lim, 77);
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigqueue(getpid(), SIGRTMIN, v);
	sigqueue(getpid(), SIGRTMIN, v);
	CHECK_EQ("a pending standard signal counts once, real-time ones each",
		 sigq(&lim), 3);
	return check_fails;
}

static char *read_text(const char *path)
{
	static char t[64];
	ssize_t n = slurp(path, t, sizeof t);

	return n >= 0 ? t : "";
}

/* The audit login uid: set once freely, then only with CAP_AUDIT_CONTROL. */
static int loginuid_child(void *arg)
{
	char path[64], sid[64];

	(void)arg;
	if (strcmp(read_text("/proc/self/loginuid"), "4294967295"))
		return 1;
	if (write_str("/proc/self/loginuid", "1000\n") != 5)
		return 2;
	if (strcmp(read_text("/proc/self/loginuid"), "1000"))
		return 3;
	snprintf(sid, sizeof sid, "%s", read_text("/proc/self/sessionid"));
	if (!strcmp(sid, "4294967295") || !sid[0])
		return 4;	/* a session came with it */
	if (write_str("/proc/self/loginuid", "abc") != -1 || errno != EINVAL)
		return 5;
	if (write_str("/proc/self/loginuid", "4294967296") != -1 || errno != ERANGE)
		return 6;
	snprintf(path, sizeof path, "/proc/%d/loginuid", getppid());
	if (write_str(path, "7") != -1 || errno != EPERM)
		return 7;	/* never another task's */
	pid_t p = fork();
	if (p == 0)
		_exit(strcmp(read_text("/proc/self/loginuid"), "1000") ||
		      strcmp(read_text("/proc/self/sessionid"), sid));
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		return 8;	/* inherited by fork */
	if (write_str("/proc/self/loginuid", "2000") != 4)
		return 9;	/* root may change it */
	if (!strcmp(read_text("/proc/self/sessionid"), sid))
		return 10;	/* with a new session */
	if (setresuid(1000, 1000, 1000) || prctl(PR_SET_DUMPABLE, 1))
		return 11;	/* dumpable: its /proc files its own again */
	if (write_str("/proc/self/loginuid", "3000") != -1 || errno != EPERM)
		return 12;	/* set: a change needs CAP_AUDIT_CONTROL */
	return 0;
}

static void test_audit_and_coredump(void)
{
	int st = run_child(loginuid_child, NULL);

	CHECK_EQ("loginuid: unset, set once, inherited, guarded (child's step)",
		 WIFEXITED(st) ? WEXITSTATUS(st) : 100 + (st & 0x7f), 0);
	CHECK_STR("coredump_filter starts at 0x33", read_text("/proc/self/coredump_filter"),
		  "00000033\n");
	CHECK_EQ("coredump_filter takes 0x7f", write_str("/proc/self/coredump_filter", "0x7f\n"), 5);
	CHECK_STR("... and shows it", read_text("/proc/self/coredump_filter"), "0000007f\n");
	CHECK_EQ("write 0xffff", write_str("/proc/self/coredump_filter", "0xffff"), 6);
	CHECK_STR("... keeps the nine filter bits", read_text("/proc/self/coredump_filter"),
		  "000001ff\n");
	CHECK_EQ("write 017 (octal)", write_str("/proc/self/coredump_filter", "017"), 3);
	CHECK_STR("... is 15", read_text("/proc/self/coredump_filter"), "0000000f\n");
	CHECK_ERR("junk: EINVAL", write_str("/proc/self/coredump_filter", "0x7g"), EINVAL);
	CHECK_EQ("restore 0x33", write_str("/proc/self/coredump_filter", "51"), 2);
	CHECK_STR("... back to the default", read_text("/proc/self/coredump_filter"), "00000033\n");
}

static int exec_keeps_filter(void *arg)
{
	(void)arg;
	if (write_str("/proc/self/coredump_filter", "0x21") != 4)
		return 1;
	execl("/bin/sh", "sh", "-c", "test \"$(cat /proc/self/coredump_filter)\" = 00000021", (char *)NULL);
	return 2;
}

int main(void)
{
	TEST_BEGIN(T);
	test_modes();
	test_auxv();
	test_mem();
	test_mem_access();
	test_smaps();
	test_smaps_fork();
	test_stack();
	test_syscall();
	test_personality();
	test_timerslack();
	test_audit_and_coredump();
	int st = run_child(exec_keeps_filter, NULL);
	CHECK("coredump_filter survives fork and exec",
	      WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK_EQ("the SigQ child passed", run_child(sigq_child, NULL), 0);
	return TEST_END();
}
