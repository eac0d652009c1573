/*
 * seccomp (kernel/seccomp/): a thread's system call filter, Linux's
 * strict mode or a chain of classic BPF filters shared with the threads
 * and children that inherited it. The entry hook runs only for a task
 * with SYSCALL_WORK_SECCOMP in its syscall_work (kernel/task.h). All
 * under the kernel lock, in process context.
 */
#pragma once
#include <aramid/types.h>

struct task;
struct trapframe;
struct seccomp_filter;

struct seccomp_state {
	int mode;			/* SECCOMP_MODE_*; never goes back */
	struct seccomp_filter *filter;	/* newest of the chain, a reference */
};

/*
 * At system call entry, after any ptrace stop: run current's strict
 * check or its filters on the call in @tf (number current->syscall_nr)
 * and take the action. True if the call is to run; false if it is
 * skipped, @tf's rax then holding its result. Does not return when the
 * action kills.
 */
bool seccomp_syscall_entry(struct trapframe *tf);

/* fork and clone: @c shares @p's mode and filters. */
void seccomp_fork(struct task *c, const struct task *p);
/* @t is freed: its reference to its filters goes. */
void seccomp_release(struct task *t);

/* prctl(PR_GET_SECCOMP): current's mode. */
long seccomp_prctl_get(void);
/* prctl(PR_SET_SECCOMP, @mode, @filter): 0 or -errno, as seccomp(2). */
long seccomp_prctl_set(unsigned long mode, uptr_t filter);

/* The filters of @t's chain, for /proc/PID/status's Seccomp_filters. */
unsigned seccomp_filter_count(const struct task *t);

/*
 * kernel.seccomp.actions_logged (kernel/seccomp/log.c): the names of the
 * actions logged, blank-separated, and a newline into @buf: its length
 * or -EFBIG. The store takes the first line of @len bytes, names split at
 * single blanks up to an empty one, as Linux does: 0, or -EINVAL for an
 * unknown name or "allow" (nothing changes then). The caller checks
 * CAP_SYS_ADMIN.
 */
int seccomp_actions_logged_show(char *buf, size_t size);
int seccomp_actions_logged_store(const char *buf, size_t len);
/* kernel.seccomp.actions_avail's text: every action's name. */
#define SECCOMP_ACTIONS_AVAIL	"kill_process kill_thread trap errno " \
				"user_notif trace log allow"

/*
 * PTRACE_SECCOMP_GET_FILTER: the instructions of @t's filter @off (0:
 * the oldest) into @data, unless it is NULL: their count. -EACCES if
 * current lacks CAP_SYS_ADMIN or is in seccomp itself, -EINVAL if @t is
 * not in filter mode, -ENOENT past the last, -EFAULT. @t is current's
 * tracee, stopped.
 */
long seccomp_get_filter(const struct task *t, uint64_t off, uptr_t data);
/*
 * PTRACE_SECCOMP_GET_METADATA: @size bytes (at most 16, at least 8) of
 * struct seccomp_metadata at @data, its filter_off read in, its flags
 * (SECCOMP_FILTER_FLAG_LOG) written: the size, or the errors of
 * seccomp_get_filter and -EINVAL for a short @size.
 */
long seccomp_get_metadata(const struct task *t, uint64_t size, uptr_t data);
