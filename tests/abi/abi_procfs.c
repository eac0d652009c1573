/* abi_procfs.c - /proc in Linux 6.1's formats: stat and status fields, task/ per thread, mountinfo, fdinfo, limits, oom files, io, vmstat, meminfo order, /proc/stat, loadavg, uptime, locks, swaps, fs.file-nr, kernel.printk, cmdline after setproctitle. */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define T "abi_procfs"

/* The number after "@key" at a line start of @text, or -1. */
static long long field(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl))
			return strtoll(p + kl, NULL, 10);
	return -1;
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

/* Keys of a "key: value" or "key value" file, each ending at @sep, joined by spaces. */
static void keys_of(const char *text, char sep, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	for (const char *p = text; *p; ) {
		const char *e = strchr(p, sep), *nl = strchr(p, '\n');

		if (!nl)
			break;
		if (e && e < nl && len + (size_t)(e - p) + 2 < size) {
			memcpy(out + len, p, (size_t)(e - p));
			len += (size_t)(e - p);
			out[len++] = ' ';
			out[len] = '\0';
		}
		p = nl + 1;
	}
}

static char buf[65536], buf2[65536];

static volatile int thread_stop;
static volatile pid_t thread_tid;

static void *spinner(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	while (!thread_stop)
		usleep(1000);
	return NULL;
}

static const char status_keys[] =
	"Name Umask State Tgid Ngid Pid PPid TracerPid Uid Gid FDSize Groups "
	"NStgid NSpid NSpgid NSsid VmPeak VmSize VmLck VmPin VmHWM VmRSS "
	"RssAnon RssFile RssShmem VmData VmStk VmExe VmLib VmPTE VmSwap "
	"HugetlbPages CoreDumping THP_enabled Threads SigQ SigPnd ShdPnd "
	"SigBlk SigIgn SigCgt CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs "
	"Seccomp Seccomp_filters Speculation_Store_Bypass "
	"SpeculationIndirectBranch Cpus_allowed Cpus_allowed_list "
	"Mems_allowed Mems_allowed_list voluntary_ctxt_switches "
	"nonvoluntary_ctxt_switches ";

/* Fields of a stat line: the comm in parentheses counts as one. */
static int stat_fields(const char *line, char fields[][24], int max)
{
	const char *p = strrchr(line, ')');
	int n = 2;

	if (!p)
		return -1;
	for (p++; *p && *p != '\n'; ) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		int l = 0;
		while (p[l] && p[l] != ' ' && p[l] != '\n')
			l++;
		if (n < max)
			snprintf(fields[n], 24, "%.*s", l, p);
		n++;
		p += l;
	}
	return n;
}

static void test_threads(void)
{
	char path[96], f[64][24], want[32];
	pthread_t th;
	pid_t me = getpid();

	if (pthread_create(&th, NULL, spinner, NULL)) {
		CHECK("pthread_create", 0);
		return;
	}
	while (!thread_tid)
		usleep(1000);
	slurp("/proc/self/stat", buf, sizeof buf);
	CHECK_EQ("stat has 52 fields", stat_fields(buf, f, 64), 52);
	CHECK_EQ("stat num_threads is 2", atoi(f[19]), 2);
	slurp("/proc/self/status", buf, sizeof buf);
	keys_of(buf, ':', buf2, sizeof buf2);
	CHECK_STR("status field names in Linux 6.1's order", buf2, status_keys);
	CHECK_EQ("status Threads is 2", field(buf, "Threads:\t"), 2);
	snprintf(want, sizeof want, "%d", me);
	CHECK("task/ lists the main thread", dir_has("/proc/self/task", want));
	snprintf(want, sizeof want, "%d", thread_tid);
	CHECK("task/ lists the second thread", dir_has("/proc/self/task", want));
	CHECK("/proc does not list the thread", !dir_has("/proc", want));
	snprintf(path, sizeof path, "/proc/%d/status", thread_tid);
	CHECK("/proc/<tid> is found by lookup", slurp(path, buf, sizeof buf) > 0);
	snprintf(path, sizeof path, "/proc/self/task/%d/status", thread_tid);
	slurp(path, buf, sizeof buf);
	CHECK_EQ("thread status Pid is its tid", field(buf, "Pid:\t"), thread_tid);
	CHECK_EQ("thread status Tgid is the process", field(buf, "Tgid:\t"), me);
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", thread_tid);
	slurp(path, buf, sizeof buf);
	CHECK_EQ("thread stat starts with its tid", atoi(buf), thread_tid);
	CHECK_EQ("thread stat has 52 fields", stat_fields(buf, f, 64), 52);
	CHECK_EQ("thread exit_signal is -1", atoi(f[37]), -1);
	snprintf(path, sizeof path, "/proc/self/task/%d", thread_tid);
	CHECK("a thread directory has children", dir_has(path, "children"));
	CHECK("and no task/", !dir_has(path, "task"));
	CHECK("a process directory has no children", !dir_has("/proc/self", "children"));
	snprintf(path, sizeof path, "/proc/self/task/%d/fd/..", thread_tid);
	{
		struct stat a, b;
		char tdir[64];

		snprintf(tdir, sizeof tdir, "/proc/self/task/%d", thread_tid);
		CHECK("task/<tid>/fd/.. is task/<tid>", !stat(path, &a) &&
		      !stat(tdir, &b) && a.st_ino == b.st_ino);
	}
	thread_stop = 1;
	pthread_join(th, NULL);
}

static void test_mountinfo(void)
{
	char *line, *save, root_ok = 0, proc_ok = 0;
	int root_id = -1;
	struct stat st;

	slurp("/proc/self/mountinfo", buf, sizeof buf);
	stat("/proc", &st);
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		int id, parent;
		unsigned ma, mi;
		char root[256], mp[256], opts[256], type[64], src[256], sopts[256];
		const char *dash = strstr(line, " - ");

		if (sscanf(line, "%d %d %u:%u %255s %255s %255s", &id, &parent,
			   &ma, &mi, root, mp, opts) != 7 || !dash ||
		    sscanf(dash, " - %63s %255s %255s", type, src, sopts) != 3)
			continue;
		if (!strcmp(mp, "/")) {
			root_id = id;
			root_ok = !strcmp(root, "/") && (!strncmp(opts, "rw", 2) || !strncmp(opts, "ro", 2));
		}
		if (!strcmp(mp, "/proc"))
			proc_ok = !strcmp(type, "proc") && !strcmp(root, "/") &&
				  parent == root_id && ma == major(st.st_dev) &&
				  mi == minor(st.st_dev) && !strncmp(sopts, "rw", 2);
	}
	CHECK("mountinfo has / with root / and rw options", root_ok);
	CHECK("mountinfo /proc: proc, parent /, its st_dev, super rw", proc_ok);
}

/* The mount id mountinfo gives the mount at @mp, or -1. */
static int mount_id(const char *mp)
{
	char *line, *save, m[256];
	int id, found = -1;

	slurp("/proc/self/mountinfo", buf2, sizeof buf2);
	for (line = strtok_r(buf2, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%d %*d %*s %*s %255s", &id, m) == 2 && !strcmp(m, mp))
			found = id;
	return found;
}

static void test_fdinfo(void)
{
	char path[64], want[256];
	struct stat st;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	int lf = open("/tmp/abi_procfs.lock", O_RDWR | O_CREAT, 0600);

	lseek(fd, 3, SEEK_SET);
	fstat(fd, &st);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", fd);
	slurp(path, buf, sizeof buf);
	CHECK_EQ("fdinfo pos", field(buf, "pos:\t"), 3);
	CHECK("fdinfo flags in octal: O_CLOEXEC|O_LARGEFILE", strstr(buf, "\nflags:\t02100000\n") != NULL);
	CHECK_EQ("fdinfo mnt_id is /proc's", field(buf, "mnt_id:\t"), mount_id("/proc"));
	CHECK_EQ("fdinfo ino", field(buf, "ino:\t"), (long long)st.st_ino);
	snprintf(want, sizeof want, "%d", fd);
	CHECK("fdinfo lists the descriptor", dir_has("/proc/self/fdinfo", want));
	CHECK_OK("flock", flock(lf, LOCK_EX));
	fstat(lf, &st);
	snprintf(path, sizeof path, "/proc/self/fdinfo/%d", lf);
	slurp(path, buf, sizeof buf);
	snprintf(want, sizeof want, "\nlock:\t1: FLOCK  ADVISORY  WRITE %d %02x:%02x:%lu 0 EOF\n",
		 getpid(), major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
	CHECK("fdinfo shows the flock", strstr(buf, want) != NULL);
	slurp("/proc/locks", buf, sizeof buf);
	CHECK("/proc/locks shows the flock", strstr(buf, want + 7) != NULL);
	{
		struct flock fl = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 20 };
		int pf = open("/tmp/abi_procfs.lock2", O_RDWR | O_CREAT, 0600);

		CHECK_OK("F_SETLK read lock", fcntl(pf, F_SETLK, &fl));
		fstat(pf, &st);
		snprintf(want, sizeof want, ": POSIX  ADVISORY  READ %d %02x:%02x:%lu 10 29\n",
			 getpid(), major(st.st_dev), minor(st.st_dev), (unsigned long)st.st_ino);
		slurp("/proc/locks", buf, sizeof buf);
		CHECK("/proc/locks shows the record lock", strstr(buf, want) != NULL);
		close(pf);
		slurp("/proc/locks", buf, sizeof buf);
		CHECK("and not once its descriptor closed", strstr(buf, want) == NULL);
		unlink("/tmp/abi_procfs.lock2");
	}
	close(lf);
	close(fd);
	unlink("/tmp/abi_procfs.lock");
}

static void test_limits(void)
{
	struct rlimit r;
	char want[160], soft[24], hard[24];

	slurp("/proc/self/limits", buf, sizeof buf);
	snprintf(want, sizeof want, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	CHECK("limits header", !strncmp(buf, want, strlen(want)));
	getrlimit(RLIMIT_NOFILE, &r);
	snprintf(soft, sizeof soft, "%lu", (unsigned long)r.rlim_cur);
	snprintf(hard, sizeof hard, "%lu", (unsigned long)r.rlim_max);
	snprintf(want, sizeof want, "\n%-25s %-20s %-20s %-10s\n", "Max open files", soft, hard, "files");
	CHECK("limits: Max open files as getrlimit", strstr(buf, want) != NULL);
	CHECK("limits: cpu time unlimited", strstr(buf, "\nMax cpu time              unlimited            "
		"unlimited            seconds   \n") != NULL);
	CHECK("limits: nice has no unit", strstr(buf, "\nMax nice priority         0                    "
		"0                    \n") != NULL);
}

/* In a thread: /proc/self names the process, /proc/thread-self the thread. */
static void *self_links(void *arg)
{
	char got[64], want[64];
	ssize_t n;
	int ok;

	(void)arg;
	n = readlink("/proc/self", got, sizeof got - 1);
	got[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof want, "%d", getpid());
	ok = !strcmp(got, want);
	n = readlink("/proc/thread-self", got, sizeof got - 1);
	got[n > 0 ? n : 0] = 0;
	snprintf(want, sizeof want, "%d/task/%ld", getpid(), syscall(SYS_gettid));
	ok = ok && !strcmp(got, want);
	return (void *)(long)ok;
}

/*
 * The initial user namespace and no audit session, as Linux shows them
 * to root: the identity maps, setgroups "allow", sessionid unset; the
 * initial namespace's maps are fixed (EPERM to write).
 */
static void test_userns_files(void)
{
	static const char idmap[] = "         0          0 4294967295\n";
	char b[64];

	CHECK("uid_map is the identity map", slurp("/proc/self/uid_map", b, sizeof b) > 0 &&
	      !strcmp(b, idmap));
	CHECK("gid_map is the identity map", slurp("/proc/self/gid_map", b, sizeof b) > 0 &&
	      !strcmp(b, idmap));
	CHECK("setgroups allows", slurp("/proc/self/setgroups", b, sizeof b) > 0 &&
	      !strcmp(b, "allow\n"));
	CHECK("sessionid is unset", slurp("/proc/self/sessionid", b, sizeof b) > 0 &&
	      !strcmp(b, "4294967295"));
	CHECK("a thread has them too", slurp("/proc/thread-self/uid_map", b, sizeof b) > 0 &&
	      !strcmp(b, idmap));
	pthread_t th;
	void *ok = NULL;
	if (pthread_create(&th, NULL, self_links, NULL) == 0)
		pthread_join(th, &ok);
	CHECK("in a thread, /proc/self is the process and /proc/thread-self the thread", ok != NULL);
	errno = 0;
	CHECK("writing uid_map EPERM", write_str("/proc/self/uid_map", "0 0 1\n") == -1 &&
	      errno == EPERM);
	errno = 0;
	CHECK("writing setgroups EPERM", write_str("/proc/self/setgroups", "deny") == -1 &&
	      errno == EPERM);
	CHECK("the pid directory lists them", dir_has("/proc/self", "uid_map") &&
	      dir_has("/proc/self", "gid_map") && dir_has("/proc/self", "setgroups") &&
	      dir_has("/proc/self", "sessionid"));
}

static void test_oom(void)
{
	long long score;

	slurp("/proc/self/oom_score_adj", buf, sizeof buf);
	CHECK_STR("oom_score_adj starts at 0", buf, "0\n");
	CHECK_OK("write oom_score_adj 500", write_str("/proc/self/oom_score_adj", "500\n"));
	slurp("/proc/self/oom_score_adj", buf, sizeof buf);
	CHECK_STR("oom_score_adj reads 500", buf, "500\n");
	slurp("/proc/self/oom_adj", buf, sizeof buf);
	CHECK_STR("oom_adj is 500 * 17 / 1000", buf, "8\n");
	CHECK_ERR("oom_score_adj 1001: EINVAL", write_str("/proc/self/oom_score_adj", "1001"), EINVAL);
	CHECK_ERR("oom_score_adj junk: EINVAL", write_str("/proc/self/oom_score_adj", "5x"), EINVAL);
	CHECK_ERR("oom_adj 16: EINVAL", write_str("/proc/self/oom_adj", "16"), EINVAL);
	CHECK_OK("oom_adj 15", write_str("/proc/self/oom_adj", "15"));
	slurp("/proc/self/oom_score_adj", buf, sizeof buf);
	CHECK_STR("oom_adj 15 is oom_score_adj 1000", buf, "1000\n");
	slurp("/proc/self/oom_score", buf, sizeof buf);
	score = atoll(buf);
	CHECK("oom_score at adj 1000 is over 1300", score > 1300 && score <= 2000);
	CHECK_OK("oom_score_adj back to 0", write_str("/proc/self/oom_score_adj", "0"));
	slurp("/proc/self/oom_score", buf, sizeof buf);
	score = atoll(buf);
	CHECK("oom_score at adj 0 is 666 or more, under 1333", score >= 666 && score < 1333);
	slurp("/proc/self/wchan", buf, sizeof buf);
	CHECK_STR("wchan of the running task", buf, "0");
}

static void test_io(void)
{
	long long r0, r1, c0, c1;
	char tmp[1000];
	int fd = open("/proc/self/status", O_RDONLY);

	slurp("/proc/self/io", buf, sizeof buf);
	r0 = field(buf, "rchar: ");
	c0 = field(buf, "syscr: ");
	CHECK("io has its seven lines", strstr(buf, "\nwchar: ") && strstr(buf, "\nsyscw: ") &&
	      strstr(buf, "\nread_bytes: ") && strstr(buf, "\nwrite_bytes: ") &&
	      strstr(buf, "\ncancelled_write_bytes: "));
	ssize_t n = read(fd, tmp, sizeof tmp);
	close(fd);
	slurp("/proc/self/io", buf, sizeof buf);
	r1 = field(buf, "rchar: ");
	c1 = field(buf, "syscr: ");
	CHECK("rchar counts a read", n > 0 && r1 - r0 >= n);
	CHECK("syscr counts read calls", c1 > c0);
}

static const char meminfo_keys[] =
	"MemTotal MemFree MemAvailable Buffers Cached SwapCached Active Inactive "
	"Active(anon) Inactive(anon) Active(file) Inactive(file) Unevictable "
	"Mlocked SwapTotal SwapFree Zswap Zswapped Dirty Writeback AnonPages "
	"Mapped Shmem KReclaimable Slab SReclaimable SUnreclaim KernelStack "
	"PageTables SecPageTables NFS_Unstable Bounce WritebackTmp CommitLimit "
	"Committed_AS VmallocTotal VmallocUsed VmallocChunk Percpu "
	"HardwareCorrupted AnonHugePages ShmemHugePages ShmemPmdMapped "
	"FileHugePages FilePmdMapped HugePages_Total HugePages_Free "
	"HugePages_Rsvd HugePages_Surp Hugepagesize Hugetlb DirectMap4k "
	"DirectMap2M DirectMap1G ";

/*
 * procfs's lookups fail rather than leave a name to create: every kind
 * of creation there is ENOENT (not EPERM), and an existing name EEXIST.
 */
static void test_no_creation(void)
{
	CHECK_ERR("mkdir in /proc ENOENT", mkdir("/proc/abi-new", 0755), ENOENT);
	CHECK_ERR("mkdir in /proc/self ENOENT", mkdir("/proc/self/abi-new", 0755), ENOENT);
	CHECK_ERR("mkdir in /proc/sys/kernel ENOENT",
		  mkdir("/proc/sys/kernel/abi-new", 0755), ENOENT);
	CHECK_ERR("O_CREAT in /proc ENOENT",
		  open("/proc/abi-new", O_WRONLY | O_CREAT, 0644), ENOENT);
	CHECK_ERR("symlink in /proc ENOENT", symlink("x", "/proc/abi-new"), ENOENT);
	CHECK_ERR("mknod in /proc/self ENOENT",
		  mknod("/proc/self/abi-new", S_IFIFO | 0644, 0), ENOENT);
	CHECK_ERR("mkdir of /proc/self/fd EEXIST", mkdir("/proc/self/fd", 0755), EEXIST);
}

static void test_system_files(void)
{
	static const char *const vm_keys[] = {
		"\nnr_inactive_anon ", "\nnr_active_anon ", "\nnr_mapped ",
		"\nnr_file_pages ", "\npgpgin ", "\npgpgout ", "\npswpin ",
		"\npswpout ", "\npgfault ", "\npgmajfault ", "\noom_kill ",
	};
	long long c0, c1, p0, p1, v0, v1;
	double up0, idle0, up1, idle1, l1, l5, l15;
	int running, total, last, ok = 1, end = -1;
	pid_t child;

	slurp("/proc/meminfo", buf, sizeof buf);
	keys_of(buf, ':', buf2, sizeof buf2);
	CHECK_STR("meminfo keys in Linux 6.1's order", buf2, meminfo_keys);
	slurp("/proc/vmstat", buf, sizeof buf);
	CHECK("vmstat begins with nr_free_pages", !strncmp(buf, "nr_free_pages ", 14));
	for (size_t i = 0; i < sizeof vm_keys / sizeof vm_keys[0]; i++)
		ok &= strstr(buf, vm_keys[i]) != NULL;
	CHECK("vmstat has what vmstat(8) reads", ok);

	slurp("/proc/stat", buf, sizeof buf);
	c0 = field(buf, "ctxt ");
	p0 = field(buf, "processes ");
	sscanf(buf, "cpu  %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u%n", &end);
	CHECK("stat cpu line has 10 numbers", end > 0 && buf[end] == '\n');
	CHECK("stat has btime", field(buf, "btime ") > 1000000000LL);
	slurp("/proc/self/status", buf, sizeof buf);
	v0 = field(buf, "voluntary_ctxt_switches:\t");
	for (int i = 0; i < 20; i++) {
		usleep(1000);
		sched_yield();
	}
	slurp("/proc/self/status", buf, sizeof buf);
	v1 = field(buf, "voluntary_ctxt_switches:\t");
	CHECK("voluntary_ctxt_switches counts sleeps", v1 - v0 >= 20);
	child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	slurp("/proc/stat", buf, sizeof buf);
	c1 = field(buf, "ctxt ");
	p1 = field(buf, "processes ");
	CHECK("stat ctxt grows across sleeps", c1 - c0 >= 20);
	CHECK("stat processes counts a fork", p1 > p0);

	slurp("/proc/loadavg", buf, sizeof buf);
	CHECK("loadavg: 3 averages, running/total, last pid",
	      sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15, &running, &total, &last) == 6 &&
	      running >= 1 && total >= running && last >= child);

	slurp("/proc/uptime", buf, sizeof buf);
	sscanf(buf, "%lf %lf", &up0, &idle0);
	usleep(300000);
	slurp("/proc/uptime", buf, sizeof buf);
	CHECK("uptime has two fields", sscanf(buf, "%lf %lf", &up1, &idle1) == 2);
	CHECK("uptime's idle time grows while all sleep", idle1 - idle0 >= 0.1);
}

/*
 * /proc/swaps with no swap, fs.file-nr counting open files, kernel.printk's
 * four levels (a write sets the ones it gives), and a rename into /proc.
 */
static void test_swaps_file_nr_printk(void)
{
	unsigned long f0, zero, max;
	int lv[4], nv[4], got;
	char line[64];

	slurp("/proc/swaps", buf, sizeof buf);
	CHECK_STR("/proc/swaps: the header alone", buf,
		  "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");

	slurp("/proc/sys/fs/file-nr", buf, sizeof buf);
	/* The first is not checked: Linux's is a per-CPU estimate, even 0. */
	got = sscanf(buf, "%lu\t%lu\t%lu\n", &f0, &zero, &max);
	CHECK("file-nr: three numbers, the second 0",
	      got == 3 && zero == 0 && max > 0);

	slurp("/proc/sys/kernel/printk", buf, sizeof buf);
	got = sscanf(buf, "%d\t%d\t%d\t%d\n", &lv[0], &lv[1], &lv[2], &lv[3]);
	CHECK("printk: four tab-separated levels", got == 4);
	CHECK_OK("printk: write the first two",
		 write_str("/proc/sys/kernel/printk", "3 5\n"));
	slurp("/proc/sys/kernel/printk", buf, sizeof buf);
	sscanf(buf, "%d\t%d\t%d\t%d", &nv[0], &nv[1], &nv[2], &nv[3]);
	CHECK("printk: the two given changed, the others kept",
	      nv[0] == 3 && nv[1] == 5 && nv[2] == lv[2] && nv[3] == lv[3]);
	CHECK_ERR("printk: garbage EINVAL",
		  write_str("/proc/sys/kernel/printk", "x\n"), EINVAL);
	CHECK_OK("printk: a fifth number is ignored",
		 write_str("/proc/sys/kernel/printk", "4 4 1 7 9\n"));
	slurp("/proc/sys/kernel/printk", buf, sizeof buf);
	CHECK_STR("... the four are set", buf, "4\t4\t1\t7\n");
	snprintf(line, sizeof line, "%d %d %d %d\n", lv[0], lv[1], lv[2], lv[3]);
	CHECK_OK("printk: restore", write_str("/proc/sys/kernel/printk", line));

	close(open("/tmp/abi-procfs-mv", O_WRONLY | O_CREAT, 0644));
	CHECK_ERR("rename into /proc EXDEV",
		  rename("/tmp/abi-procfs-mv", "/proc/abi-procfs-mv"), EXDEV);
	unlink("/tmp/abi-procfs-mv");
}

/* ps's %CPU: the time a task ran cannot exceed the time since it started. */
static void test_cpu_time(void)
{
	char f[64][24];
	double up;
	long long t0 = now_ns(), used, age;

	while (now_ns() - t0 < 200000000LL)
		;
	slurp("/proc/self/stat", buf, sizeof buf);
	stat_fields(buf, f, 64);
	used = atoll(f[13]) + atoll(f[14]);
	slurp("/proc/uptime", buf2, sizeof buf2);
	sscanf(buf2, "%lf", &up);
	age = (long long)(up * 100) - atoll(f[21]);
	CHECK("utime+stime within the task's age in ticks", used >= 10 && used <= age + 1);
}

/*
 * Re-executed with "--title": overwrite the whole argument area, as
 * setproctitle does, so its last NUL is gone; cmdline then runs on into
 * the environment to its first NUL.
 */
static int title_child(int argc, char **argv)
{
	char *start = argv[0], *end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	size_t len = (size_t)(end - start);
	char want[256];

	TEST_BEGIN(T);
	memset(start, 'x', len);
	memset(want, 'x', len);
	memcpy(want + len, "ABI_TITLE=1", 12);
	ssize_t n = slurp("/proc/self/cmdline", buf, sizeof buf);
	CHECK_EQ("cmdline after setproctitle runs into the environment", n, (long long)len + 12);
	CHECK("and ends at the environment's first NUL", n == (ssize_t)len + 12 && !memcmp(buf, want, len + 12));
	return check_fails ? 1 : 0;
}

static void test_cmdline_title(void)
{
	pid_t c = fork();
	int st = -1;

	if (c == 0) {
		char *argv[] = { "abi_procfs", "--title", NULL };
		char *envp[] = { "ABI_TITLE=1", "OTHER=2", NULL };

		execve("/proc/self/exe", argv, envp);
		_exit(99);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("the setproctitle child passed", st, 0);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--title"))
		return title_child(argc, argv);
	TEST_BEGIN(T);
	test_threads();
	test_mountinfo();
	test_fdinfo();
	test_limits();
	test_oom();
	test_io();
	test_system_files();
	test_no_creation();
	test_userns_files();
	test_cpu_time();
	test_swaps_file_nr_printk();
	test_cmdline_title();
	return TEST_END();
}
