/*
 * root_disk: init (pid 1) on an ext2 root disk, as tests/rootdisk.py
 * boots it (the kernel mounting root=, or an initramfs's switch_root).
 * The environment says what the root must be: ROOT_MODE ro or rw,
 * ROOT_SOURCE (/proc/mounts' first column), ROOT_DEVNO (major:minor),
 * ROOT_BOOT (the boot's number: the files of the boots before it must
 * be there, under rw this boot's is written). Checks that / is that
 * disk (statfs, st_dev, /proc/mounts, mountinfo), that a read-only root
 * refuses writes with EROFS and a read-write one keeps them, then
 * powers off.
 */
#include "check.h"
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

#define EXT2_SUPER_MAGIC 0xEF53

static const char *env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v ? v : def;
}

/* The line of @text (a /proc/mounts) whose mount point is "/", and how many. */
static int root_lines(const char *text, char *line, size_t size)
{
	int n = 0;

	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *sp = memchr(p, ' ', len);

		if (sp && len - (size_t)(sp - p) >= 3 && !strncmp(sp, " / ", 3)) {
			if (!n++)
				snprintf(line, size, "%.*s", (int)len, p);
		}
		p += len + (end ? 1 : 0);
	}
	return n;
}

static void check_root(const char *mode, const char *source, unsigned maj,
		       unsigned min)
{
	static char text[8192];
	char line[256], want[256], cwd[64];
	struct statfs sf;
	struct stat st;

	CHECK_EQ("init is pid 1", getpid(), 1);
	CHECK_OK("mount proc on the disk's /proc",
		 mount("proc", "/proc", "proc", 0, NULL));
	CHECK_OK("statfs /", statfs("/", &sf));
	CHECK_EQ("/ is ext2 (f_type 0xEF53)", (long)sf.f_type,
		 (long)EXT2_SUPER_MAGIC);
	CHECK_EQ("statfs's ST_RDONLY as the command line says",
		 !!(sf.f_flags & ST_RDONLY), !strcmp(mode, "ro"));
	CHECK_OK("stat /", stat("/", &st));
	CHECK_EQ("/ is on the root device (major)", major(st.st_dev), maj);
	CHECK_EQ("/ is on the root device (minor)", minor(st.st_dev), min);
	CHECK("getcwd is /", getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, "/"));
	CHECK_ERR("the initramfs's /dev/root is out of sight",
		  stat("/dev/root", &st), ENOENT);
	if (slurp("/proc/mounts", text, sizeof(text)) < 0)
		text[0] = '\0';
	CHECK_EQ("one line of /proc/mounts for / (rootfs out of sight)",
		 root_lines(text, line, sizeof(line)), 1);
	snprintf(want, sizeof(want), "%s / ext2 %s,relatime 0 0", source, mode);
	CHECK_STR("the root's /proc/mounts line", line, want);
	CHECK("the root's line is the first",
	      !strncmp(text, want, strlen(want)));
	if (slurp("/proc/self/mountinfo", text, sizeof(text)) < 0)
		text[0] = '\0';
	snprintf(want, sizeof(want), " %u:%u / / %s,relatime - ext2 %s ", maj,
		 min, mode, source);
	CHECK("mountinfo: the root's line", strstr(text, want));
	CHECK("the disk's own file reads",
	      slurp("/hello", line, sizeof(line)) > 0 &&
	      !strcmp(line, "aramid root disk\n"));
}

static void check_ro(void)
{
	CHECK_ERR("ro: creating a file is EROFS",
		  open("/new-file", O_CREAT | O_WRONLY, 0644), EROFS);
	CHECK_ERR("ro: mkdir is EROFS", mkdir("/new-dir", 0755), EROFS);
	CHECK_ERR("ro: opening a file for writing is EROFS",
		  open("/hello", O_WRONLY), EROFS);
}

static void check_rw(int boot)
{
	char path[64], want[64], got[64];
	int fd;

	for (int k = 1; k < boot; k++) {
		snprintf(path, sizeof(path), "/rootdisk-%d", k);
		snprintf(want, sizeof(want), "written at boot %d\n", k);
		CHECK("rw: an earlier boot's file is there",
		      slurp(path, got, sizeof(got)) > 0 && !strcmp(got, want));
	}
	snprintf(path, sizeof(path), "/rootdisk-%d", boot);
	snprintf(want, sizeof(want), "written at boot %d\n", boot);
	fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
	CHECK("rw: this boot's file is new", fd >= 0);
	if (fd < 0)
		return;
	CHECK_EQ("rw: write it", write(fd, want, strlen(want)),
		 (ssize_t)strlen(want));
	CHECK_OK("rw: fsync it", fsync(fd));
	close(fd);
	CHECK("rw: it reads back", slurp(path, got, sizeof(got)) > 0 &&
	      !strcmp(got, want));
}

int main(void)
{
	const char *mode = env("ROOT_MODE", "ro");
	unsigned maj = 0, min = 0;

	TEST_BEGIN("root_disk");
	sscanf(env("ROOT_DEVNO", "0:0"), "%u:%u", &maj, &min);
	check_root(mode, env("ROOT_SOURCE", "/dev/root"), maj, min);
	if (!strcmp(mode, "ro"))
		check_ro();
	else
		check_rw(atoi(env("ROOT_BOOT", "1")));
	check_emit("DONE %s", check_prog);
	umount("/proc");
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
