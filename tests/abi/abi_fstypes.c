/* abi_fstypes.c - sysfs(2) (filesystem type indexes and names, in /proc/filesystems' order) and ustat(2) as Linux 6.1. */
#include "check.h"
#include <sys/stat.h>
#include <sys/statfs.h>

#define T "abi_fstypes"

struct ustat_abi {
	int f_tfree;
	unsigned long f_tinode;
	char f_fname[6];
	char f_fpack[6];
};

static long sysfs_(int option, unsigned long a1, unsigned long a2)
{
	return syscall(SYS_sysfs, option, a1, a2);
}

static long ustat_(unsigned dev, void *buf)
{
	return syscall(SYS_ustat, dev, buf);
}

/* The i-th type name of /proc/filesystems into @name, or -1. */
static int proc_fs_name(char *list, int i, char *name, size_t size)
{
	char *line = list;

	for (; line && *line; i--) {
		char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');

		if (!tab || !nl || tab > nl)
			return -1;
		if (i == 0) {
			snprintf(name, size, "%.*s", (int)(nl - tab - 1), tab + 1);
			return 0;
		}
		line = nl + 1;
	}
	return -1;
}

static void test_sysfs(void)
{
	static char list[8192];
	char name[64], want[64], *bigname;
	long count, i, proc;
	int same = 1;

	CHECK("/proc/filesystems read", slurp("/proc/filesystems", list, sizeof list) > 0);
	count = sysfs_(3, 0, 0);
	CHECK("sysfs(3) counts the types", count > 1);
	for (i = 0; i < count; i++) {
		memset(name, 'x', sizeof name);
		if (sysfs_(2, (unsigned long)i, (unsigned long)name) != 0 ||
		    proc_fs_name(list, (int)i, want, sizeof want) != 0 ||
		    strcmp(name, want) != 0 || sysfs_(1, (unsigned long)name, 0) != i)
			same = 0;
	}
	CHECK("every index names /proc/filesystems' type and back", same);
	CHECK("/proc/filesystems has no more lines", proc_fs_name(list, (int)count, want, sizeof want) != 0);
	proc = sysfs_(1, (unsigned long)"proc", 0);
	CHECK("sysfs(1, proc) is an index", proc >= 0 && proc < count);
	CHECK_OK("sysfs(2, proc's index)", sysfs_(2, (unsigned long)proc, (unsigned long)name));
	CHECK_STR("which is proc", name, "proc");
	CHECK_ERR("sysfs(1, unknown) EINVAL", sysfs_(1, (unsigned long)"ext0", 0), EINVAL);
	CHECK_ERR("sysfs(1, \"\") ENOENT", sysfs_(1, (unsigned long)"", 0), ENOENT);
	CHECK_ERR("sysfs(1, NULL) EFAULT", sysfs_(1, 0, 0), EFAULT);
	CHECK_ERR("sysfs(1, kernel address) EFAULT", sysfs_(1, (unsigned long)BAD_KTOP, 0), EFAULT);
	bigname = malloc(8192);
	memset(bigname, 'a', 8191);
	bigname[8191] = '\0';
	CHECK_ERR("sysfs(1, 8191-byte name) ENAMETOOLONG", sysfs_(1, (unsigned long)bigname, 0), ENAMETOOLONG);
	free(bigname);
	CHECK_ERR("sysfs(2, count) EINVAL", sysfs_(2, (unsigned long)count, (unsigned long)name), EINVAL);
	CHECK_ERR("sysfs(2, 1000) EINVAL", sysfs_(2, 1000, (unsigned long)name), EINVAL);
	CHECK_OK("sysfs(2, 2^32) is index 0 (an unsigned int)", sysfs_(2, 1UL << 32, (unsigned long)want));
	sysfs_(2, 0, (unsigned long)name);
	CHECK_STR("the same name as index 0", want, name);
	CHECK_ERR("sysfs(2, 0, NULL) EFAULT", sysfs_(2, 0, 0), EFAULT);
	CHECK_ERR("sysfs(2, 0, kernel address) EFAULT", sysfs_(2, 0, (unsigned long)BAD_KTOP), EFAULT);
	CHECK_ERR("sysfs(0) EINVAL", sysfs_(0, 0, 0), EINVAL);
	CHECK_ERR("sysfs(4) EINVAL", sysfs_(4, 0, 0), EINVAL);
	CHECK_ERR("sysfs(-1) EINVAL", sysfs_(-1, 0, 0), EINVAL);
	CHECK_EQ("sysfs(3 | 1 << 32): the option is an int", syscall(SYS_sysfs, 1UL << 32 | 3, 0, 0), count);
}

static void test_ustat(void)
{
	struct ustat_abi u;
	struct statfs sf;
	struct stat st;

	CHECK_EQ("struct ustat is 32 bytes", sizeof(u), 32);
	CHECK_OK("stat /", stat("/", &st));
	CHECK_OK("ustat(/'s device)", ustat_((unsigned)st.st_dev, &u));
	CHECK_ERR("ustat(/'s device, NULL) EFAULT", ustat_((unsigned)st.st_dev, NULL), EFAULT);
	CHECK_ERR("ustat(/'s device, kernel address) EFAULT", ustat_((unsigned)st.st_dev, BAD_KTOP), EFAULT);
	CHECK_ERR("ustat(-1) EINVAL", ustat_(~0u, &u), EINVAL);
	CHECK_ERR("ustat(-1, NULL) EINVAL first", ustat_(~0u, NULL), EINVAL);
	CHECK_ERR("ustat(0:0) EINVAL", ustat_(0, &u), EINVAL);

	CHECK_OK("stat /proc", stat("/proc", &st));
	CHECK_OK("statfs /proc", statfs("/proc", &sf));
	memset(&u, 0x5a, sizeof u);
	CHECK_OK("ustat(/proc's device)", ustat_((unsigned)st.st_dev, &u));
	CHECK_EQ("f_tfree is statfs's f_bfree", u.f_tfree, (int)sf.f_bfree);
	CHECK_EQ("f_tinode is statfs's f_ffree", u.f_tinode, sf.f_ffree);
	CHECK("f_fname and f_fpack are zeroed", !memcmp(u.f_fname, "\0\0\0\0\0\0\0\0\0\0\0\0", 12));
}

int main(void)
{
	TEST_BEGIN(T);
	test_sysfs();
	test_ustat();
	return TEST_END();
}
