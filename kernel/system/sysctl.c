/*
 * The kernel's tunables as /proc/sys shows them (procfs renders the tree
 * from this table through include/svc/introspect.h): each a path under
 * /proc/sys, a mode, and how its text is made and, if writable, taken.
 * Values and formats are Linux 6.1's; those with no mechanism behind them
 * here are Linux's defaults, read-only. Process context.
 */
#include <svc/introspect.h>
#include <svc/random.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "uts.h"
#include "sysctl.h"

struct sysctl {
	const char *path;
	mode_t mode;
	const char *fixed;			/* a constant value, or */
	int (*show)(char *buf, size_t size);	/* its length or -errno */
	int (*store)(const char *buf, size_t len);	/* 0 or -errno */
};

/* See sysctl.h. */
int show_text(char *buf, size_t size, const char *value)
{
	size_t n = strlen(value);

	if (n + 1 > size)
		return -EFBIG;
	memcpy(buf, value, n);
	buf[n] = '\n';
	return (int)n + 1;
}

/*
 * As Linux's proc_dostring: the first line of @len bytes, at most
 * UTS_LEN - 1 of it kept, into @dst (zero-filled).
 */
static int store_uts(char *dst, const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && n < UTS_LEN - 1 && buf[n] != '\n' && buf[n])
		n++;
	memset(dst, 0, UTS_LEN);
	memcpy(dst, buf, n);
	return 0;
}

static int hostname_show(char *buf, size_t size)
{
	return show_text(buf, size, system_uts.nodename);
}

static int hostname_store(const char *buf, size_t len)
{
	return store_uts(system_uts.nodename, buf, len);
}

static int domainname_show(char *buf, size_t size)
{
	return show_text(buf, size, system_uts.domainname);
}

static int domainname_store(const char *buf, size_t len)
{
	return store_uts(system_uts.domainname, buf, len);
}

static int osrelease_show(char *buf, size_t size)
{
	return show_text(buf, size, system_uts.release);
}

static int version_show(char *buf, size_t size)
{
	return show_text(buf, size, system_uts.version);
}

/* A random version-4 UUID in its 36-character text form. */
static void uuid_text(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t u[16];
	int k = 0;

	random_bytes(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40;	/* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[u[i] >> 4];
		out[k++] = hex[u[i] & 15];
	}
	out[k] = '\0';
}

/* A new UUID at every read, as Linux's random/uuid. */
static int uuid_show(char *buf, size_t size)
{
	char u[37];

	uuid_text(u);
	return show_text(buf, size, u);
}

/* One UUID for the life of the system, made at its first read. */
static int boot_id_show(char *buf, size_t size)
{
	static char id[37];

	if (!id[0])
		uuid_text(id);
	return show_text(buf, size, id);
}

static int randomize_show(char *buf, size_t size)
{
	char v[12];

	snprintf(v, sizeof(v), "%d", mm_randomize_level());
	return show_text(buf, size, v);
}

/* See sysctl.h. */
int parse_int(const char *buf, size_t len, int *out)
{
	size_t i = 0;
	bool neg = false, digits = false;
	long v = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i < len && (buf[i] == '-' || buf[i] == '+'))
		neg = buf[i++] == '-';
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		v = v * 10 + (buf[i] - '0');
		if (v > (long)INT32_MAX + neg)
			return -EINVAL;
		digits = true;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*out = (int)(neg ? -v : v);
	return 0;
}

#define MAX_THREADS	0x3fffffff	/* Linux's FUTEX_TID_MASK */

static int threads_max_show(char *buf, size_t size)
{
	char v[24];

	snprintf(v, sizeof(v), "%lu", task_max_threads());
	return show_text(buf, size, v);
}

/* As Linux's sysctl_max_threads: an int within 1..MAX_THREADS. */
static int threads_max_store(const char *buf, size_t len)
{
	int n, err = parse_int(buf, len, &n);

	if (err || n < 1 || n > MAX_THREADS)
		return -EINVAL;
	task_set_max_threads((unsigned long)n);
	return 0;
}

static int randomize_store(const char *buf, size_t len)
{
	int level, err = parse_int(buf, len, &level);

	if (!err)
		mm_set_randomize(level);
	return err;
}

#define FIXED(p, v)	{ .path = p, .mode = 0444, .fixed = v }
#define SHOWN(p, fn)	{ .path = p, .mode = 0444, .show = fn }
#define TUNED(p, name)	{ .path = p, .mode = 0644, .show = name##_show, \
			  .store = name##_store }

/* Sorted by path, so that a directory's entries are together. */
static const struct sysctl sysctls[] = {
	FIXED("fs/file-max", "9223372036854775807"),
	FIXED("fs/nr_open", "1048576"),
	FIXED("fs/pipe-max-size", "1048576"),
	FIXED("kernel/cap_last_cap", "40"),
	FIXED("kernel/core_pattern", "core"),
	FIXED("kernel/dmesg_restrict", "0"),
	TUNED("kernel/domainname", domainname),
	TUNED("kernel/hostname", hostname),
	FIXED("kernel/kptr_restrict", "0"),
	TUNED("kernel/msg_next_id", msg_next_id),
	TUNED("kernel/msgmax", msgmax),
	TUNED("kernel/msgmnb", msgmnb),
	TUNED("kernel/msgmni", msgmni),
	FIXED("kernel/ngroups_max", "65536"),
	SHOWN("kernel/osrelease", osrelease_show),
	FIXED("kernel/ostype", "Linux"),
	FIXED("kernel/overflowgid", "65534"),
	FIXED("kernel/overflowuid", "65534"),
	FIXED("kernel/panic", "0"),
	FIXED("kernel/pid_max", "32768"),
	SHOWN("kernel/random/boot_id", boot_id_show),
	FIXED("kernel/random/entropy_avail", "256"),
	FIXED("kernel/random/poolsize", "256"),
	SHOWN("kernel/random/uuid", uuid_show),
	TUNED("kernel/randomize_va_space", randomize),
	TUNED("kernel/sem", sem),
	TUNED("kernel/sem_next_id", sem_next_id),
	TUNED("kernel/shm_next_id", shm_next_id),
	TUNED("kernel/shmall", shmall),
	TUNED("kernel/shmmax", shmmax),
	TUNED("kernel/shmmni", shmmni),
	FIXED("kernel/sysrq", "438"),
	FIXED("kernel/tainted", "0"),
	TUNED("kernel/threads-max", threads_max),
	SHOWN("kernel/version", version_show),
	FIXED("net/core/somaxconn", "4096"),
	FIXED("net/ipv4/ip_local_port_range", "32768\t60999"),
	FIXED("vm/max_map_count", "65530"),
	FIXED("vm/mmap_min_addr", "65536"),
	FIXED("vm/overcommit_memory", "0"),
	FIXED("vm/overcommit_ratio", "50"),
	FIXED("vm/swappiness", "60"),
};

/* See introspect.h. */
const char *sysctl_name(unsigned i, mode_t *mode)
{
	if (i >= ARRAY_SIZE(sysctls))
		return NULL;
	*mode = sysctls[i].mode;
	return sysctls[i].path;
}

/* See introspect.h. */
int sysctl_read(unsigned i, char *buf, size_t size)
{
	if (i >= ARRAY_SIZE(sysctls))
		return -ENOENT;
	if (sysctls[i].fixed)
		return show_text(buf, size, sysctls[i].fixed);
	return sysctls[i].show(buf, size);
}

/* See introspect.h. */
int sysctl_write(unsigned i, const char *buf, size_t len)
{
	if (i >= ARRAY_SIZE(sysctls))
		return -ENOENT;
	if (!sysctls[i].store)
		return -EACCES;
	return sysctls[i].store(buf, len);
}
