/*
 * abi_cred - credentials as Linux keeps them: the set*id transition
 * rules for privileged and unprivileged processes, saved and filesystem
 * ids, supplementary groups, the capability sets (capget/capset, the
 * bounding and ambient sets, securebits, keep-caps, no_new_privs) and
 * what exec does with set-user-id and set-group-id files. Each scenario
 * runs in a child so that the next one starts from root again.
 */
#include "check.h"
#include <fcntl.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#define V1 0x19980330
#define V3 0x20080522
#define CAP_CHOWN 0
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_SETPCAP 8
#define CAP_NET_RAW 13
#define FULL_LO 0xffffffffu
#define FULL_HI 0x1ffu		/* CAP_LAST_CAP 40 */
#define SUID_COPY "/tmp/abi_cred_suid"

struct cap_hdr { unsigned version; int pid; };
struct cap_data { unsigned eff, prm, inh; };

static long capget_(struct cap_hdr *h, struct cap_data *d)
{
	return syscall(SYS_capget, h, d);
}

static long capset_(struct cap_hdr *h, struct cap_data *d)
{
	return syscall(SYS_capset, h, d);
}

/* The calling process's three sets, 64-bit each. */
static void caps(unsigned long long *eff, unsigned long long *prm,
		 unsigned long long *inh)
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	capget_(&h, d);
	*eff = d[0].eff | (unsigned long long)d[1].eff << 32;
	*prm = d[0].prm | (unsigned long long)d[1].prm << 32;
	*inh = d[0].inh | (unsigned long long)d[1].inh << 32;
}

static int set_caps(unsigned long long eff, unsigned long long prm,
		    unsigned long long inh)
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = {
		{ (unsigned)eff, (unsigned)prm, (unsigned)inh },
		{ (unsigned)(eff >> 32), (unsigned)(prm >> 32),
		  (unsigned)(inh >> 32) },
	};

	return (int)capset_(&h, d);
}

static void resuid(unsigned *r, unsigned *e, unsigned *s)
{
	getresuid(r, e, s);
}

/* The line of /proc/self/status that starts with @key, without it. */
static const char *status_line(const char *key, char *out, size_t len)
{
	static char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	char *p, *end;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return "";
	buf[n] = '\0';
	p = strstr(buf, key);
	if (!p)
		return "";
	p += strlen(key);
	end = strchr(p, '\n');
	snprintf(out, len, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
	return out;
}

/* Drop to uid and gid 1000 with no groups, the ordinary user's state. */
static void become_user(void)
{
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000))
		_exit(99);
}

static int root_state(void *arg __attribute__((unused)))
{
	unsigned long long eff, prm, inh;
	unsigned r, e, s;
	char line[128];

	resuid(&r, &e, &s);
	CHECK("root: ruid, euid and suid are 0", r == 0 && e == 0 && s == 0);
	caps(&eff, &prm, &inh);
	CHECK_EQ("root: effective set is every capability", eff,
		 (unsigned long long)FULL_HI << 32 | FULL_LO);
	CHECK_EQ("root: permitted set is every capability", prm, eff);
	CHECK_EQ("root: inheritable set is empty", inh, 0);
	CHECK_STR("status: CapBnd of root",
		  status_line("CapBnd:\t", line, sizeof line),
		  "000001ffffffffff");
	CHECK_STR("status: CapAmb of root",
		  status_line("CapAmb:\t", line, sizeof line),
		  "0000000000000000");
	CHECK_ERR("setuid(-1) is EINVAL", syscall(SYS_setuid, -1), EINVAL);
	CHECK_ERR("setgid(-1) is EINVAL", syscall(SYS_setgid, -1), EINVAL);
	return check_fails;
}

static int capget_abi(void *arg __attribute__((unused)))
{
	struct cap_hdr h = { 0x12345678, 0 };
	struct cap_data d[2];

	CHECK_ERR("capget: unknown version is EINVAL", capget_(&h, d), EINVAL);
	CHECK_EQ("capget: the header is given the preferred version",
		 h.version, V3);
	h.version = 1;
	CHECK_EQ("capget: unknown version with NULL data returns 0",
		 capget_(&h, NULL), 0);
	CHECK_EQ("capget: ... and still names the preferred version",
		 h.version, V3);
	h = (struct cap_hdr){ V3, -1 };
	CHECK_ERR("capget: negative pid is EINVAL", capget_(&h, d), EINVAL);
	h = (struct cap_hdr){ V3, 999999 };
	CHECK_ERR("capget: no such pid is ESRCH", capget_(&h, d), ESRCH);
	h = (struct cap_hdr){ V3, getppid() };
	CHECK_EQ("capget: another process's sets", capget_(&h, d), 0);
	CHECK_EQ("capget: ... its effective set (root)", d[0].eff, FULL_LO);
	h = (struct cap_hdr){ V3, 0 };
	CHECK_ERR("capget: bad data pointer is EFAULT",
		  capget_(&h, (struct cap_data *)0x10), EFAULT);
	memset(d, 0xab, sizeof(d));
	h = (struct cap_hdr){ V1, 0 };
	CHECK_EQ("capget v1: one 32-bit word", capget_(&h, d), 0);
	CHECK("capget v1: the second word is untouched",
	      d[0].eff == FULL_LO && d[1].eff == 0xabababab);
	h = (struct cap_hdr){ V3, getppid() };
	CHECK_ERR("capset: another process is EPERM", capset_(&h, d), EPERM);
	return check_fails;
}

static int unpriv_transitions(void *arg __attribute__((unused)))
{
	unsigned long long eff, prm, inh;
	unsigned r, e, s;
	char line[128];

	CHECK_OK("setresgid(1000, 1000, 1000) as root",
		 setresgid(1000, 1000, 1000));
	CHECK_OK("setresuid(1000, 1001, 1002) as root",
		 setresuid(1000, 1001, 1002));
	resuid(&r, &e, &s);
	CHECK("setresuid set all three ids", r == 1000 && e == 1001 &&
	      s == 1002);
	CHECK_STR("status: Uid line shows real, effective, saved, fs",
		  status_line("Uid:\t", line, sizeof line),
		  "1000\t1001\t1002\t1001");
	caps(&eff, &prm, &inh);
	CHECK("losing every root id clears permitted and effective",
	      eff == 0 && prm == 0);
	CHECK_ERR("unprivileged setuid(0) is EPERM", syscall(SYS_setuid, 0),
		  EPERM);
	CHECK_ERR("unprivileged setreuid(-1, 0) is EPERM",
		  syscall(SYS_setreuid, -1, 0), EPERM);
	CHECK_ERR("unprivileged setresuid(-1, 0, -1) is EPERM",
		  syscall(SYS_setresuid, -1, 0, -1), EPERM);
	CHECK_ERR("unprivileged setgid(0) is EPERM", syscall(SYS_setgid, 0),
		  EPERM);
	CHECK_ERR("unprivileged setregid(0, -1) is EPERM",
		  syscall(SYS_setregid, 0, -1), EPERM);
	CHECK_ERR("unprivileged setresgid(0, -1, -1) is EPERM",
		  syscall(SYS_setresgid, 0, -1, -1), EPERM);
	CHECK_ERR("unprivileged setgroups is EPERM",
		  syscall(SYS_setgroups, 0, NULL), EPERM);
	CHECK_EQ("setfsuid(0) returns the old fsuid",
		 syscall(SYS_setfsuid, 0), 1001);
	CHECK_EQ("... and leaves it: setfsuid(-1) reports 1001",
		 syscall(SYS_setfsuid, -1), 1001);
	CHECK_EQ("setfsuid to the saved uid is allowed",
		 syscall(SYS_setfsuid, 1002), 1001);
	CHECK_EQ("... fsuid is now 1002", syscall(SYS_setfsuid, -1), 1002);
	CHECK_EQ("setfsgid(0) returns the old fsgid unchanged",
		 syscall(SYS_setfsgid, 0), 1000);
	CHECK_EQ("... still 1000", syscall(SYS_setfsgid, -1), 1000);

	/* setuid without CAP_SETUID sets only effective and fs. */
	CHECK_OK("unprivileged setuid(1002) (the saved uid)",
		 syscall(SYS_setuid, 1002));
	resuid(&r, &e, &s);
	CHECK("... changes the effective id only", r == 1000 && e == 1002 &&
	      s == 1002);
	CHECK_EQ("... and the fsuid follows", syscall(SYS_setfsuid, -1), 1002);
	CHECK_ERR("setuid(1001) (no longer held) is EPERM",
		  syscall(SYS_setuid, 1001), EPERM);
	/* setreuid: the real id may become the effective one. */
	CHECK_ERR("setreuid(1003, -1) is EPERM",
		  syscall(SYS_setreuid, 1003, -1), EPERM);
	CHECK_OK("setreuid(1002, -1) (the effective uid)",
		 syscall(SYS_setreuid, 1002, -1));
	resuid(&r, &e, &s);
	CHECK("... real 1002, saved set to the effective",
	      r == 1002 && e == 1002 && s == 1002);
	CHECK_OK("setresuid(-1, -1, -1) is a no-op",
		 syscall(SYS_setresuid, -1, -1, -1));
	CHECK_OK("setreuid(-1, 1002) keeps the saved id",
		 syscall(SYS_setreuid, -1, 1002));
	CHECK_ERR("setresuid(1000, -1, -1) (no longer held) is EPERM",
		  syscall(SYS_setresuid, 1000, -1, -1), EPERM);
	CHECK_EQ("capget still shows no capabilities", (caps(&eff, &prm,
		 &inh), eff | prm | inh), 0);
	CHECK_ERR("capset raising permitted is EPERM",
		  set_caps(0, 1ULL << CAP_KILL, 0), EPERM);
	CHECK_ERR("capset raising inheritable without CAP_SETPCAP is EPERM",
		  set_caps(0, 0, 1ULL << CAP_KILL), EPERM);
	CHECK_ERR("PR_CAPBSET_DROP without CAP_SETPCAP is EPERM",
		  prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0), EPERM);
	CHECK_ERR("PR_SET_SECUREBITS without CAP_SETPCAP is EPERM",
		  prctl(PR_SET_SECUREBITS, 0, 0, 0, 0), EPERM);
	return check_fails;
}

static int root_seteuid(void *arg __attribute__((unused)))
{
	unsigned long long eff, prm, inh;
	unsigned long long full = (unsigned long long)FULL_HI << 32 | FULL_LO;
	unsigned r, e, s;

	CHECK_OK("root seteuid(1000)", syscall(SYS_setresuid, -1, 1000, -1));
	caps(&eff, &prm, &inh);
	CHECK_EQ("euid 1000: effective set cleared", eff, 0);
	CHECK_EQ("euid 1000: permitted set kept (saved uid 0)", prm, full);
	CHECK_OK("seteuid(0) again (the saved uid)",
		 syscall(SYS_setresuid, -1, 0, -1));
	caps(&eff, &prm, &inh);
	CHECK_EQ("euid 0: effective set is the permitted one", eff, full);
	CHECK_EQ("root setfsuid(1000) returns 0", syscall(SYS_setfsuid, 1000),
		 0);
	caps(&eff, &prm, &inh);
	CHECK("fsuid 1000 drops the filesystem capabilities",
	      !(eff & (1ULL << CAP_CHOWN)) && (eff & (1ULL << CAP_KILL)));
	syscall(SYS_setfsuid, 0);
	caps(&eff, &prm, &inh);
	CHECK("fsuid 0 brings them back", eff == full);
	CHECK_OK("setresuid(1000, 1000, 0) keeps a root id",
		 syscall(SYS_setresuid, 1000, 1000, 0));
	caps(&eff, &prm, &inh);
	CHECK("... so permitted stays while effective is cleared",
	      eff == 0 && prm == full);
	CHECK_OK("setreuid(-1, 0) back through the saved id",
		 syscall(SYS_setreuid, -1, 0));
	resuid(&r, &e, &s);
	CHECK("setreuid(-1, 0) with ruid 1000 sets the saved id to 0",
	      r == 1000 && e == 0 && s == 0);
	CHECK_OK("privileged setuid(2000)", syscall(SYS_setuid, 2000));
	resuid(&r, &e, &s);
	CHECK("privileged setuid sets all three", r == 2000 && e == 2000 &&
	      s == 2000);
	caps(&eff, &prm, &inh);
	CHECK("and every capability is gone", eff == 0 && prm == 0);
	return check_fails;
}

static int keepcaps(void *arg __attribute__((unused)))
{
	unsigned long long eff, prm, inh;
	unsigned long long full = (unsigned long long)FULL_HI << 32 | FULL_LO;

	CHECK_EQ("PR_GET_KEEPCAPS is 0", prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0), 0);
	CHECK_ERR("PR_SET_KEEPCAPS 2 is EINVAL",
		  prctl(PR_SET_KEEPCAPS, 2, 0, 0, 0), EINVAL);
	CHECK_OK("PR_SET_KEEPCAPS 1", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CHECK_EQ("PR_GET_SECUREBITS shows SECBIT_KEEP_CAPS",
		 prctl(PR_GET_SECUREBITS, 0, 0, 0, 0), 0x10);
	CHECK_OK("setresuid(1000, 1000, 1000) with keep-caps",
		 setresuid(1000, 1000, 1000));
	caps(&eff, &prm, &inh);
	CHECK_EQ("keep-caps: permitted kept", prm, full);
	CHECK_EQ("keep-caps: effective cleared", eff, 0);
	CHECK_OK("capset: effective CAP_SETUID from permitted",
		 set_caps(1ULL << CAP_SETUID, prm, 0));
	CHECK_ERR("capset: effective beyond permitted is EPERM",
		  set_caps(1ULL << CAP_SETUID, 1ULL << CAP_KILL, 0), EPERM);
	CHECK_OK("with CAP_SETUID, setuid(0) works",
		 syscall(SYS_setuid, 0));
	caps(&eff, &prm, &inh);
	CHECK_EQ("back to euid 0: effective = permitted", eff, full);
	return check_fails;
}

static int bounding_ambient(void *arg __attribute__((unused)))
{
	unsigned long long eff, prm, inh;

	CHECK_EQ("PR_CAPBSET_READ CAP_CHOWN", prctl(PR_CAPBSET_READ,
		 CAP_CHOWN, 0, 0, 0), 1);
	CHECK_EQ("PR_CAPBSET_READ 40", prctl(PR_CAPBSET_READ, 40, 0, 0, 0), 1);
	CHECK_ERR("PR_CAPBSET_READ 41 is EINVAL",
		  prctl(PR_CAPBSET_READ, 41, 0, 0, 0), EINVAL);
	CHECK_ERR("PR_CAPBSET_DROP 64 is EINVAL",
		  prctl(PR_CAPBSET_DROP, 64, 0, 0, 0), EINVAL);
	CHECK_OK("PR_CAPBSET_DROP CAP_KILL",
		 prctl(PR_CAPBSET_DROP, CAP_KILL, 0, 0, 0));
	CHECK_EQ("... now out of the bounding set",
		 prctl(PR_CAPBSET_READ, CAP_KILL, 0, 0, 0), 0);
	CHECK_ERR("capset: inheritable outside the bounding set is EPERM",
		  (caps(&eff, &prm, &inh), set_caps(eff, prm,
						    1ULL << CAP_KILL)), EPERM);
	CHECK_EQ("PR_CAP_AMBIENT_IS_SET CAP_NET_RAW",
		 prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0,
		       0), 0);
	CHECK_ERR("ambient raise without it inheritable is EPERM",
		  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0,
			0), EPERM);
	CHECK_ERR("PR_CAP_AMBIENT with a bad op is EINVAL",
		  prctl(PR_CAP_AMBIENT, 9, CAP_NET_RAW, 0, 0), EINVAL);
	CHECK_ERR("PR_CAP_AMBIENT_CLEAR_ALL with an argument is EINVAL",
		  prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1, 0, 0),
		  EINVAL);
	CHECK_OK("capset: CAP_NET_RAW inheritable",
		 set_caps(eff, prm, 1ULL << CAP_NET_RAW));
	CHECK_OK("ambient raise CAP_NET_RAW",
		 prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0,
		       0));
	CHECK_EQ("... is set", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET,
				     CAP_NET_RAW, 0, 0), 1);
	CHECK_OK("dropping it from inheritable",
		 set_caps(eff, prm, 0));
	CHECK_EQ("... drops it from the ambient set",
		 prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 0,
		       0), 0);
	CHECK_ERR("PR_SET_SECUREBITS with an unknown bit is EPERM",
		  prctl(PR_SET_SECUREBITS, 0x100, 0, 0, 0), EPERM);
	CHECK_OK("PR_SET_SECUREBITS KEEP_CAPS_LOCKED",
		 prctl(PR_SET_SECUREBITS, 0x20, 0, 0, 0));
	CHECK_ERR("a locked KEEP_CAPS cannot be set",
		  prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0), EPERM);
	CHECK_ERR("nor can the lock be taken back",
		  prctl(PR_SET_SECUREBITS, 0, 0, 0, 0), EPERM);
	return check_fails;
}

static int groups(void *arg __attribute__((unused)))
{
	gid_t set[3] = { 100, 50, 7 }, got[8] = { 0 };
	char line[128];

	CHECK_ERR("setgroups(-1) is EINVAL", syscall(SYS_setgroups, -1, set),
		  EINVAL);
	CHECK_ERR("setgroups(65537) is EINVAL",
		  syscall(SYS_setgroups, 65537, set), EINVAL);
	CHECK_ERR("setgroups from a bad pointer is EFAULT",
		  syscall(SYS_setgroups, 3, (void *)0x10), EFAULT);
	CHECK_OK("setgroups(3)", syscall(SYS_setgroups, 3, set));
	CHECK_EQ("getgroups(0) counts them", syscall(SYS_getgroups, 0, NULL),
		 3);
	CHECK_ERR("getgroups into too small a list is EINVAL",
		  syscall(SYS_getgroups, 2, got), EINVAL);
	CHECK_ERR("getgroups(-1) is EINVAL", syscall(SYS_getgroups, -1, got),
		  EINVAL);
	CHECK_EQ("getgroups(8)", syscall(SYS_getgroups, 8, got), 3);
	CHECK("the groups come back sorted", got[0] == 7 && got[1] == 50 &&
	      got[2] == 100);
	CHECK_STR("status: Groups line",
		  status_line("Groups:\t", line, sizeof line), "7 50 100 ");
	CHECK_ERR("getgroups to a bad pointer is EFAULT",
		  syscall(SYS_getgroups, 8, (void *)0x10), EFAULT);
	CHECK_OK("setgroups(0)", syscall(SYS_setgroups, 0, NULL));
	CHECK_EQ("no groups left", syscall(SYS_getgroups, 0, NULL), 0);
	CHECK_STR("status: empty Groups line",
		  status_line("Groups:\t", line, sizeof line), " ");
	return check_fails;
}

static int nnp(void *arg __attribute__((unused)))
{
	char line[128];

	CHECK_EQ("PR_GET_NO_NEW_PRIVS is 0",
		 prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	CHECK_ERR("PR_SET_NO_NEW_PRIVS 0 is EINVAL",
		  prctl(PR_SET_NO_NEW_PRIVS, 0, 0, 0, 0), EINVAL);
	CHECK_ERR("PR_GET_NO_NEW_PRIVS with an argument is EINVAL",
		  prctl(PR_GET_NO_NEW_PRIVS, 1, 0, 0, 0), EINVAL);
	CHECK_OK("PR_SET_NO_NEW_PRIVS 1",
		 prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CHECK_EQ("... reads back 1", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0),
		 1);
	CHECK_STR("status: NoNewPrivs", status_line("NoNewPrivs:\t", line,
						      sizeof line), "1");
	pid_t p = fork();

	if (p == 0)
		_exit(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ? 0 : 1);
	int st;

	waitpid(p, &st, 0);
	CHECK("no_new_privs is inherited by a child", WIFEXITED(st) &&
	      WEXITSTATUS(st) == 0);
	return check_fails;
}

static volatile int thread_go;
static volatile long thread_uid = -1, thread_caps = -1;

/* A second thread: once told, it reports its own ids (raw syscalls). */
static void *id_thread(void *arg __attribute__((unused)))
{
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	while (!thread_go)
		sched_yield();
	thread_uid = syscall(SYS_getuid);
	syscall(SYS_capget, &h, d);
	thread_caps = d[0].eff | d[0].prm;
	return NULL;
}

/*
 * Credentials are per thread in the kernel; the C library's set*id
 * signals every thread to make the same call (glibc's SIGSETXID, musl's
 * synccall), which must get through to threads of the same process even
 * after the first of them changed its ids.
 */
static int threads(void *arg __attribute__((unused)))
{
	pthread_t t;

	if (pthread_create(&t, NULL, id_thread, NULL))
		return 90;
	CHECK_OK("setresuid(1000, 1000, 1000) in a process of two threads",
		 setresuid(1000, 1000, 1000));
	CHECK_EQ("the calling thread's uid", syscall(SYS_getuid), 1000);
	thread_go = 1;
	pthread_join(t, NULL);
	CHECK_EQ("the other thread's uid followed", thread_uid, 1000);
	CHECK_EQ("... and its capabilities are gone", thread_caps, 0);
	return check_fails;
}

static int dumpable(void *arg __attribute__((unused)))
{
	CHECK_EQ("PR_GET_DUMPABLE is 1", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	CHECK_ERR("PR_SET_DUMPABLE 2 is EINVAL",
		  prctl(PR_SET_DUMPABLE, 2, 0, 0, 0), EINVAL);
	CHECK_OK("setresuid(0, 1000, 0) as root",
		 syscall(SYS_setresuid, 0, 1000, 0));
	CHECK_EQ("an euid change makes the process undumpable",
		 prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
	CHECK_OK("PR_SET_DUMPABLE 1", prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	CHECK_EQ("... dumpable again", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
	return check_fails;
}

/*
 * The set-id copy of this program, run with "report": what it runs as.
 * Exit status: 1 ruid 1000, 2 euid 0, 4 AT_SECURE, 8 egid 0, 16 full
 * effective set, 32 dumpable, 64 CAP_NET_RAW permitted.
 */
static int report(void)
{
	unsigned long long eff, prm, inh;
	int st = 0;

	caps(&eff, &prm, &inh);
	st |= getuid() == 1000 ? 1 : 0;
	st |= geteuid() == 0 ? 2 : 0;
	st |= getauxval(AT_SECURE) ? 4 : 0;
	st |= getegid() == 0 ? 8 : 0;
	st |= eff == ((unsigned long long)FULL_HI << 32 | FULL_LO) ? 16 : 0;
	st |= prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1 ? 32 : 0;
	st |= (prm & (1ULL << CAP_NET_RAW)) ? 64 : 0;
	return st;
}

/* Run the set-id copy at @path as uid 1000 after @setup; its report. */
static int run_copy_at(const char *path, void (*setup)(void))
{
	pid_t p = fork();
	int st = -1;

	if (p == 0) {
		if (setup)
			setup();
		else
			become_user();
		execl(path, path, "report", (char *)NULL);
		_exit(98);
	}
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static int run_copy(void (*setup)(void))
{
	return run_copy_at(SUID_COPY, setup);
}

static void user_nnp(void)
{
	become_user();
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

static void user_ambient(void)
{
	unsigned long long raw = 1ULL << CAP_NET_RAW;

	/* Keep CAP_NET_RAW through the uid change, then make it ambient. */
	prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0);
	if (setgroups(0, NULL) || setresgid(1000, 1000, 1000) ||
	    setresuid(1000, 1000, 1000) || set_caps(0, raw, raw) ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0))
		_exit(97);
}

/* Copy /proc/self/exe to @path, owned by root with mode @mode. */
static int make_copy_at(const char *path, mode_t mode)
{
	static char buf[1 << 16];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	close(out);
	if (chown(path, 0, 0) || chmod(path, mode))
		return -1;
	return 0;
}

static int make_copy(mode_t mode)
{
	return make_copy_at(SUID_COPY, mode);
}

static void exec_setid(void)
{
	int st;

	CHECK_OK("a set-user-id root copy of this program",
		 make_copy(04755));
	st = run_copy(NULL);
	CHECK_EQ("setuid exec by uid 1000: ruid 1000, euid 0, AT_SECURE, "
		 "every capability, undumpable", st, 1 | 2 | 4 | 16 | 64);
	st = run_copy(user_nnp);
	CHECK_EQ("under no_new_privs the set-user-id bit is ignored", st, 1 | 32);
	mkdir("/tmp/abi_cred_ns", 0755);
	CHECK_OK("a nosuid tmpfs", mount("none", "/tmp/abi_cred_ns", "tmpfs",
					 MS_NOSUID, NULL));
	CHECK_OK("... with a set-user-id root copy",
		 make_copy_at("/tmp/abi_cred_ns/suid", 04755));
	st = run_copy_at("/tmp/abi_cred_ns/suid", NULL);
	CHECK_EQ("on a nosuid mount the set-user-id bit is ignored", st,
		 1 | 32);
	umount("/tmp/abi_cred_ns");
	rmdir("/tmp/abi_cred_ns");
	st = run_copy(user_ambient);
	CHECK_EQ("a set-user-id exec clears the ambient set", st,
		 1 | 2 | 4 | 16 | 64);
	CHECK_OK("chmod 02755: set-group-id", chmod(SUID_COPY, 02755));
	st = run_copy(NULL);
	CHECK_EQ("setgid exec: egid 0, AT_SECURE, no capabilities", st,
		 1 | 4 | 8);
	CHECK_OK("chmod 02745: set-group-id without group execute",
		 chmod(SUID_COPY, 02745));
	st = run_copy(NULL);
	CHECK_EQ("no group execute: the set-group-id bit is ignored", st,
		 1 | 32);
	CHECK_OK("chmod 0755: an ordinary program", chmod(SUID_COPY, 0755));
	st = run_copy(NULL);
	CHECK_EQ("plain exec by uid 1000: nothing gained", st, 1 | 32);
	st = run_copy(user_ambient);
	CHECK_EQ("an ambient capability survives exec as uid 1000", st,
		 1 | 32 | 64);
	unlink(SUID_COPY);
}

int main(int argc, char **argv)
{
	static int (*const scenarios[])(void *) = {
		root_state, capget_abi, unpriv_transitions, root_seteuid,
		keepcaps, bounding_ambient, groups, nnp, dumpable, threads,
	};

	if (argc > 1 && strcmp(argv[1], "report") == 0)
		return report();
	TEST_BEGIN("abi_cred");
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		int st = run_child(scenarios[i], NULL);

		CHECK("scenario child exits cleanly", WIFEXITED(st));
		check_fails += WIFEXITED(st) ? WEXITSTATUS(st) : 1;
	}
	exec_setid();
	return TEST_END();
}
