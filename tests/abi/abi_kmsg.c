/* abi_kmsg.c - /dev/kmsg and syslog(2) over the kernel log's records: the "prio,seq,ts_usec,flag;text" format, sequence numbers, user records' levels and facilities, escapes, limits, EINVAL for short buffers, lseek's positions, poll, blocking reads and signals, EPIPE after the ring overflows, kernel.printk_devkmsg (on, off, the rate limit), kernel.dmesg_restrict, and syslog's "<prio>[time] text" lines, READ_ALL, READ_CLEAR, READ and SIZE_UNREAD. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>

#define T "abi_kmsg"
#define KMSG "/dev/kmsg"
#define DEVKMSG "/proc/sys/kernel/printk_devkmsg"
#define RESTRICT "/proc/sys/kernel/dmesg_restrict"

#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

#define CAP_SYS_ADMIN	21
#define CAP_SYSLOG	34

/* One record as /dev/kmsg gives it. */
struct rec {
	unsigned prio;
	unsigned long long seq, ts;
	char flag;
	char text[8192];	/* the escaped text, without the newline */
};

static char big[1 << 18];

static long klog(int type, char *buf, int len)
{
	return syscall(SYS_syslog, type, buf, len);
}

/*
 * Parse a read's @n bytes: 1 if they are one well-formed record, its
 * header "prio,seq,ts,flag[,more];", the text and a newline, then any
 * dictionary lines (" KEY=value\n", which Linux's device messages have).
 */
static int parse(const char *buf, ssize_t n, struct rec *r)
{
	const char *end = memchr(buf, '\n', (size_t)n), *semi, *p;
	int used = 0;

	if (n < 2 || buf[n - 1] != '\n' || !end)
		return 0;
	semi = memchr(buf, ';', (size_t)(end - buf));
	if (!semi || sscanf(buf, "%u,%llu,%llu,%c%n", &r->prio, &r->seq,
			    &r->ts, &r->flag, &used) != 4 ||
	    (buf[used] != ';' && buf[used] != ','))
		return 0;
	for (p = end + 1; p < buf + n; p = (char *)memchr(p, '\n', (size_t)(buf + n - p)) + 1)
		if (*p != ' ')
			return 0;
	memcpy(r->text, semi + 1, (size_t)(end - semi - 1));
	r->text[end - semi - 1] = '\0';
	return 1;
}

/* Read one record: the read's result (-1 and errno on failure). */
static ssize_t read_rec(int fd, struct rec *r)
{
	char buf[8192];
	ssize_t n = read(fd, buf, sizeof buf);

	if (n > 0 && !parse(buf, n, r)) {
		errno = EPROTO;
		return -1;
	}
	return n;
}

/* Read records until one whose text starts with @tag: 1, or 0 if none. */
static int find(int fd, const char *tag, struct rec *r)
{
	while (read_rec(fd, r) > 0)
		if (!strncmp(r->text, tag, strlen(tag)))
			return 1;
	return 0;
}

/* The next record not of the kernel's (facility 0), or 0 if none. */
static int next_user(int fd, struct rec *r)
{
	while (read_rec(fd, r) > 0)
		if (r->prio >> 3)
			return 1;
	return 0;
}

static int open_reader(void)
{
	int fd = open(KMSG, O_RDONLY | O_NONBLOCK);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

static ssize_t put(int fd, const char *s)
{
	return write(fd, s, strlen(s));
}

/* Write @s to a sysctl file: 0, or -1 and errno. */
static int sysctl_set(const char *path, const char *s, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

/* printk_devkmsg must read @want. */
static void check_devkmsg(const char *what, const char *want)
{
	char v[32];

	slurp(DEVKMSG, v, sizeof v);
	CHECK_STR(what, v, want);
}

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

/* Take capability @cap out of the effective set. */
static int drop_cap(int cap)
{
	struct cap_hdr h = { 0x20080522, 0 };
	struct cap_data d[2];

	if (syscall(SYS_capget, &h, d))
		return -1;
	d[cap / 32].eff &= ~(1u << (cap % 32));
	return (int)syscall(SYS_capset, &h, d);
}

static void test_node(void)
{
	struct stat st;

	CHECK_OK("stat /dev/kmsg", stat(KMSG, &st));
	CHECK("/dev/kmsg is char 1:11", S_ISCHR(st.st_mode) &&
	      major(st.st_rdev) == 1 && minor(st.st_rdev) == 11);
	CHECK_EQ("/dev/kmsg mode 0644", st.st_mode & 07777, 0644);
}

static void test_sysctls(void)
{
	check_devkmsg("printk_devkmsg is ratelimit", "ratelimit\n");
	CHECK_ERR("printk_devkmsg: no newline is EINVAL",
		  sysctl_set(DEVKMSG, "on", 2), EINVAL);
	CHECK_ERR("printk_devkmsg: unknown word is EINVAL",
		  sysctl_set(DEVKMSG, "bogus\n", 6), EINVAL);
	CHECK_ERR("printk_devkmsg: trailing text is EINVAL",
		  sysctl_set(DEVKMSG, "on x\n", 5), EINVAL);
	check_devkmsg("printk_devkmsg unchanged by bad writes", "ratelimit\n");
	CHECK_OK("printk_devkmsg: 'onx' is a prefix and its byte",
		 sysctl_set(DEVKMSG, "onx", 3));
	check_devkmsg("printk_devkmsg keeps the text written", "onx\n");
	CHECK_OK("printk_devkmsg = on", sysctl_set(DEVKMSG, "on\n", 3));
	check_devkmsg("printk_devkmsg reads on", "on\n");
	CHECK_ERR("dmesg_restrict = 2 is EINVAL",
		  sysctl_set(RESTRICT, "2\n", 2), EINVAL);
	CHECK_ERR("dmesg_restrict = -1 is EINVAL",
		  sysctl_set(RESTRICT, "-1\n", 3), EINVAL);
}

static void test_format(void)
{
	int fd = open(KMSG, O_RDONLY | O_NONBLOCK), ok = 1, count = 0;
	char cmdline[1024], want[1100];
	struct rec r, first;
	unsigned long long seq;

	CHECK_OK("open /dev/kmsg O_RDONLY", fd);
	CHECK_OK("read the first record", read_rec(fd, &first));
	CHECK_EQ("the first record is the kernel's (facility 0)",
		 first.prio >> 3, 0);
	CHECK("the first record's flag is '-'", first.flag == '-');
	seq = first.seq;
	while (count < 100000 && read_rec(fd, &r) > 0) {
		if (r.seq <= seq || (r.flag != '-' && r.flag != 'c'))
			ok = 0;
		seq = r.seq;
		count++;
	}
	CHECK_ERR("to the last record, then EAGAIN", read_rec(fd, &r), EAGAIN);
	CHECK("every record parses, seq rising", ok && count >= 3);
	slurp("/proc/cmdline", cmdline, sizeof cmdline);
	cmdline[strcspn(cmdline, "\n")] = '\0';
	snprintf(want, sizeof want, "Command line: %s", cmdline);
	lseek(fd, 0, SEEK_SET);
	CHECK("a kernel record holds the whole command line",
	      find(fd, want, &r) && r.prio >> 3 == 0 && !strcmp(r.text, want));
	CHECK_EQ("lseek SEEK_SET returns 0", lseek(fd, 0, SEEK_SET), 0);
	CHECK("SEEK_SET: the first record again",
	      read_rec(fd, &r) > 0 && r.seq == first.seq &&
	      !strcmp(r.text, first.text));
	close(fd);
}

static const struct {
	const char *in;
	unsigned prio;
	const char *text;
} writes[] = {
	{ "<5>abi_kmsg hello\n", 13, "abi_kmsg hello" },
	{ "<7>abi_kmsg kern facility\n", 15, "abi_kmsg kern facility" },
	{ "<30>abi_kmsg daemon\n", 30, "abi_kmsg daemon" },
	{ "abi_kmsg plain\n", 12, "abi_kmsg plain" },
	{ "<15>abi_kmsg user debug\n", 15, "abi_kmsg user debug" },
	{ "<1023>abi_kmsg facility 127\n", 1023, "abi_kmsg facility 127" },
	{ "<2055>abi_kmsg facility 256\n", 15, "abi_kmsg facility 256" },
	{ "<4294967303>abi_kmsg 32 bits\n", 15, "abi_kmsg 32 bits" },
	{ "<abc>abi_kmsg no prefix\n", 12, "<abc>abi_kmsg no prefix" },
	{ "<7 >abi_kmsg no prefix\n", 12, "<7 >abi_kmsg no prefix" },
	{ "<7>abi_kmsg two\n\n", 15, "abi_kmsg two\\x0a" },
	{ "<7>abi_kmsg esc\x01\\\x7f\xc3\xa9 end\n", 15,
	  "abi_kmsg esc\\x01\\x5c\\x7f\\xc3\\xa9 end" },
	{ "<7>abi_kmsg two\nlines\n", 15, "abi_kmsg two\\x0alines" },
};

static void test_write(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader();
	char what[160], line[1000];
	struct iovec iov[2] = { { "<7>abi_kmsg ", 12 }, { "vec\n", 4 } };
	struct rec rec;
	size_t i;

	CHECK_OK("open /dev/kmsg O_WRONLY", w);
	for (i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		const char *in = writes[i].in;
		int found;

		snprintf(what, sizeof what, "write %zu returns its length", i);
		CHECK_EQ(what, put(w, in), strlen(in));
		found = next_user(r, &rec);
		snprintf(what, sizeof what, "write %zu: prio %u", i,
			 writes[i].prio);
		CHECK_EQ(what, found ? rec.prio : 9999, writes[i].prio);
		snprintf(what, sizeof what, "write %zu: text", i);
		CHECK_STR(what, found ? rec.text : "(none)", writes[i].text);
	}
	CHECK_EQ("a write with a NUL returns its length",
		 write(w, "<7>abi_kmsg nul\n\0tail", 21), 21);
	CHECK_STR("the record ends at the NUL",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg nul");
	CHECK_EQ("writev", writev(w, iov, 2), 16);
	CHECK_STR("writev is one record",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg vec");

	memset(line, 'x', sizeof line);
	memcpy(line, "abi_kmsg long ", 14);
	line[990] = '\n';
	CHECK_ERR("a write of 993 bytes is EINVAL", write(w, line, 993), EINVAL);
	CHECK_EQ("a write of 992 bytes", write(w, line, 992), 992);
	CHECK_EQ("cut to 991 bytes, then its newline dropped",
		 next_user(r, &rec) ? (long)strlen(rec.text) : -1, 990);
	close(w);
	close(r);
}

/* A text without its newline stays open, unseen, until the next record. */
static void test_open_record(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader(), r2;
	struct rec rec;
	char buf[64];

	CHECK_EQ("a write without a newline", put(w, "<7>abi_kmsg open"), 16);
	CHECK_ERR("its record is not for readers yet", read(r, buf, sizeof buf), EAGAIN);
	r2 = open_reader();
	CHECK_EQ("SEEK_END stops before it", lseek(r2, 0, SEEK_END), 0);
	put(w, "<7>abi_kmsg closer\n");
	CHECK_STR("the next record makes it final",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg open");
	CHECK_STR("and follows it",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg closer");
	CHECK_STR("the reader that sought the end gets it too",
		  next_user(r2, &rec) ? rec.text : "(none)", "abi_kmsg open");
	close(w);
	close(r);
	close(r2);
}

static void test_short_buffer(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader(), r2 = open_reader();
	int r3, r4, r5;
	char buf[8192];
	struct rec rec;
	ssize_t n;

	put(w, "<7>abi_kmsg short a\n");
	put(w, "<7>abi_kmsg short b\n");
	CHECK_ERR("a 4-byte read is EINVAL", read(r, buf, 4), EINVAL);
	CHECK_STR("the record passed over: the next read gives the next",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg short b");
	CHECK_STR("another file reads from its own place",
		  next_user(r2, &rec) ? rec.text : "(none)", "abi_kmsg short a");
	r3 = open_reader();
	r4 = open_reader();
	r5 = open_reader();
	put(w, "<7>abi_kmsg short c\n");
	n = read(r3, buf, sizeof buf);
	CHECK("the line", n > 0 && parse(buf, n, &rec) &&
	      !strcmp(rec.text, "abi_kmsg short c"));
	CHECK_ERR("one byte short is EINVAL", read(r4, buf, (size_t)n - 1), EINVAL);
	CHECK_EQ("a buffer of exactly the line's length",
		 read(r5, buf, (size_t)n), n);
	lseek(r3, 0, SEEK_END);
	put(w, "<7>abi_kmsg short d\n");
	put(w, "<7>abi_kmsg short e\n");
	CHECK_ERR("a read to an unmapped buffer is EFAULT",
		  read(r3, BAD_LOW, sizeof buf), EFAULT);
	CHECK_STR("that record is passed over too",
		  next_user(r3, &rec) ? rec.text : "(none)", "abi_kmsg short e");
	close(w);
	close(r);
	close(r2);
	close(r3);
	close(r4);
	close(r5);
}

/* readv: one record a buffer, on while each fills its buffer exactly. */
static void test_readv(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader(), r2 = open_reader();
	char a[8192], b[8192], one[8192];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	struct rec rec;
	ssize_t n, len;

	put(w, "<7>abi_kmsg readv 1\n");
	put(w, "<7>abi_kmsg readv 2\n");
	len = read(r2, one, sizeof one);
	n = readv(r, iov, 2);
	CHECK("readv of two buffers: one record, in the first",
	      n == len && !memcmp(a, one, (size_t)len));
	CHECK_STR("the second record is still there",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg readv 2");
	iov[0].iov_len = 4;
	lseek(r, 0, SEEK_END);
	put(w, "<7>abi_kmsg readv 3\n");
	CHECK_ERR("readv with a short first buffer is EINVAL",
		  readv(r, iov, 2), EINVAL);
	lseek(r, 0, SEEK_END);
	lseek(r2, 0, SEEK_END);
	put(w, "<7>abi_kmsg readv 4\n");
	put(w, "<7>abi_kmsg readv 5\n");
	len = read(r2, one, sizeof one);
	iov[0].iov_len = (size_t)len;
	n = readv(r, iov, 2);
	CHECK("a record that fills the first buffer: the next goes in the second",
	      n > len && !memcmp(a, one, (size_t)len) && parse(b, n - len, &rec) &&
	      !strcmp(rec.text, "abi_kmsg readv 5"));
	close(w);
	close(r);
	close(r2);
}


static void test_seek_poll(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader();
	struct pollfd p = { .fd = r, .events = POLLIN | POLLRDNORM | POLLPRI };
	struct rec rec;
	char buf[64];

	CHECK_EQ("lseek SEEK_END returns 0", lseek(r, 0, SEEK_END), 0);
	CHECK_ERR("after SEEK_END: EAGAIN", read(r, buf, sizeof buf), EAGAIN);
	CHECK_EQ("after SEEK_END: poll finds nothing", poll(&p, 1, 0), 0);
	put(w, "<7>abi_kmsg polled\n");
	CHECK_EQ("a new record: poll", poll(&p, 1, 2000), 1);
	CHECK_EQ("a new record: POLLIN | POLLRDNORM", p.revents,
		 POLLIN | POLLRDNORM);
	CHECK_STR("and the read gives it",
		  next_user(r, &rec) ? rec.text : "(none)", "abi_kmsg polled");
	CHECK_ERR("SEEK_CUR is EINVAL", lseek(r, 0, SEEK_CUR), EINVAL);
	CHECK_ERR("SEEK_HOLE is EINVAL", lseek(r, 0, SEEK_HOLE), EINVAL);
	CHECK_ERR("whence 42 is EINVAL", lseek(r, 0, 42), EINVAL);
	CHECK_ERR("offset 1 is ESPIPE", lseek(r, 1, SEEK_SET), ESPIPE);
	CHECK_ERR("offset -1 SEEK_END is ESPIPE", lseek(r, -1, SEEK_END), ESPIPE);
	CHECK_ERR("offset 5 SEEK_DATA is ESPIPE", lseek(r, 5, SEEK_DATA), ESPIPE);
	CHECK_ERR("a bad whence before the offset: EINVAL", lseek(r, 5, 42), EINVAL);
	close(w);
	close(r);
}

/* The last line of @n bytes at @buf and its length (0 if none). */
static size_t last_line(const char *buf, size_t n, const char **line)
{
	size_t i = n ? n - 1 : 0;

	while (i > 0 && buf[i - 1] != '\n')
		i--;
	*line = buf + i;
	return n - i;
}

static void test_syslog(void)
{
	int w = open(KMSG, O_WRONLY), r = open_reader();
	char want[128], *ln;
	const char *line;
	struct rec d1, d2;
	long n, len;

	CHECK_OK("SYSLOG_ACTION_CLEAR", klog(SYSLOG_ACTION_CLEAR, NULL, 0));
	put(w, "<7>abi_kmsg d1\n");
	put(w, "<7>abi_kmsg d2\nabi_kmsg d2 second line\n");
	next_user(r, &d1);
	next_user(r, &d2);
	CHECK_EQ("SEEK_DATA returns 0", lseek(r, 0, SEEK_DATA), 0);
	CHECK("SEEK_DATA: the first record after the clear",
	      next_user(r, &d1) && !strcmp(d1.text, "abi_kmsg d1"));

	n = klog(SYSLOG_ACTION_READ_ALL, big, sizeof big);
	CHECK("READ_ALL gives what came after the clear",
	      n > 0 && !memmem(big, (size_t)n, "abi_kmsg hello", 14) &&
	      memmem(big, (size_t)n, "abi_kmsg d1", 11));
	snprintf(want, sizeof want, "<15>[%5llu.%06llu] abi_kmsg d1\n",
		 d1.ts / 1000000, d1.ts % 1000000);
	ln = n > 0 ? memmem(big, (size_t)n, want, strlen(want)) : NULL;
	CHECK("READ_ALL: <prio>[time] text, the time /dev/kmsg's",
	      ln && (ln == big || ln[-1] == '\n'));
	snprintf(want, sizeof want,
		 "<15>[%5llu.%06llu] abi_kmsg d2\n<15>[%5llu.%06llu] abi_kmsg d2 second line\n",
		 d2.ts / 1000000, d2.ts % 1000000, d2.ts / 1000000,
		 d2.ts % 1000000);
	CHECK("READ_ALL: each line of a record has the prefix",
	      n >= (long)strlen(want) &&
	      !memcmp(big + n - strlen(want), want, strlen(want)));
	len = (long)strlen(want);
	n = klog(SYSLOG_ACTION_READ_ALL, big, (int)len);
	CHECK("READ_ALL of the last record's size: just it",
	      n == len && !memcmp(big, want, (size_t)len));
	CHECK_EQ("READ_ALL one byte short of the last record: nothing",
		 klog(SYSLOG_ACTION_READ_ALL, big, (int)len - 1), 0);
	n = klog(SYSLOG_ACTION_READ_ALL, big, sizeof big);
	CHECK("READ_ALL: whole records only",
	      n > 0 && last_line(big, (size_t)n, &line) &&
	      line[0] == '<' && big[0] == '<' && big[n - 1] == '\n');
	CHECK_EQ("READ_ALL with length 0", klog(SYSLOG_ACTION_READ_ALL, big, 0), 0);
	CHECK_ERR("READ_ALL with a NULL buffer", klog(SYSLOG_ACTION_READ_ALL, NULL, 10), EINVAL);
	CHECK_ERR("READ_ALL with a negative length", klog(SYSLOG_ACTION_READ_ALL, big, -1), EINVAL);
	CHECK_ERR("READ_ALL to an unmapped address", klog(SYSLOG_ACTION_READ_ALL, BAD_LOW, 100), EFAULT);
	CHECK("READ_CLEAR reads", klog(SYSLOG_ACTION_READ_CLEAR, big, sizeof big) > 0);
	CHECK_EQ("after READ_CLEAR, READ_ALL is empty",
		 klog(SYSLOG_ACTION_READ_ALL, big, sizeof big), 0);
	CHECK("SIZE_BUFFER", klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) >= 65536);
	CHECK_ERR("CONSOLE_LEVEL 0 is EINVAL", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 0), EINVAL);
	CHECK_ERR("CONSOLE_LEVEL 9 is EINVAL", klog(SYSLOG_ACTION_CONSOLE_LEVEL, NULL, 9), EINVAL);
	CHECK_ERR("action 11 is EINVAL", klog(11, NULL, 0), EINVAL);
	close(w);
	close(r);
}

/* SYSLOG_ACTION_READ: each byte once, a record in parts if need be. */
static void test_syslog_read(void)
{
	int w = open(KMSG, O_WRONLY), rounds = 0;
	char buf[64];
	long n;

	CHECK_ERR("READ with a NULL buffer", klog(SYSLOG_ACTION_READ, NULL, 10), EINVAL);
	CHECK_ERR("READ with a negative length", klog(SYSLOG_ACTION_READ, buf, -1), EINVAL);
	CHECK_EQ("READ with length 0", klog(SYSLOG_ACTION_READ, buf, 0), 0);
	while (klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) > 0 && rounds++ < 100000)
		klog(SYSLOG_ACTION_READ, big, sizeof big);
	CHECK_EQ("READ until nothing is unread", klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 0);
	put(w, "<7>abi_kmsg e\n");
	/* "<15>[    T.TTTTTT] abi_kmsg e\n" */
	CHECK_EQ("SIZE_UNREAD: the new record's line", klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 30);
	n = klog(SYSLOG_ACTION_READ, buf, 5);
	CHECK("READ of 5 bytes: the line's start", n == 5 && !memcmp(buf, "<15>[", 5));
	CHECK_EQ("SIZE_UNREAD: the rest", klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 25);
	n = klog(SYSLOG_ACTION_READ, buf, sizeof buf);
	CHECK("READ: the rest of the line",
	      n == 25 && !memcmp(buf + 13, " abi_kmsg e\n", 12) && buf[5] == '.' &&
	      buf[12] == ']');
	CHECK_EQ("SIZE_UNREAD: nothing", klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0), 0);
	close(w);
}

/* An unprivileged reader, or root without @cap: what it may do. */
static int child_restricted(void *arg)
{
	int mode = *(int *)arg, fd, bad = 0;
	char buf[8192];

	if (mode == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return 100;
		fd = open(KMSG, O_RDONLY | O_NONBLOCK);
		if (fd >= 0 || errno != EPERM)
			bad |= 1;
		if (klog(SYSLOG_ACTION_READ_ALL, buf, sizeof buf) != -1 || errno != EPERM)
			bad |= 2;
		if (klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) != -1 || errno != EPERM)
			bad |= 4;
		return bad;
	}
	if (mode == 1) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			return 100;
		fd = open(KMSG, O_RDONLY | O_NONBLOCK);
		if (fd < 0 || read(fd, buf, sizeof buf) <= 0)
			bad |= 1;
		if (klog(SYSLOG_ACTION_READ_ALL, buf, sizeof buf) < 0)
			bad |= 2;
		if (klog(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0) <= 0)
			bad |= 4;
		if (klog(SYSLOG_ACTION_CLEAR, NULL, 0) != -1 || errno != EPERM)
			bad |= 8;
		if (klog(SYSLOG_ACTION_READ, buf, sizeof buf) != -1 || errno != EPERM)
			bad |= 16;
		if (klog(SYSLOG_ACTION_SIZE_UNREAD, NULL, 0) != -1 || errno != EPERM)
			bad |= 32;
		if (open(KMSG, O_WRONLY) != -1 || errno != EACCES)
			bad |= 64;
		return bad;
	}
	/* Root without CAP_SYSLOG and CAP_SYS_ADMIN, dmesg_restrict set. */
	if (drop_cap(CAP_SYSLOG) || drop_cap(CAP_SYS_ADMIN))
		return 100;
	fd = open(KMSG, O_RDONLY | O_NONBLOCK);
	if (fd >= 0 || errno != EPERM)
		bad |= 1;
	fd = open(KMSG, O_WRONLY);
	if (fd < 0 || put(fd, "<7>abi_kmsg capless writer\n") <= 0)
		bad |= 2;
	if (sysctl_set(RESTRICT, "0\n", 2) != -1 || errno != EPERM)
		bad |= 4;
	return bad;
}

/* Root with CAP_SYS_ADMIN but not CAP_SYSLOG, dmesg_restrict set. */
static int child_sys_admin(void *arg)
{
	int fd;

	(void)arg;

	if (drop_cap(CAP_SYSLOG))
		return 100;
	fd = open(KMSG, O_RDONLY | O_NONBLOCK);
	return fd >= 0 ? 0 : 1;
}

static void test_restrict(void)
{
	char saved[16];
	int mode;

	slurp(RESTRICT, saved, sizeof saved);
	CHECK_OK("dmesg_restrict = 1", sysctl_set(RESTRICT, "1\n", 2));
	mode = 0;
	CHECK_EQ("restricted: an unprivileged reader gets EPERM",
		 run_child(child_restricted, &mode), 0);
	mode = 2;
	CHECK_EQ("restricted: root without CAP_SYSLOG cannot read, may write",
		 run_child(child_restricted, &mode), 0);
	CHECK_EQ("restricted: CAP_SYS_ADMIN still reads",
		 run_child(child_sys_admin, NULL), 0);
	CHECK_OK("dmesg_restrict = 0", sysctl_set(RESTRICT, "0\n", 2));
	mode = 1;
	CHECK_EQ("unrestricted: an unprivileged reader reads, nothing more",
		 run_child(child_restricted, &mode), 0);
	sysctl_set(RESTRICT, saved, strlen(saved));
}

static void test_devkmsg_modes(void)
{
	int w, r = open_reader(), before, i, kept = 0, ok = 1;
	char msg[64];
	struct rec rec;

	before = open(KMSG, O_WRONLY);
	CHECK_OK("printk_devkmsg = off", sysctl_set(DEVKMSG, "off\n", 4));
	CHECK_ERR("off: open for reading is EPERM", open(KMSG, O_RDONLY), EPERM);
	CHECK_ERR("off: open for writing is EPERM", open(KMSG, O_WRONLY), EPERM);
	CHECK_EQ("off: a write to an open file returns its length",
		 put(before, "<7>abi_kmsg while off\n"), 22);
	CHECK("off: but makes no record", !find(r, "abi_kmsg while off", &rec));
	CHECK_OK("printk_devkmsg = ratelimit", sysctl_set(DEVKMSG, "ratelimit\n", 10));
	close(before);

	w = open(KMSG, O_WRONLY);
	for (i = 0; i < 12; i++) {
		snprintf(msg, sizeof msg, "<7>abi_kmsg limited %d\n", i);
		if (put(w, msg) != (ssize_t)strlen(msg))
			ok = 0;
	}
	CHECK("ratelimit: every write returns its length", ok);
	while (find(r, "abi_kmsg limited ", &rec))
		kept++;
	CHECK_EQ("ratelimit: 10 records of 12 kept", kept, 10);
	before = open(KMSG, O_WRONLY);
	put(before, "<7>abi_kmsg other file\n");
	CHECK("ratelimit: another open file has its own limit",
	      find(r, "abi_kmsg other file", &rec));
	close(before);
	close(w);
	CHECK("the close logs what the limit dropped",
	      find(r, "printk: abi_kmsg: 2 output lines suppressed due to ratelimiting", &rec) &&
	      rec.prio == 4);
	CHECK_OK("printk_devkmsg = on", sysctl_set(DEVKMSG, "on\n", 3));
	close(r);
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* A child that writes @arg's text after 300 ms. */
static void write_later(const char *msg)
{
	pid_t p = fork();

	if (p == 0) {
		int w;

		usleep(300000);
		w = open(KMSG, O_WRONLY);
		put(w, msg);
		_exit(0);
	}
}

static void alarm_in(long ms, int restart)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { ms / 1000, ms % 1000 * 1000 } };

	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void test_blocking(void)
{
	int r = open(KMSG, O_RDONLY);
	struct pollfd p = { .fd = r, .events = POLLIN };
	struct rec rec;
	char buf[64];
	int found = 0;

	lseek(r, 0, SEEK_END);
	write_later("<7>abi_kmsg woke\n");
	while (!found && read_rec(r, &rec) > 0)
		found = !strcmp(rec.text, "abi_kmsg woke");
	CHECK("a blocking read waits for the next record", found);
	wait(NULL);

	alarms = 0;
	alarm_in(100, 0);
	CHECK_ERR("a signal ends a blocking read: EINTR", read(r, buf, sizeof buf), EINTR);
	CHECK_EQ("the handler ran", alarms, 1);

	alarms = 0;
	alarm_in(100, 1);
	write_later("<7>abi_kmsg restarted\n");
	found = 0;
	while (!found && read_rec(r, &rec) > 0)
		found = !strcmp(rec.text, "abi_kmsg restarted");
	CHECK("SA_RESTART: the read goes on to the record", found && alarms == 1);
	wait(NULL);

	write_later("<7>abi_kmsg poll woke\n");
	CHECK("poll waits for a record",
	      poll(&p, 1, 5000) == 1 && (p.revents & POLLIN));
	wait(NULL);
	close(r);
}

/* Fill the ring past an old reader's place: EPIPE once, then records. */
static void test_overflow(void)
{
	int w = open(KMSG, O_WRONLY), r = open(KMSG, O_RDONLY | O_NONBLOCK);
	int fresh = open(KMSG, O_RDONLY | O_NONBLOCK), i, ok = 1;
	struct pollfd p = { .fd = r, .events = POLLIN | POLLRDNORM | POLLPRI };
	char line[990];
	struct rec rec, oldest;

	lseek(r, 0, SEEK_SET);
	memset(line, 'f', sizeof line);
	memcpy(line, "<7>abi_kmsg fill ", 17);
	line[sizeof line - 1] = '\n';
	for (i = 0; i < 400; i++)
		if (write(w, line, sizeof line) != (ssize_t)sizeof line)
			ok = 0;
	CHECK("400 records of 990 bytes written", ok);
	CHECK_EQ("poll after the overflow", poll(&p, 1, 0), 1);
	CHECK_EQ("poll: POLLIN | POLLRDNORM | POLLERR | POLLPRI", p.revents,
		 POLLIN | POLLRDNORM | POLLERR | POLLPRI);
	CHECK_ERR("the reader's record is gone: EPIPE", read_rec(r, &rec), EPIPE);
	lseek(fresh, 0, SEEK_SET);
	read_rec(fresh, &oldest);
	CHECK("then the oldest record there is",
	      read_rec(r, &rec) > 0 && rec.seq == oldest.seq);
	CHECK("EPIPE once: the next read succeeds", read_rec(r, &rec) > 0);
	p.revents = 0;
	CHECK("poll: readable, no error",
	      poll(&p, 1, 0) == 1 && p.revents == (POLLIN | POLLRDNORM));
	CHECK_EQ("SEEK_DATA to a dropped clear point", lseek(r, 0, SEEK_DATA), 0);
	CHECK_ERR("the read is EPIPE", read_rec(r, &rec), EPIPE);
	close(w);
	close(r);
	close(fresh);
}

int main(void)
{
	char saved[32];

	TEST_BEGIN(T);
	slurp(DEVKMSG, saved, sizeof saved);
	test_node();
	test_sysctls();
	test_format();
	test_write();
	test_open_record();
	test_short_buffer();
	test_readv();
	test_seek_poll();
	test_syslog();
	test_syslog_read();
	test_restrict();
	test_devkmsg_modes();
	test_blocking();
	test_overflow();
	sysctl_set(DEVKMSG, saved, strlen(saved));
	return TEST_END();
}
