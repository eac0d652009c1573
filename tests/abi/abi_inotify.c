/* abi_inotify.c - inotify as Linux 6.1: init flags, add/rm_watch rules and errors, wd numbering, the events of open/read/write/close/create/delete/rename/attribute changes on directory and file watches, record layout and padding, coalescing, IN_ONESHOT, IN_MASK_ADD, IN_EXCL_UNLINK, FIONREAD, poll, blocking reads, queue overflow. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>

#define DIR_ "/inotify_test"

static const char *const names[] = {
	"ACCESS", "MODIFY", "ATTRIB", "CLOSE_WRITE", "CLOSE_NOWRITE", "OPEN",
	"MOVED_FROM", "MOVED_TO", "CREATE", "DELETE", "DELETE_SELF",
	"MOVE_SELF", "?", "UNMOUNT", "Q_OVERFLOW", "IGNORED",
};

/* Every queued record as "wd:MASK[|ISDIR][:name]" joined by spaces. */
static const char *events(int fd, char *out, size_t size)
{
	char buf[8192] __attribute__((aligned(8)));
	int avail = 0;
	size_t o = 0;

	out[0] = 0;
	ioctl(fd, FIONREAD, &avail);
	if (avail <= 0)
		return out;
	ssize_t n = read(fd, buf, sizeof buf);
	for (ssize_t i = 0; i < n;) {
		struct inotify_event *e = (struct inotify_event *)(buf + i);
		int bit = __builtin_ctz(e->mask & 0xffff);
		o += snprintf(out + o, size - o, "%s%d:%s%s%s%s", o ? " " : "",
			      e->wd, names[bit], e->mask & IN_ISDIR ? "|ISDIR" : "",
			      e->len ? ":" : "", e->len ? e->name : "");
		i += sizeof *e + e->len;
	}
	return out;
}

static char evbuf[4096];
#define EVENTS(fd) events(fd, evbuf, sizeof evbuf)

static void test_init(void)
{
	char link[64], buf[64];
	int fd;

	CHECK_ERR("inotify_init1 bad flag", inotify_init1(1), EINVAL);
	CHECK_ERR("inotify_init1 O_RDWR", inotify_init1(O_RDWR), EINVAL);
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	CHECK_OK("inotify_init1", fd);
	CHECK_EQ("IN_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("IN_NONBLOCK, read-only", fcntl(fd, F_GETFL) &
		 (O_ACCMODE | O_NONBLOCK), O_RDONLY | O_NONBLOCK);
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, buf, sizeof buf - 1);
	buf[n > 0 ? n : 0] = 0;
	CHECK_STR("readlink of an inotify fd", buf, "anon_inode:inotify");
	CHECK_ERR("empty nonblocking read", read(fd, buf, sizeof buf), EAGAIN);
	CHECK_ERR("write to inotify (read-only)", write(fd, "x", 1), EBADF);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	CHECK_EQ("empty: not readable", poll(&p, 1, 0), 0);
	close(fd);
	fd = inotify_init();
	CHECK_OK("inotify_init", fd);
	CHECK_EQ("inotify_init: no cloexec", fcntl(fd, F_GETFD), 0);
	close(fd);
}

static void test_watch_rules(void)
{
	int fd = inotify_init1(IN_NONBLOCK), p[2];

	pipe(p);
	close(open(DIR_ "/file", O_CREAT | O_WRONLY, 0644));
	symlink("file", DIR_ "/link");
	CHECK_ERR("mask 0", inotify_add_watch(fd, DIR_, 0), EINVAL);
	CHECK_ERR("no known bit", inotify_add_watch(fd, DIR_, 0x1000), EINVAL);
	CHECK_ERR("bad fd before MASK_ADD|MASK_CREATE", inotify_add_watch(-1, DIR_,
		  IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE), EBADF);
	CHECK_ERR("MASK_ADD|MASK_CREATE", inotify_add_watch(fd, DIR_,
		  IN_MODIFY | IN_MASK_ADD | IN_MASK_CREATE), EINVAL);
	CHECK_ERR("bad fd before mask 0", inotify_add_watch(-1, DIR_, 0), EINVAL);
	CHECK_ERR("bad fd", inotify_add_watch(-1, DIR_, IN_MODIFY), EBADF);
	CHECK_ERR("not an inotify fd", inotify_add_watch(p[0], DIR_, IN_MODIFY),
		  EINVAL);
	CHECK_ERR("missing path", inotify_add_watch(fd, DIR_ "/nope", IN_MODIFY),
		  ENOENT);
	CHECK_ERR("bad path pointer", inotify_add_watch(fd, BAD_LOW, IN_MODIFY),
		  EFAULT);
	CHECK_ERR("IN_ONLYDIR on a file", inotify_add_watch(fd, DIR_ "/file",
		  IN_MODIFY | IN_ONLYDIR), ENOTDIR);
	CHECK_EQ("first wd is 1", inotify_add_watch(fd, DIR_, IN_MODIFY | IN_ONLYDIR),
		 1);
	CHECK_EQ("same inode, same wd", inotify_add_watch(fd, DIR_ "/", IN_CREATE),
		 1);
	CHECK_ERR("IN_MASK_CREATE on a watched inode", inotify_add_watch(fd, DIR_,
		  IN_CREATE | IN_MASK_CREATE), EEXIST);
	CHECK_EQ("file: wd 2", inotify_add_watch(fd, DIR_ "/file", IN_ATTRIB), 2);
	CHECK_EQ("link followed: the file's wd", inotify_add_watch(fd, DIR_ "/link",
		 IN_ATTRIB), 2);
	CHECK_EQ("IN_DONT_FOLLOW: the link itself", inotify_add_watch(fd,
		 DIR_ "/link", IN_ATTRIB | IN_DONT_FOLLOW), 3);
	CHECK_ERR("rm_watch bad fd", inotify_rm_watch(-1, 1), EBADF);
	CHECK_ERR("rm_watch not inotify", inotify_rm_watch(p[0], 1), EINVAL);
	CHECK_ERR("rm_watch unknown wd", inotify_rm_watch(fd, 99), EINVAL);
	CHECK_EQ("rm_watch", inotify_rm_watch(fd, 3), 0);
	CHECK_STR("rm_watch: IN_IGNORED", EVENTS(fd), "3:IGNORED");
	CHECK_ERR("rm_watch twice", inotify_rm_watch(fd, 3), EINVAL);
	CHECK_EQ("wds are not reused at once", inotify_add_watch(fd, DIR_ "/link",
		 IN_ATTRIB | IN_DONT_FOLLOW), 4);
	close(fd);
	close(p[0]);
	close(p[1]);
	unlink(DIR_ "/link");
	unlink(DIR_ "/file");
}

static void test_dir_events(void)
{
	int fd = inotify_init1(IN_NONBLOCK), f;
	char c;

	CHECK_EQ("watch the directory", inotify_add_watch(fd, DIR_, IN_ALL_EVENTS),
		 1);
	f = open(DIR_ "/a", O_CREAT | O_WRONLY, 0644);
	write(f, "xy", 2);
	write(f, "z", 1);
	close(f);
	CHECK_STR("create, write twice (merged), close",
		  EVENTS(fd), "1:CREATE:a 1:OPEN:a 1:MODIFY:a 1:CLOSE_WRITE:a");
	f = open(DIR_ "/a", O_RDONLY);
	read(f, &c, 1);
	read(f, &c, 0);
	close(f);
	CHECK_STR("open, read, close", EVENTS(fd),
		  "1:OPEN:a 1:ACCESS:a 1:CLOSE_NOWRITE:a");
	f = open(DIR_ "/a", O_WRONLY | O_TRUNC);
	ftruncate(f, 5);
	close(f);
	CHECK_STR("O_TRUNC: modify before open; ftruncate: modify", EVENTS(fd),
		  "1:MODIFY:a 1:OPEN:a 1:MODIFY:a 1:CLOSE_WRITE:a");
	mkdir(DIR_ "/d", 0755);
	rmdir(DIR_ "/d");
	CHECK_STR("mkdir, rmdir", EVENTS(fd), "1:CREATE|ISDIR:d 1:DELETE|ISDIR:d");
	f = open(DIR_, O_RDONLY | O_DIRECTORY);
	char dents[512];
	syscall(SYS_getdents64, f, dents, sizeof dents);
	close(f);
	CHECK_STR("the directory itself: open, getdents, close", EVENTS(fd),
		  "1:OPEN|ISDIR 1:ACCESS|ISDIR 1:CLOSE_NOWRITE|ISDIR");
	rename(DIR_ "/a", DIR_ "/b");
	char buf[256] __attribute__((aligned(8)));
	ssize_t n = read(fd, buf, sizeof buf);
	struct inotify_event *e1 = (void *)buf, *e2 = (void *)(buf + sizeof *e1 + e1->len);
	CHECK_EQ("rename: two records", n, 2 * (sizeof *e1 + 16));
	CHECK("rename: MOVED_FROM a then MOVED_TO b", e1->mask == IN_MOVED_FROM &&
	      !strcmp(e1->name, "a") && e2->mask == IN_MOVED_TO &&
	      !strcmp(e2->name, "b"));
	CHECK("rename: one nonzero cookie", e1->cookie && e1->cookie == e2->cookie);
	link(DIR_ "/b", DIR_ "/c");
	symlink("b", DIR_ "/s");
	mknod(DIR_ "/p", S_IFIFO | 0644, 0);
	unlink(DIR_ "/s");
	unlink(DIR_ "/p");
	unlink(DIR_ "/c");
	CHECK_STR("link, symlink, mknod, unlinks", EVENTS(fd),
		  "1:CREATE:c 1:CREATE:s 1:CREATE:p 1:DELETE:s 1:DELETE:p 1:DELETE:c");
	unlink(DIR_ "/b");
	CHECK_STR("unlink", EVENTS(fd), "1:DELETE:b");
	close(fd);
}

static void test_file_events(void)
{
	int fd = inotify_init1(IN_NONBLOCK), f;

	close(open(DIR_ "/f", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("watch a file", inotify_add_watch(fd, DIR_ "/f", IN_ALL_EVENTS), 1);
	f = open(DIR_ "/f", O_RDWR);
	write(f, "abc", 3);
	close(f);
	CHECK_STR("file: open, modify, close", EVENTS(fd),
		  "1:OPEN 1:MODIFY 1:CLOSE_WRITE");
	chmod(DIR_ "/f", 0600);
	CHECK_STR("chmod: attrib", EVENTS(fd), "1:ATTRIB");
	truncate(DIR_ "/f", 1);
	CHECK_STR("truncate: modify", EVENTS(fd), "1:MODIFY");
	struct timeval tv[2] = { { 1, 0 }, { 2, 0 } };
	utimes(DIR_ "/f", tv);
	CHECK_STR("utimes: attrib", EVENTS(fd), "1:ATTRIB");
	rename(DIR_ "/f", DIR_ "/g");
	CHECK_STR("rename: move_self", EVENTS(fd), "1:MOVE_SELF");
	link(DIR_ "/g", DIR_ "/h");
	unlink(DIR_ "/h");
	CHECK_STR("link and unlink of another name: attribs merged", EVENTS(fd),
		  "1:ATTRIB");
	unlink(DIR_ "/g");
	CHECK_STR("last unlink: attrib, delete_self, ignored", EVENTS(fd),
		  "1:ATTRIB 1:DELETE_SELF 1:IGNORED");
	CHECK_ERR("the watch is gone", inotify_rm_watch(fd, 1), EINVAL);

	/* Unlinked while open: gone at the last close. */
	close(open(DIR_ "/f", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("watch again: wd 2", inotify_add_watch(fd, DIR_ "/f",
		 IN_ALL_EVENTS), 2);
	f = open(DIR_ "/f", O_RDONLY);
	unlink(DIR_ "/f");
	CHECK_STR("unlinked while open: attrib only", EVENTS(fd), "2:OPEN 2:ATTRIB");
	close(f);
	CHECK_STR("last close: close, delete_self, ignored", EVENTS(fd),
		  "2:CLOSE_NOWRITE 2:DELETE_SELF 2:IGNORED");

	/* A directory and a file in it, both watched. */
	close(open(DIR_ "/f", O_CREAT | O_WRONLY, 0644));
	int wd_dir = inotify_add_watch(fd, DIR_, IN_MODIFY);
	int wd_f = inotify_add_watch(fd, DIR_ "/f", IN_MODIFY);
	f = open(DIR_ "/f", O_WRONLY);
	write(f, "x", 1);
	close(f);
	char want[64];
	snprintf(want, sizeof want, "%d:MODIFY:f %d:MODIFY", wd_dir, wd_f);
	CHECK_STR("both watched: the directory's record first", EVENTS(fd), want);
	unlink(DIR_ "/f");
	inotify_rm_watch(fd, wd_dir);
	EVENTS(fd);

	/* A directory's own end. */
	mkdir(DIR_ "/sub", 0755);
	int wd = inotify_add_watch(fd, DIR_ "/sub", IN_ALL_EVENTS);
	rmdir(DIR_ "/sub");
	snprintf(want, sizeof want, "%d:DELETE_SELF %d:IGNORED", wd, wd);
	CHECK_STR("rmdir: delete_self (no ISDIR), ignored", EVENTS(fd), want);
	close(fd);
}

static void test_flags(void)
{
	int fd = inotify_init1(IN_NONBLOCK), f;
	char want[64];

	close(open(DIR_ "/f", O_CREAT | O_WRONLY, 0644));
	int wd = inotify_add_watch(fd, DIR_ "/f", IN_OPEN | IN_ONESHOT);
	close(open(DIR_ "/f", O_RDONLY));
	close(open(DIR_ "/f", O_RDONLY));
	snprintf(want, sizeof want, "%d:OPEN %d:IGNORED", wd, wd);
	CHECK_STR("IN_ONESHOT: one event, then ignored", EVENTS(fd), want);

	wd = inotify_add_watch(fd, DIR_ "/f", IN_OPEN);
	CHECK_EQ("IN_MASK_ADD keeps the wd", inotify_add_watch(fd, DIR_ "/f",
		 IN_CLOSE_NOWRITE | IN_MASK_ADD), wd);
	close(open(DIR_ "/f", O_RDONLY));
	snprintf(want, sizeof want, "%d:OPEN %d:CLOSE_NOWRITE", wd, wd);
	CHECK_STR("IN_MASK_ADD: both", EVENTS(fd), want);
	inotify_add_watch(fd, DIR_ "/f", IN_CLOSE_NOWRITE);
	close(open(DIR_ "/f", O_RDONLY));
	snprintf(want, sizeof want, "%d:CLOSE_NOWRITE", wd);
	CHECK_STR("without IN_MASK_ADD: replaced", EVENTS(fd), want);
	inotify_rm_watch(fd, wd);
	EVENTS(fd);

	/* IN_EXCL_UNLINK: no events for a child once it is unlinked. */
	int wd_ex = inotify_add_watch(fd, DIR_, IN_MODIFY | IN_EXCL_UNLINK);
	f = open(DIR_ "/f", O_WRONLY);
	unlink(DIR_ "/f");
	write(f, "x", 1);
	close(f);
	CHECK_STR("IN_EXCL_UNLINK: nothing", EVENTS(fd), "");
	inotify_rm_watch(fd, wd_ex);
	EVENTS(fd);
	inotify_add_watch(fd, DIR_, IN_MODIFY);
	f = open(DIR_ "/f", O_CREAT | O_WRONLY, 0644);
	unlink(DIR_ "/f");
	write(f, "x", 1);
	close(f);
	snprintf(want, sizeof want, "%d:MODIFY:f", wd_ex + 1);
	CHECK_STR("without it: the unlinked child's modify", EVENTS(fd), want);
	close(fd);
}

static void test_records(void)
{
	int fd = inotify_init1(IN_NONBLOCK);
	char buf[256] __attribute__((aligned(8)));
	int n = -1;

	inotify_add_watch(fd, DIR_, IN_CREATE);
	close(open(DIR_ "/x", O_CREAT | O_WRONLY, 0644));
	close(open(DIR_ "/fifteen_chars__", O_CREAT | O_WRONLY, 0644));
	close(open(DIR_ "/sixteen_chars___", O_CREAT | O_WRONLY, 0644));
	CHECK_EQ("FIONREAD", ioctl(fd, FIONREAD, &n), 0);
	CHECK_EQ("FIONREAD: 16+16, 16+16, 16+32", n, 112);
	CHECK_ERR("read smaller than a record", read(fd, buf, 16 + 15), EINVAL);
	CHECK_EQ("read one record exactly", read(fd, buf, 40), 32);
	struct inotify_event *e = (void *)buf;
	CHECK("name 'x', len 16, NUL-padded", e->len == 16 && !strcmp(e->name, "x") &&
	      !memchr(e->name + 1, 'x', 15) && e->name[15] == 0);
	CHECK_EQ("read the rest", read(fd, buf, sizeof buf), 80);
	e = (void *)(buf + 32);
	CHECK_EQ("16-char name: len 32", e->len, 32);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	CHECK_EQ("drained: not readable", poll(&p, 1, 0), 0);
	CHECK_EQ("ioctl other", ioctl(fd, TIOCGWINSZ, buf) == -1 && errno == ENOTTY, 1);
	unlink(DIR_ "/x");
	unlink(DIR_ "/fifteen_chars__");
	unlink(DIR_ "/sixteen_chars___");
	close(fd);

	/* A blocking read and poll are woken by an event. */
	fd = inotify_init();
	inotify_add_watch(fd, DIR_, IN_CREATE);
	pid_t pid = fork();
	if (pid == 0) {
		usleep(100000);
		close(open(DIR_ "/late", O_CREAT | O_WRONLY, 0644));
		_exit(0);
	}
	p.fd = fd;
	CHECK_EQ("poll wakes for an event", poll(&p, 1, 5000) == 1 &&
		 (p.revents & POLLIN), 1);
	CHECK_EQ("blocking read", read(fd, buf, sizeof buf), 32);
	waitpid(pid, NULL, 0);
	pid = fork();
	if (pid == 0) {
		usleep(100000);
		unlink(DIR_ "/late");
		_exit(0);
	}
	inotify_add_watch(fd, DIR_, IN_DELETE);
	CHECK_EQ("blocking read waits", read(fd, buf, sizeof buf), 32);
	CHECK_STR("the late event", ((struct inotify_event *)buf)->name, "late");
	waitpid(pid, NULL, 0);
	close(fd);
}

static void test_overflow(void)
{
	int fd = inotify_init1(IN_NONBLOCK), n = 0;

	close(open(DIR_ "/o", O_CREAT | O_WRONLY, 0644));
	inotify_add_watch(fd, DIR_ "/o", IN_OPEN | IN_CLOSE_NOWRITE);
	for (int i = 0; i < 8200; i++)
		close(open(DIR_ "/o", O_RDONLY));
	ioctl(fd, FIONREAD, &n);
	CHECK_EQ("16384 records and one overflow", n, 16385 * 16);
	static char buf[16385 * 16] __attribute__((aligned(8)));
	CHECK_EQ("read them all", read(fd, buf, sizeof buf), 16385 * 16);
	struct inotify_event *last = (void *)(buf + 16384 * 16);
	CHECK("the last: IN_Q_OVERFLOW, wd -1", last->mask == IN_Q_OVERFLOW &&
	      last->wd == -1 && last->len == 0);
	close(open(DIR_ "/o", O_RDONLY));
	ioctl(fd, FIONREAD, &n);
	CHECK_EQ("queue again after reading", n, 32);
	close(fd);
	unlink(DIR_ "/o");
}

/* /proc/self/fdinfo: one "inotify wd:..." line per watch, as Linux's. */
static void test_fdinfo(void)
{
	unsigned wd, sdev, mask, ignored;
	unsigned long ino;
	char path[64], buf[1024], *line;
	struct stat st;
	int fd = inotify_init1(0), w;

	CHECK_OK("inotify_init1", fd);
	CHECK_OK("stat the directory", stat(DIR_, &st));
	w = inotify_add_watch(fd, DIR_, IN_MODIFY | IN_ONESHOT);
	CHECK_OK("watch", w);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	CHECK_OK("read fdinfo", slurp(path, buf, sizeof(buf)));
	line = strstr(buf, "inotify wd:");
	CHECK("an inotify line", line);
	if (!line)
		goto out;
	CHECK_EQ("its five fields", sscanf(line, "inotify wd:%x ino:%lx sdev:%x mask:%x ignored_mask:%x",
					   &wd, &ino, &sdev, &mask, &ignored), 5);
	CHECK_EQ("wd", wd, w);
	CHECK_EQ("ino", ino, st.st_ino);
	CHECK_EQ("sdev: the kernel's dev_t", sdev, (major(st.st_dev) << 20) | minor(st.st_dev));
	CHECK_EQ("mask with IN_ONESHOT", mask, IN_MODIFY | IN_ONESHOT);
	CHECK_EQ("ignored_mask 0", ignored, 0);
	CHECK("one line per watch", !strstr(line + 1, "inotify wd:"));
out:
	close(fd);
}

int main(void)
{
	TEST_BEGIN("abi_inotify");
	mkdir(DIR_, 0755);
	test_init();
	test_watch_rules();
	test_dir_events();
	test_file_events();
	test_flags();
	test_records();
	test_overflow();
	test_fdinfo();
	rmdir(DIR_);
	return TEST_END();
}
