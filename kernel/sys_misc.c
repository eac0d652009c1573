/*
 * Process-wide and system-wide odds and ends: uname and host names,
 * sysinfo, reboot, syslog (dmesg), prctl, arch_prctl, resource limits and
 * usage, priorities, scheduler queries, thread-id and robust-list hooks.
 */
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/syscall.h>
#include <platform/console.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/power.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/profile.h>
#include <aramid/checked.h>
#include <aramid/string.h>

#define UTS_LEN 65

struct utsname {
	char sysname[UTS_LEN];
	char nodename[UTS_LEN];
	char release[UTS_LEN];
	char version[UTS_LEN];
	char machine[UTS_LEN];
	char domainname[UTS_LEN];
};

/* The answer to uname(2), kept ready; sethostname/setdomainname edit it. */
static struct utsname uts = {
	.sysname = "Linux",
	.nodename = "(none)",
	.release = "6.1.0-aramid",
	.version = "#1 Aramid " PROFILE_NAME,
	.machine = "x86_64",
	.domainname = "(none)",
};

SYSCALL(__NR_uname, uname)(SYSCALL_ARGS)
{
	return copy_to_user(UPTR(a0), &uts, sizeof(uts)) ? -EFAULT : 0;
}

static long set_name(char *dst, uptr_t src, long len)
{
	char buf[UTS_LEN] = { 0 };

	if (len < 0 || len >= UTS_LEN)
		return -EINVAL;
	if (copy_from_user(buf, src, len))
		return -EFAULT;
	memcpy(dst, buf, UTS_LEN);	/* zero-filled past the name, as Linux */
	return 0;
}

SYSCALL(__NR_sethostname, sethostname)(SYSCALL_ARGS)
{
	return set_name(uts.nodename, UPTR(a0), a1);
}

SYSCALL(__NR_setdomainname, setdomainname)(SYSCALL_ARGS)
{
	return set_name(uts.domainname, UPTR(a0), a1);
}

SYSCALL(__NR_sysinfo, sysinfo)(SYSCALL_ARGS)
{
	struct {
		int64_t uptime;
		uint64_t loads[3];
		uint64_t totalram, freeram, sharedram, bufferram;
		uint64_t totalswap, freeswap;
		uint16_t procs, pad;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char _f[4];
	} si;
	struct frame_stats fs;
	unsigned long avg[3];

	memset(&si, 0, sizeof(si));
	frame_stats(&fs);
	sched_loadavg(avg);
	/* Rounded up, as Linux does: never 0 once the system is running. */
	si.uptime = DIV_ROUND_UP(clock_monotonic_ns(), NSEC_PER_SEC);
	for (int i = 0; i < 3; i++)	/* SI_LOAD_SHIFT is 16 */
		si.loads[i] = avg[i] << (16 - LOADAVG_FSHIFT);
	si.totalram = fs.total * PAGE_SIZE;
	si.freeram = fs.free * PAGE_SIZE;
	si.procs = task_count();
	si.mem_unit = 1;
	return copy_to_user(UPTR(a0), &si, sizeof(si)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1		0xfee1dead
#define LINUX_REBOOT_CMD_RESTART	0x01234567
#define LINUX_REBOOT_CMD_HALT		0xcdef0123
#define LINUX_REBOOT_CMD_CAD_ON		0x89abcdef
#define LINUX_REBOOT_CMD_CAD_OFF	0x00000000
#define LINUX_REBOOT_CMD_POWER_OFF	0x4321fedc

SYSCALL(__NR_reboot, reboot)(SYSCALL_ARGS)
{
	unsigned m2 = a1;

	if ((unsigned)a0 != LINUX_REBOOT_MAGIC1 ||
	    (m2 != 672274793 && m2 != 85072278 && m2 != 369367448 &&
	     m2 != 537993216))
		return -EINVAL;
	switch ((unsigned)a2) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_RESTART:
		pr_notice("reboot: Restarting system");
		machine_reboot();
	case LINUX_REBOOT_CMD_HALT:
	case LINUX_REBOOT_CMD_POWER_OFF:
		pr_notice("reboot: Power down");
		machine_power_off();
	default:
		return -EINVAL;
	}
}

#define SYSLOG_ACTION_READ		2
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_READ_CLEAR	4
#define SYSLOG_ACTION_CLEAR		5
#define SYSLOG_ACTION_CONSOLE_OFF	6
#define SYSLOG_ACTION_CONSOLE_ON	7
#define SYSLOG_ACTION_CONSOLE_LEVEL	8
#define SYSLOG_ACTION_SIZE_UNREAD	9
#define SYSLOG_ACTION_SIZE_BUFFER	10

SYSCALL(__NR_syslog, syslog)(SYSCALL_ARGS)
{
	int type = (int)a0, len = (int)a2;

	switch (type) {
	case 0:
	case 1:
		return 0;		/* close, open */
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR: {
		if (len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!a1)
			return -EINVAL;
		size_t size = printk_log_size(), n = MIN((size_t)len, size);
		char *buf = kmalloc(n ? n : 1);

		if (!buf)
			return -ENOMEM;
		/* READ_ALL gives the newest @len bytes. */
		n = printk_log_read(buf, n, size - n);
		long ret = copy_to_user(UPTR(a1), buf, n) ? -EFAULT : (long)n;

		kfree(buf);
		if (ret >= 0 && type != SYSLOG_ACTION_READ_ALL)
			printk_log_clear();
		return ret;
	}
	case SYSLOG_ACTION_CLEAR:
		printk_log_clear();
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		console_set_loglevel(1);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		console_set_loglevel(7);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		console_set_loglevel(len);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return printk_log_size();
	case SYSLOG_ACTION_SIZE_BUFFER:
		return 64 * 1024;
	default:
		return -EINVAL;
	}
}

#define PR_SET_PDEATHSIG	1
#define PR_GET_PDEATHSIG	2
#define PR_GET_DUMPABLE		3
#define PR_SET_DUMPABLE		4
#define PR_SET_NAME		15
#define PR_GET_NAME		16
#define PR_GET_CHILD_SUBREAPER	37
#define PR_SET_NO_NEW_PRIVS	38
#define PR_GET_NO_NEW_PRIVS	39

SYSCALL(__NR_prctl, prctl)(SYSCALL_ARGS)
{
	char name[TASK_COMM_LEN];
	int zero = 0;

	switch ((int)a0) {
	case PR_SET_PDEATHSIG:
		if (a1 < 0 || a1 > NSIG)
			return -EINVAL;
		current->pdeath_signal = a1;
		return 0;
	case PR_GET_PDEATHSIG: {
		int sig = current->pdeath_signal;

		return put_user(sig, UPTR(a1)) ? -EFAULT : 0;
	}
	case PR_GET_DUMPABLE:
		return 1;
	case PR_SET_DUMPABLE:
		return a1 == 0 || a1 == 1 ? 0 : -EINVAL;
	case PR_SET_NAME: {
		long n = strncpy_from_user(name, UPTR(a1), sizeof(name));

		if (n == -EFAULT)
			return -EFAULT;
		if (n < 0) {	/* longer: truncated to 15, as Linux does */
			if (copy_from_user(name, UPTR(a1), sizeof(name) - 1))
				return -EFAULT;
			name[sizeof(name) - 1] = '\0';
		}
		memcpy(current->comm, name, sizeof(name));
		return 0;
	}
	case PR_GET_NAME:
		return copy_to_user(UPTR(a1), current->comm, TASK_COMM_LEN) ?
		       -EFAULT : 0;
	case PR_GET_CHILD_SUBREAPER:
	case PR_GET_NO_NEW_PRIVS:
		if ((int)a0 == PR_GET_NO_NEW_PRIVS)
			return 0;
		return put_user(zero, UPTR(a1)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_SET_GS	0x1001
#define ARCH_GET_GS	0x1004

SYSCALL(__NR_arch_prctl, arch_prctl)(SYSCALL_ARGS)
{
	switch ((int)a0) {
	case ARCH_SET_FS:
		if ((uint64_t)a1 >= USER_TOP)
			return -EPERM;
		cpu_set_fs_base(&current->cpu, a1);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->cpu.fs_base, UPTR(a1)) ? -EFAULT : 0;
	default:
		return -EINVAL;
	}
}

SYSCALL(__NR_set_tid_address, set_tid_address)(SYSCALL_ARGS)
{
	current->clear_child_tid = UPTR(a0);
	return current->pid;
}

/* The robust futex list only matters to threads, which we do not have. */
SYSCALL(__NR_set_robust_list, set_robust_list)(SYSCALL_ARGS)
{
	return a1 == 24 ? 0 : -EINVAL;
}

#define RLIM_INFINITY	(~0UL)

/*
 * init's limits, as Linux sets them: RLIMIT_NPROC and RLIMIT_SIGPENDING are
 * half of max_threads, the threads whose 16 KiB stacks would fill an
 * eighth of memory.
 */
void rlimits_init(struct rlimit64 *r)
{
	struct frame_stats st;

	frame_stats(&st);
	uint64_t threads = MAX(st.total / (8 * KSTACK_SIZE / PAGE_SIZE), 20UL) / 2;

	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i].cur = r[i].max = RLIM_INFINITY;
	r[3].cur = 8 * 1024 * 1024;		/* RLIMIT_STACK */
	r[4].cur = 0;				/* RLIMIT_CORE */
	r[6].cur = r[6].max = threads;		/* RLIMIT_NPROC */
	r[7].cur = 1024;			/* RLIMIT_NOFILE */
	r[7].max = 4096;
	r[8].cur = r[8].max = 8 * 1024 * 1024;	/* RLIMIT_MEMLOCK */
	r[11].cur = r[11].max = threads;	/* RLIMIT_SIGPENDING */
	r[12].cur = r[12].max = 819200;		/* RLIMIT_MSGQUEUE */
	r[13].cur = r[13].max = 0;		/* RLIMIT_NICE */
	r[14].cur = r[14].max = 0;		/* RLIMIT_RTPRIO */
}

static long do_prlimit(struct task *t, unsigned res, uptr_t new, uptr_t old)
{
	struct rlimit64 r;

	if (res >= RLIM_NLIMITS)
		return -EINVAL;
	if (!uptr_null(new)) {
		if (copy_from_user(&r, new, sizeof(r)))
			return -EFAULT;
		if (r.cur > r.max)
			return -EINVAL;
		if (res == 7 && r.max > 1048576)	/* fs.nr_open */
			return -EPERM;
	}
	if (!uptr_null(old) &&
	    copy_to_user(old, &CHECKED_INDEX(t->rlim, res), sizeof(r)))
		return -EFAULT;
	if (!uptr_null(new))
		CHECKED_INDEX(t->rlim, res) = r;
	return 0;
}

SYSCALL(__NR_prlimit64, prlimit64)(SYSCALL_ARGS)
{
	struct task *t = (pid_t)a0 ? task_find((pid_t)a0) : current;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	return do_prlimit(t, a1, UPTR(a2), UPTR(a3));
}

SYSCALL(__NR_getrlimit, getrlimit)(SYSCALL_ARGS)
{
	if ((unsigned long)a0 >= RLIM_NLIMITS)
		return -EINVAL;
	return copy_to_user(UPTR(a1), &CHECKED_INDEX(current->rlim, a0),
			    sizeof(struct rlimit64)) ? -EFAULT : 0;
}

SYSCALL(__NR_setrlimit, setrlimit)(SYSCALL_ARGS)
{
	if (!a1)
		return -EFAULT;
	return do_prlimit(current, a0, UPTR(a1), UPTR(0));
}

SYSCALL(__NR_getrusage, getrusage)(SYSCALL_ARGS)
{
	struct {
		int64_t utime_sec, utime_usec, stime_sec, stime_usec;
		int64_t maxrss, ixrss, idrss, isrss, minflt, majflt, nswap;
		int64_t inblock, oublock, msgsnd, msgrcv, nsignals, nvcsw, nivcsw;
	} r;
	uint64_t u, s;

	switch ((int)a0) {
	case 0:		/* RUSAGE_SELF */
	case 1:		/* RUSAGE_THREAD */
		u = current->utime_ticks;
		s = current->stime_ticks;
		break;
	case -1:	/* RUSAGE_CHILDREN */
		u = current->cutime_ticks;
		s = current->cstime_ticks;
		break;
	default:
		return -EINVAL;
	}
	memset(&r, 0, sizeof(r));
	r.utime_sec = u / HZ;
	r.utime_usec = (u % HZ) * (1000000 / HZ);
	r.stime_sec = s / HZ;
	r.stime_usec = (s % HZ) * (1000000 / HZ);
	if ((int)a0 != -1) {
		r.maxrss = current->mm ? current->mm->rss_pages * 4 : 0;
		r.minflt = current->min_flt;
	}
	return copy_to_user(UPTR(a1), &r, sizeof(r)) ? -EFAULT : 0;
}

#define PRIO_PROCESS	0
#define PRIO_PGRP	1
#define PRIO_USER	2

SYSCALL(__NR_getpriority, getpriority)(SYSCALL_ARGS)
{
	struct task *t;

	if ((unsigned)a0 > PRIO_USER)
		return -EINVAL;
	if ((int)a0 != PRIO_PROCESS)
		return 20 - current->nice;
	t = (pid_t)a1 ? task_find((pid_t)a1) : current;
	return t ? 20 - t->nice : -ESRCH;
}

SYSCALL(__NR_setpriority, setpriority)(SYSCALL_ARGS)
{
	struct task *t;
	int nice = (int)a2;

	if ((unsigned)a0 > PRIO_USER)
		return -EINVAL;
	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	if ((int)a0 != PRIO_PROCESS) {
		current->nice = nice;
		return 0;
	}
	t = (pid_t)a1 ? task_find((pid_t)a1) : current;
	if (!t)
		return -ESRCH;
	t->nice = nice;
	return 0;
}

SYSCALL(__NR_sched_yield, sched_yield)(SYSCALL_ARGS)
{
	schedule();
	return 0;
}

SYSCALL(__NR_sched_getaffinity, sched_getaffinity)(SYSCALL_ARGS)
{
	uint64_t mask = 1;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	if ((size_t)a1 < sizeof(mask) || (a1 & 7))
		return -EINVAL;
	if (clear_user(UPTR(a2), a1) || copy_to_user(UPTR(a2), &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

SYSCALL(__NR_sched_setaffinity, sched_setaffinity)(SYSCALL_ARGS)
{
	uint64_t mask;

	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	if ((size_t)a1 < sizeof(mask))
		return -EINVAL;
	if (copy_from_user(&mask, UPTR(a2), sizeof(mask)))
		return -EFAULT;
	return (mask & 1) ? 0 : -EINVAL;
}

SYSCALL(__NR_sched_getscheduler, sched_getscheduler)(SYSCALL_ARGS)
{
	if ((pid_t)a0 < 0)
		return -EINVAL;
	if ((pid_t)a0 && !task_find((pid_t)a0))
		return -ESRCH;
	return 0;	/* SCHED_OTHER */
}

SYSCALL(__NR_sched_get_priority_max, sched_get_priority_max)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)		/* SCHED_FIFO, SCHED_RR */
		return 99;
	return a0 == 0 || a0 == 3 || a0 == 5 ? 0 : -EINVAL;
}

SYSCALL(__NR_sched_get_priority_min, sched_get_priority_min)(SYSCALL_ARGS)
{
	if (a0 == 1 || a0 == 2)
		return 1;
	return a0 == 0 || a0 == 3 || a0 == 5 ? 0 : -EINVAL;
}

SYSCALL(__NR_getcpu, getcpu)(SYSCALL_ARGS)
{
	unsigned zero = 0;

	if (a0 && put_user(zero, UPTR(a0)))
		return -EFAULT;
	if (a1 && put_user(zero, UPTR(a1)))
		return -EFAULT;
	return 0;
}

SYSCALL(__NR_personality, personality)(SYSCALL_ARGS)
{
	return (unsigned)a0 == 0xffffffff || a0 == 0 ? 0 : -EINVAL;
}
