/* abi_sysfs.c - sysfs (CPU and node sets, lo's attributes, the tree's skeleton) and cgroup2's root group, each on a mount of its own. */
#include "check.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define T "abi_sysfs"
#define SYSFS_MAGIC		0x62656572
#define CGROUP2_SUPER_MAGIC	0x63677270

static char text[8192];

/* The whole of @path into text (NUL-terminated): its length, or -1. */
static ssize_t slurp_text(const char *path)
{
	return slurp(path, text, sizeof(text));
}

/* @path's text, or "(error)". */
static const char *value(const char *path)
{
	return slurp_text(path) < 0 ? "(error)" : text;
}

/*
 * The CPUs in a list such as "0-3,5\n": how many, and whether 0 is one;
 * -1 if the text is not a list.
 */
static int cpu_list_count(const char *s, int *has0)
{
	int n = 0;

	*has0 = 0;
	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;

		if (end == s)
			return -1;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a)
				return -1;
		}
		if (a == 0)
			*has0 = 1;
		n += (int)(b - a + 1);
		s = end;
		if (*s == ',')
			s++;
	}
	return *s == '\n' && !s[1] ? n : -1;
}

/* Does text hold @line as a whole line? */
static int has_line(const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
	return 0;
}

/* Write @s into @path in one write: its result, errno set on failure. */
static ssize_t put(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	int e = errno;
	close(fd);
	errno = e;
	return n;
}

/* Is @name in directory @dir, with d_ino equal to its stat's st_ino? */
static int listed_as_stat(const char *dir, const char *name)
{
	char path[256];
	struct dirent *d;
	struct stat st;
	DIR *dp = opendir(dir);
	int ok = 0;

	if (!dp)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	while ((d = readdir(dp)))
		if (!strcmp(d->d_name, name) && !lstat(path, &st) &&
		    d->d_ino == st.st_ino)
			ok = 1;
	closedir(dp);
	return ok;
}

static void cpu_checks(void)
{
	long onln = sysconf(_SC_NPROCESSORS_ONLN);
	struct stat st;
	int has0, n;

	n = cpu_list_count(value("s/devices/system/cpu/online"), &has0);
	CHECK_EQ("cpu/online counts sysconf(_SC_NPROCESSORS_ONLN) CPUs", n, onln);
	CHECK("cpu/online holds CPU 0", has0);
	n = cpu_list_count(value("s/devices/system/cpu/possible"), &has0);
	CHECK("cpu/possible is a list holding CPU 0 and at least the online ones",
	      n >= onln && has0);
	n = cpu_list_count(value("s/devices/system/cpu/present"), &has0);
	CHECK("cpu/present is a list holding CPU 0", n >= onln && has0);
	CHECK_STR("cpu/isolated: none", value("s/devices/system/cpu/isolated"), "\n");
	CHECK("cpu/kernel_max is at least the last online CPU",
	      atol(value("s/devices/system/cpu/kernel_max")) >= onln - 1);
	CHECK_OK("stat cpu/possible", stat("s/devices/system/cpu/possible", &st));
	CHECK_EQ("cpu/possible: a read-only regular file",
		 st.st_mode, S_IFREG | 0444);
	CHECK_EQ("cpu/possible: st_size a page", st.st_size, 4096);
	CHECK_OK("stat cpu0", stat("s/devices/system/cpu/cpu0", &st));
	CHECK_EQ("cpu0: a 0755 directory", st.st_mode, S_IFDIR | 0755);
	CHECK_ERR("cpu0 has no online file",
		  stat("s/devices/system/cpu/cpu0/online", &st), ENOENT);
	CHECK_STR("cpu0's thread siblings: itself",
		  value("s/devices/system/cpu/cpu0/topology/thread_siblings_list"),
		  "0\n");
	CHECK("cpu0 listed with its own inode number",
	      listed_as_stat("s/devices/system/cpu", "cpu0"));
	CHECK("cpu/online listed with its own inode number",
	      listed_as_stat("s/devices/system/cpu", "online"));
	CHECK_ERR("a read-only attribute does not open for writing",
		  open("s/devices/system/cpu/online", O_WRONLY), EACCES);
}

static void node_checks(void)
{
	char cpus[sizeof(text)];
	int has0;

	CHECK("node/online holds node 0",
	      cpu_list_count(value("s/devices/system/node/online"), &has0) >= 1 &&
	      has0);
	strcpy(cpus, value("s/devices/system/cpu/online"));
	CHECK_STR("node0/cpulist: the online CPUs",
		  value("s/devices/system/node/node0/cpulist"), cpus);
	CHECK_STR("node0/distance to itself",
		  value("s/devices/system/node/node0/distance"), "10\n");
	CHECK("node0/meminfo starts with its MemTotal",
	      !strncmp(value("s/devices/system/node/node0/meminfo"),
		       "Node 0 MemTotal:", 16));
}

static void net_checks(void)
{
	char link[256];
	ssize_t n;
	int up;

	n = readlink("s/class/net/lo", link, sizeof(link) - 1);
	CHECK("class/net/lo is a link", n > 0);
	link[n > 0 ? n : 0] = '\0';
	CHECK_STR("class/net/lo's target", link, "../../devices/virtual/net/lo");
	CHECK_STR("lo's ifindex", value("s/class/net/lo/ifindex"), "1\n");
	CHECK_STR("lo's address", value("s/class/net/lo/address"),
		  "00:00:00:00:00:00\n");
	CHECK_STR("lo's type: ARPHRD_LOOPBACK", value("s/class/net/lo/type"),
		  "772\n");
	CHECK_STR("lo's mtu", value("s/class/net/lo/mtu"), "65536\n");
	up = strtol(value("s/class/net/lo/flags"), NULL, 16) & 1;
	CHECK_STR("lo's operstate by its IFF_UP",
		  value("s/class/net/lo/operstate"), up ? "unknown\n" : "down\n");
	if (up)
		CHECK_STR("lo's carrier while up",
			  value("s/class/net/lo/carrier"), "1\n");
	else
		CHECK_EQ("lo's carrier while down: EINVAL",
			 slurp_text("s/class/net/lo/carrier") < 0 && errno == EINVAL, 1);
}

static void skeleton_checks(void)
{
	static const char *const dirs[] = {
		"s/fs/cgroup", "s/dev/block", "s/dev/char", "s/block",
		"s/devices/virtual/net/lo",
	};
	const char *thp;
	struct stat st;

	for (unsigned i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char what[80];

		snprintf(what, sizeof(what), "%s is a directory", dirs[i] + 2);
		CHECK(what, !stat(dirs[i], &st) && S_ISDIR(st.st_mode));
	}
	thp = value("s/kernel/mm/transparent_hugepage/enabled");
	CHECK("transparent_hugepage/enabled: always, madvise, never, one chosen",
	      strstr(thp, "always") && strstr(thp, "madvise") &&
	      strstr(thp, "never") && strchr(thp, '[') &&
	      strchr(thp, '[') == strrchr(thp, '['));
}

static void cgroup_checks(void)
{
	char line[32];
	struct statfs sf;
	struct stat st;

	CHECK_OK("mkdir c", mkdir("c", 0755));
	CHECK_OK("mount cgroup2", mount("none", "c", "cgroup2", 0, NULL));
	CHECK_OK("statfs cgroup2", statfs("c", &sf));
	CHECK_EQ("cgroup2's f_type", sf.f_type, CGROUP2_SUPER_MAGIC);
	slurp_text("c/cgroup.procs");
	snprintf(line, sizeof(line), "%d", getpid());
	CHECK("cgroup.procs lists the caller", has_line(line));
	slurp_text("c/cgroup.threads");
	snprintf(line, sizeof(line), "%ld", syscall(SYS_gettid));
	CHECK("cgroup.threads lists the calling thread", has_line(line));
	snprintf(line, sizeof(line), "%d\n", getpid());
	CHECK_EQ("writing the caller's pid to cgroup.procs",
		 put("c/cgroup.procs", line), (ssize_t)strlen(line));
	CHECK_EQ("writing 0 (the caller) to cgroup.procs",
		 put("c/cgroup.procs", "0"), 1);
	CHECK_ERR("a pid that is not a number: EINVAL",
		  put("c/cgroup.procs", "abc"), EINVAL);
	CHECK_ERR("a negative pid: EINVAL", put("c/cgroup.procs", "-1"), EINVAL);
	CHECK_ERR("no such task: ESRCH",
		  put("c/cgroup.procs", "2147483647"), ESRCH);
	CHECK_ERR("the root group has no cgroup.type",
		  stat("c/cgroup.type", &st), ENOENT);
	CHECK_OK("stat cgroup.procs", stat("c/cgroup.procs", &st));
	CHECK_EQ("cgroup.procs: 0644", st.st_mode, S_IFREG | 0644);
	CHECK_OK("stat cgroup.controllers", stat("c/cgroup.controllers", &st));
	CHECK_EQ("cgroup.controllers: 0444", st.st_mode, S_IFREG | 0444);
	CHECK_STR("cgroup.max.depth", value("c/cgroup.max.depth"), "max\n");
	CHECK("cgroup.stat counts descendants",
	      !strncmp(value("c/cgroup.stat"), "nr_descendants ", 15));
	CHECK_STR("/proc/self/cgroup: the root of the unified hierarchy",
		  value("/proc/self/cgroup"), "0::/\n");
	CHECK_OK("umount cgroup2", umount("c"));
}

int main(void)
{
	struct statfs sf;

	TEST_BEGIN(T);
	slurp_text("/proc/filesystems");
	CHECK("/proc/filesystems lists sysfs", has_line("nodev\tsysfs"));
	CHECK("/proc/filesystems lists cgroup2", has_line("nodev\tcgroup2"));
	CHECK_OK("mkdir s", mkdir("s", 0755));
	CHECK_OK("mount sysfs", mount("sysfs", "s", "sysfs", 0, NULL));
	CHECK_OK("statfs sysfs", statfs("s", &sf));
	CHECK_EQ("sysfs's f_type", sf.f_type, SYSFS_MAGIC);
	cpu_checks();
	node_checks();
	net_checks();
	skeleton_checks();
	CHECK_OK("umount sysfs", umount("s"));
	cgroup_checks();
	CHECK("init's /sys has cpu/online",
	      access("/sys/devices/system/cpu/online", R_OK) == 0);
	CHECK("init's cgroup2 mount on /sys/fs/cgroup is found again",
	      access("/sys/fs/cgroup/cgroup.procs", R_OK) == 0);
	return TEST_END();
}
