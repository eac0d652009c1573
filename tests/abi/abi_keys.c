/* abi_keys.c - the key retention service through raw system calls: add_key's checks and errno order, updates, the default permissions, keyctl's read, describe, search, link, unlink, clear, revoke, invalidate, setperm, timeouts, thread/process keyrings across fork, request_key without an upcall, and /proc/keys and /proc/key-users in Linux's formats. */
#include "check.h"
#include <stdint.h>

#define T "abi_keys"

typedef int32_t key_serial_t;

#define KEY_SPEC_THREAD_KEYRING		-1
#define KEY_SPEC_PROCESS_KEYRING	-2
#define KEY_SPEC_SESSION_KEYRING	-3

#define KEYCTL_GET_KEYRING_ID	0
#define KEYCTL_UPDATE		2
#define KEYCTL_REVOKE		3
#define KEYCTL_SETPERM		5
#define KEYCTL_DESCRIBE		6
#define KEYCTL_CLEAR		7
#define KEYCTL_LINK		8
#define KEYCTL_UNLINK		9
#define KEYCTL_SEARCH		10
#define KEYCTL_READ		11
#define KEYCTL_SET_TIMEOUT	15
#define KEYCTL_INVALIDATE	21

#ifndef EKEYREVOKED
#define EKEYREVOKED 128
#endif
#ifndef ENOKEY
#define ENOKEY 126
#endif

static long add_key(const char *type, const char *desc, const void *p,
		    size_t n, key_serial_t ring)
{
	return syscall(SYS_add_key, type, desc, p, n, ring);
}
static long request_key(const char *type, const char *desc,
			const char *callout, key_serial_t ring)
{
	return syscall(SYS_request_key, type, desc, callout, ring);
}
static long keyctl(int cmd, long a, long b, long c, long d)
{
	return syscall(SYS_keyctl, cmd, a, b, c, d);
}

/* The first line of /proc/keys for @serial, or "" (into @out). */
static void proc_keys_line(key_serial_t serial, char *out, size_t size)
{
	static char text[65536];
	char want[16];
	int fd = open("/proc/keys", O_RDONLY);
	ssize_t n = 0, r;

	out[0] = 0;
	if (fd < 0)
		return;
	while ((r = read(fd, text + n, sizeof text - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = 0;
	snprintf(want, sizeof want, "%08x ", serial);
	for (char *l = text; *l; ) {
		char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		if (!strncmp(l, want, 9)) {
			if (len >= size)
				len = size - 1;
			memcpy(out, l, len);
			out[len] = 0;
			return;
		}
		if (!e)
			break;
		l = e + 1;
	}
}

static void test_add_key_errors(void)
{
	char big[40];

	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	CHECK_ERR("plen past 1 MiB - 1", add_key("user", "x", "p", 1024 * 1024, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("plen checked before the type", add_key(BAD_LOW, "x", "p", 1024 * 1024, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("bad type pointer", add_key(BAD_LOW, "x", "p", 1, KEY_SPEC_PROCESS_KEYRING), EFAULT);
	CHECK_ERR("empty type", add_key("", "x", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("type of 32 chars or more", add_key(big, "x", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("type starting with a dot", add_key(".user", "x", "p", 1, KEY_SPEC_PROCESS_KEYRING), EPERM);
	CHECK_ERR("bad description pointer", add_key("user", BAD_LOW, "p", 1, KEY_SPEC_PROCESS_KEYRING), EFAULT);
	CHECK_ERR("keyring named with a dot", add_key("keyring", ".x", NULL, 0, KEY_SPEC_PROCESS_KEYRING), EPERM);
	CHECK_ERR("bad payload pointer", add_key("user", "x", BAD_LOW, 4, KEY_SPEC_PROCESS_KEYRING), EFAULT);
	CHECK_ERR("unknown type", add_key("no_such_type", "x", "p", 1, KEY_SPEC_PROCESS_KEYRING), ENODEV);
	CHECK_ERR("user key without payload", add_key("user", "x", NULL, 0, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	static char huge[32768];
	CHECK_ERR("user key payload past 32767", add_key("user", "x", huge, 32768, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("user key without description", add_key("user", NULL, "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("user key, empty description", add_key("user", "", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("keyring with a payload", add_key("keyring", "r", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("logon without service:", add_key("logon", "nocolon", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("logon with empty service", add_key("logon", ":x", "p", 1, KEY_SPEC_PROCESS_KEYRING), EINVAL);
	CHECK_ERR("nonexistent destination", add_key("user", "x", "p", 1, 0x7ffffff0), ENOKEY);
	CHECK_ERR("destination 0", add_key("user", "x", "p", 1, 0), EINVAL);
}

static void test_user_keys(void)
{
	char buf[256], line[256];
	long k, k2, ring;

	k = add_key("user", "abi:one", "hello", 5, KEY_SPEC_PROCESS_KEYRING);
	CHECK("add_key user", k > 0);
	ring = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0);
	CHECK("process keyring made", ring > 0);
	CHECK_EQ("read length", keyctl(KEYCTL_READ, k, (long)buf, sizeof buf, 0), 5);
	CHECK("read payload", !memcmp(buf, "hello", 5));
	CHECK_EQ("read length with no buffer", keyctl(KEYCTL_READ, k, 0, 0, 0), 5);
	CHECK_EQ("short buffer: the whole length", keyctl(KEYCTL_READ, k, (long)buf, 2, 0), 5);
	snprintf(line, sizeof line, "user;%d;%d;3f010000;abi:one", (int)getuid(), (int)getgid());
	long n = keyctl(KEYCTL_DESCRIBE, k, (long)buf, sizeof buf, 0);
	CHECK_EQ("describe length includes the NUL", n, (long)strlen(line) + 1);
	CHECK_STR("describe: type;uid;gid;perm;desc", buf, line);
	k2 = add_key("user", "abi:one", "bye", 3, KEY_SPEC_PROCESS_KEYRING);
	CHECK_EQ("same description: updated in place", k2, k);
	CHECK_EQ("new payload", keyctl(KEYCTL_READ, k, (long)buf, sizeof buf, 0), 3);
	CHECK_EQ("KEYCTL_UPDATE", keyctl(KEYCTL_UPDATE, k, (long)"four", 4, 0), 0);
	CHECK_EQ("updated length", keyctl(KEYCTL_READ, k, (long)buf, sizeof buf, 0), 4);
	key_serial_t ids[4];
	CHECK_EQ("keyring read: one link", keyctl(KEYCTL_READ, ring, (long)ids, sizeof ids, 0), 4);
	CHECK_EQ("keyring read: the key", ids[0], k);
	CHECK_ERR("keyring read: size not a multiple of 4", keyctl(KEYCTL_READ, ring, (long)ids, 3, 0), EINVAL);
	CHECK_EQ("search finds it", keyctl(KEYCTL_SEARCH, ring, (long)"user", (long)"abi:one", 0), k);
	CHECK_ERR("search for another", keyctl(KEYCTL_SEARCH, ring, (long)"user", (long)"abi:none", 0), ENOKEY);
	CHECK_ERR("search an unknown type", keyctl(KEYCTL_SEARCH, ring, (long)"nosuch", (long)"abi:one", 0), ENOKEY);
	CHECK_ERR("search in a user key", keyctl(KEYCTL_SEARCH, k, (long)"user", (long)"abi:one", 0), ENOTDIR);
	CHECK_EQ("request_key finds it", request_key("user", "abi:one", NULL, 0), k);
	CHECK_ERR("request_key, none, no callout", request_key("user", "abi:absent", NULL, 0), ENOKEY);
	CHECK_ERR("add_key into a user key", add_key("user", "x", "p", 1, (key_serial_t)k), ENOTDIR);

	/* /proc/keys: serial, flags, usage, timeout, perm, uid, gid, type, description. */
	proc_keys_line((key_serial_t)k, line, sizeof line);
	char flags[8] = "", tmo[8] = "", type[16] = "", desc[64] = "";
	unsigned perm = 0, serial = 0;
	int usage = 0, uid = -1, gid = -1;
	int got = sscanf(line, "%x %7s %d %7s %x %d %d %15s %63[^\n]", &serial, flags, &usage, tmo, &perm, &uid, &gid, type, desc);
	CHECK_EQ("/proc/keys line parses", got, 9);
	CHECK_EQ("/proc/keys serial", serial, (unsigned)k);
	CHECK_STR("/proc/keys flags", flags, "I--Q---");
	CHECK_STR("/proc/keys timeout", tmo, "perm");
	CHECK_EQ("/proc/keys perm", perm, 0x3f010000);
	CHECK_EQ("/proc/keys uid", uid, (int)getuid());
	CHECK_STR("/proc/keys type", type, "user");
	CHECK_STR("/proc/keys description: the payload length", desc, "abi:one: 4");
	CHECK_EQ("/proc/keys column layout", line[8], ' ');
	CHECK_EQ("/proc/keys type padded to 9", (int)(strstr(line, "abi:one") - strstr(line, "user ")), 10);
	proc_keys_line((key_serial_t)ring, line, sizeof line);
	CHECK("/proc/keys: process keyring with one link", strstr(line, " keyring   _pid: 1") != NULL);

	/* Timeouts. */
	CHECK_EQ("set a timeout of 100 s", keyctl(KEYCTL_SET_TIMEOUT, k, 100, 0, 0), 0);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK("/proc/keys: 1m left", strstr(line, " 1m ") != NULL);
	CHECK_EQ("set a timeout of 3 h", keyctl(KEYCTL_SET_TIMEOUT, k, 3 * 3600 + 5, 0, 0), 0);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK("/proc/keys: 3h left", strstr(line, " 3h ") != NULL);
	CHECK_EQ("set a timeout of 20 days", keyctl(KEYCTL_SET_TIMEOUT, k, 20 * 86400, 0, 0), 0);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK("/proc/keys: 2w left", strstr(line, " 2w ") != NULL);
	CHECK_EQ("timeout 0: permanent again", keyctl(KEYCTL_SET_TIMEOUT, k, 0, 0, 0), 0);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK("/proc/keys: perm", strstr(line, " perm ") != NULL);

	/* Permissions: without read for the possessor, owner or others. */
	CHECK_EQ("setperm: no READ", keyctl(KEYCTL_SETPERM, k, 0x3d010000, 0, 0), 0);
	CHECK_EQ("read without READ, but possessed", keyctl(KEYCTL_READ, k, (long)buf, sizeof buf, 0), 4);
	CHECK_EQ("setperm: no VIEW", keyctl(KEYCTL_SETPERM, k, 0x3e000000, 0, 0), 0);
	CHECK_ERR("describe without VIEW", keyctl(KEYCTL_DESCRIBE, k, (long)buf, sizeof buf, 0), EACCES);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK_STR("/proc/keys hides a key the reader cannot view", line, "");
	CHECK_EQ("setperm back", keyctl(KEYCTL_SETPERM, k, 0x3f010000, 0, 0), 0);
	CHECK_ERR("setperm undefined bits", keyctl(KEYCTL_SETPERM, k, 0x40000000, 0, 0), EINVAL);

	/* Link, unlink, clear. */
	long r2 = add_key("keyring", "abi:ring", NULL, 0, KEY_SPEC_PROCESS_KEYRING);
	CHECK("add_key keyring", r2 > 0);
	proc_keys_line((key_serial_t)r2, line, sizeof line);
	CHECK("/proc/keys: an empty keyring", strstr(line, " keyring   abi:ring: empty") != NULL);
	CHECK_EQ("link the key into it", keyctl(KEYCTL_LINK, k, r2, 0, 0), 0);
	CHECK_EQ("two links", keyctl(KEYCTL_READ, r2, (long)ids, sizeof ids, 0), 4);
	CHECK_ERR("link a keyring into itself", keyctl(KEYCTL_LINK, r2, r2, 0, 0), EDEADLK);
	CHECK_ERR("link into a user key", keyctl(KEYCTL_LINK, r2, k, 0, 0), ENOTDIR);
	CHECK_EQ("unlink", keyctl(KEYCTL_UNLINK, k, r2, 0, 0), 0);
	CHECK_ERR("unlink again", keyctl(KEYCTL_UNLINK, k, r2, 0, 0), ENOENT);
	CHECK_EQ("link again", keyctl(KEYCTL_LINK, k, r2, 0, 0), 0);
	CHECK_EQ("clear", keyctl(KEYCTL_CLEAR, r2, 0, 0, 0), 0);
	CHECK_EQ("cleared: no links", keyctl(KEYCTL_READ, r2, (long)ids, sizeof ids, 0), 0);
	CHECK_ERR("clear a user key", keyctl(KEYCTL_CLEAR, k, 0, 0, 0), ENOTDIR);

	/* Revoke and invalidate. */
	CHECK_EQ("revoke", keyctl(KEYCTL_REVOKE, k, 0, 0, 0), 0);
	CHECK_ERR("read revoked", keyctl(KEYCTL_READ, k, (long)buf, sizeof buf, 0), EKEYREVOKED);
	CHECK_ERR("update revoked", keyctl(KEYCTL_UPDATE, k, (long)"x", 1, 0), EKEYREVOKED);
	proc_keys_line((key_serial_t)k, line, sizeof line);
	CHECK("/proc/keys: revoked flag", strstr(line, " IR-Q--- ") != NULL);
	CHECK_EQ("invalidate the keyring", keyctl(KEYCTL_INVALIDATE, r2, 0, 0, 0), 0);
	CHECK_ERR("invalidated: gone", keyctl(KEYCTL_DESCRIBE, r2, (long)buf, sizeof buf, 0), ENOKEY);
	CHECK_ERR("unknown keyctl", keyctl(999, 0, 0, 0, 0), EOPNOTSUPP);
	CHECK_ERR("describe a nonexistent key", keyctl(KEYCTL_DESCRIBE, 0x7ffffff0, (long)buf, sizeof buf, 0), ENOKEY);
}

static void test_keyrings(void)
{
	char buf[64];

	CHECK_ERR("no thread keyring yet", keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0), ENOKEY);
	long t = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1, 0, 0);
	CHECK("thread keyring made on request", t > 0);
	CHECK_EQ("and kept", keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0), t);
	CHECK_OK("describe thread keyring", keyctl(KEYCTL_DESCRIBE, t, (long)buf, sizeof buf, 0));
	CHECK("thread keyring named _tid", strstr(buf, "keyring;") == buf && strstr(buf, ";_tid") != NULL);
	long p = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 1, 0, 0);
	CHECK("process keyring", p > 0);
	long k = add_key("user", "abi:inherit", "v", 1, KEY_SPEC_THREAD_KEYRING);
	CHECK("key in the thread keyring", k > 0);
	CHECK_EQ("found from the thread keyring", request_key("user", "abi:inherit", NULL, 0), k);
	pid_t pid = fork();
	if (pid == 0) {
		int ok = keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0, 0, 0) == -1 && errno == ENOKEY &&
			 keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_PROCESS_KEYRING, 0, 0, 0) == -1 && errno == ENOKEY &&
			 request_key("user", "abi:inherit", NULL, 0) == -1 && errno == ENOKEY;
		_exit(ok ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	CHECK_EQ("a child has no thread or process keyring", st, 0);
}

static void test_key_users(void)
{
	static char text[8192];
	int fd = open("/proc/key-users", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof text - 1);
	char want[16];
	unsigned uid, usage, nkeys, nikeys, qn, qmax, qb, qbmax;

	CHECK("/proc/key-users readable", n > 0);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return;
	text[n] = 0;
	snprintf(want, sizeof want, "%5u:", (unsigned)getuid());
	char *l = strstr(text, want);
	CHECK("/proc/key-users has our uid", l != NULL);
	if (!l)
		return;
	int got = sscanf(l, "%u: %u %u/%u %u/%u %u/%u", &uid, &usage, &nkeys, &nikeys, &qn, &qmax, &qb, &qbmax);
	CHECK_EQ("/proc/key-users line parses", got, 8);
	CHECK("keys counted", nkeys >= 3 && nikeys <= nkeys && qn >= 1);
	CHECK_EQ("quota of keys", qmax, getuid() ? 200 : 1000000);
	CHECK_EQ("quota of bytes", qbmax, getuid() ? 20000 : 25000000);
}

int main(void)
{
	TEST_BEGIN(T);
	/* A session keyring of our own, so what we make is ours alone. */
	CHECK("join a new session keyring", syscall(SYS_keyctl, 1, NULL) > 0);
	test_add_key_errors();
	test_user_keys();
	test_keyrings();
	test_key_users();
	return TEST_END();
}
