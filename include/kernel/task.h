/*
 * Tasks (kernel/proc/task.c, fork.c, exit.c, exec.c). A task is one thread;
 * the threads of a process share its tgid (the pid of the first, the
 * group leader), address space, files and signal handlers. `current` is
 * the running task.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/lockorder.h>
#include <aramid/profile.h>
#include <platform/cpu.h>
#include <platform/kstack.h>
#include <svc/wait.h>
#include <kernel/signal.h>
#include <kernel/ptrace.h>
#include <kernel/cred.h>
#include <kernel/seccomp.h>
#include <uapi/resource.h>
#include <kernel/user_count.h>
#include <kernel/usage.h>

#define TASK_COMM_LEN	16
#define KSTACK_SIZE	KSTACK_BYTES

enum task_state {
	TASK_RUNNING,
	TASK_SLEEPING,		/* interruptible sleep */
	TASK_STOPPED,		/* job-control stop */
	TASK_ZOMBIE,
	TASK_TRACED,		/* ptrace stop: only its tracer resumes it */
};

struct mm;
struct files;
struct fs_context;
struct uts_ns;
struct ipc_ns;
struct time_ns;
struct mnt_ns;
struct pid_ns;
struct tty;
struct pidfd_ref;
struct sem_undo_list;
struct key;

/* On a vfork parent's stack: set when the child execs or exits. */
struct vfork_done {
	struct wait_queue wq;
	bool done;
};

struct rlimit64 {
	uint64_t cur, max;
};

struct task {
	struct cpu_thread cpu;		/* first: 64-byte aligned FPU area */
	void *kstack;

	pid_t pid;			/* the thread id */
	pid_t tgid;			/* the process id: the leader's pid */
	pid_t pgid;
	pid_t sid;
	struct task *parent;
	struct list_head children;	/* struct task.sibling */
	struct list_head sibling;
	struct list_head all;		/* every task, for /proc and kill(-1) */
	struct list_head run_link;	/* run queue */

	enum task_state state;
	bool need_resched;
#if CONFIG_MUTEX_CHECKS
	struct lockorder_held mutexes;	/* held (kernel/proc/mutex.c) */
#endif
	int exit_status;		/* wait status of a zombie */
	bool group_exiting;		/* leader: exit_group or fatal signal */
	bool child_subreaper;		/* leader: PR_SET_CHILD_SUBREAPER */
	int group_exit_status;		/* leader: the process's wait status */
	struct task *core_dumper;	/* leader: the thread dumping core */
	bool core_parked;		/* waits in its exit for that dump */
	struct wait_queue child_wait;	/* parent sleeps here in wait4 */
	struct vfork_done *vfork;	/* a vfork parent waits on this */
	struct pidfd_ref *pidref;	/* leader: its pidfds' target, or NULL */

	struct mm *mm;
	struct files *files;
	struct fs_context *fs;
	struct uts_ns *uts_ns;		/* its UTS namespace; NULL once exited */
	struct ipc_ns *ipc_ns;		/* its IPC namespace; likewise */
	struct time_ns *time_ns;	/* its time namespace; likewise */
	struct time_ns *time_ns_children; /* its children's; likewise */
	struct mnt_ns *mnt_ns;		/* its mount namespace; likewise */
	struct pid_ns *pid_ns;		/* its pid's namespace; until reaped */
	struct pid_ns *pid_ns_children;	/* its children's; NULL once exited */
	pid_t *ns_nr;			/* its number per level (pid_ns.h) */
	struct tty *tty;		/* controlling terminal */

	struct signal_state sig;
	struct ptrace_state ptrace;	/* kernel/ptrace.h */

	char comm[TASK_COMM_LEN];
	uint32_t umask;
	/* The process's limits: the leader's are the ones (task_rlimits). */
	struct rlimit64 rlim[RLIM_NLIMITS];
	uptr_t clear_child_tid;
	uptr_t set_child_tid;		/* written by the child as it starts */
	uptr_t robust_list;		/* set_robust_list's head, or 0 */
	int exit_signal;		/* sent to the parent on exit */

	uint64_t start_ns;		/* monotonic, at fork */
	uint64_t utime_ticks, stime_ticks;	/* the tick's samples */
	uint64_t min_flt, maj_flt;
	struct usage_split_prev split_thread;	/* RUSAGE_THREAD's last */
	/* The leader's, for its process (Linux's signal_struct): what its
	 * exited threads used, what its reaped children and theirs used,
	 * and the last split reported of the whole (kernel/usage.h). */
	struct usage dead_threads;
	struct rusage_totals reaped;
	uint64_t maxrss_kib;		/* of the mms it exec'd away from */
	struct usage_split_prev split_process;
	/* I/O through read(2) and write(2) and their kin (/proc/<pid>/io). */
	uint64_t rchar, wchar, syscr, syscw;

	/* Interval timer (ITIMER_REAL / alarm). */
	uint64_t itimer_deadline_ns;	/* 0: disarmed */
	uint64_t itimer_interval_ns;
	/* ITIMER_VIRTUAL and ITIMER_PROF: CPU time left and reload, in ns. */
	uint64_t itimer_cpu_left_ns[2];
	uint64_t itimer_cpu_interval_ns[2];
	/* POSIX timers: the leader's list is the process's (posix_timer.c). */
	struct list_head posix_timers;
	int posix_timer_next_id;

	/* Sleep deadline when sleeping with a timeout, for the tick. */
	uint64_t wake_deadline_ns;
	uint64_t vruntime;		/* CPU time received, ns (CFS-style) */
	unsigned rr_ticks;		/* of its SCHED_RR slice used (sched.c) */
	uint64_t sum_exec_ns;		/* CPU time actually run, ns */
	uint64_t nvcsw, nivcsw;		/* switches away: slept / preempted */
	uint64_t cpus_allowed;		/* sched_setaffinity's: bit i, CPU i */

	/*
	 * rseq(2) (kernel/proc/rseq.c): the registered area (0: none), its
	 * signature, and what happened since the thread last ran user code.
	 */
	uptr_t rseq;
	uint32_t rseq_sig;
	bool rseq_event;		/* switched out or signalled: restart */
	bool rseq_notify;		/* cpu_id to write before user code */

	/* System call in progress, for restarts after a signal. */
	long syscall_nr;
	bool in_syscall;
	/*
	 * The work at system call entry (kernel/syscall/syscall.c): a task
	 * with none pays one test of this word per call.
	 */
	unsigned syscall_work;
#define SYSCALL_WORK_TRACE	1u	/* PTRACE_SYSCALL: syscall stops */
#define SYSCALL_WORK_SECCOMP	2u	/* a seccomp mode is set */
	struct seccomp_state seccomp;	/* kernel/seccomp.h */
	uint64_t restart_deadline_ns;	/* restart_syscall of a sleep */
	uptr_t restart_rem;

	struct cred cred;		/* this thread's (kernel/cred/) */
	struct user_count *user;	/* its real uid's counts; NULL: none */
	bool nproc_exceeded;		/* set*id left the user over
					 * RLIMIT_NPROC: execve fails */
	struct sem_undo_list *sysvsem;	/* SEM_UNDO's, or NULL (kernel/ipc/) */
	struct list_head shm_created;	/* the segments it made (kernel/ipc/) */
	/*
	 * The key retention service's keyrings (kernel/keys/), references
	 * or NULL: this thread's, its process's (the leader's field is the
	 * one) and its session's; and request_key's default destination
	 * (KEY_REQKEY_DEFL_*).
	 */
	struct key *thread_keyring, *process_keyring, *session_keyring;
	int jit_keyring;
	bool no_new_privs;		/* PR_SET_NO_NEW_PRIVS: kept forever */
	bool did_exec;			/* setpgid on a child: EACCES */
	unsigned personality;		/* personality(2): PER_* | flags */
#define PER_CLEAR_ON_SETID	0x0740000	/* the flags a set-id exec drops:
						 * READ_IMPLIES_EXEC,
						 * ADDR_NO_RANDOMIZE,
						 * ADDR_COMPAT_LAYOUT,
						 * MMAP_PAGE_ZERO */
	int nice;
	struct task_policy {		/* sched_setattr's view (sys_sched.c) */
		int policy;		/* SCHED_* */
		unsigned priority;	/* 1..99 for SCHED_FIFO and SCHED_RR */
		bool reset_on_fork;
		uint64_t dl_runtime, dl_deadline, dl_period;	/* ns */
	} sched;
	unsigned ioprio;		/* class << 13 | data; 0: none set */
	/*
	 * The identity of Linux's io_context (sys_ioprio.c): 0 until
	 * ioprio_set makes one, shared by CLONE_IO; compared by kcmp.
	 */
	uint64_t io_context;
	int oom_score_adj;		/* leader: -1000..1000, /proc only */
	/* The audit login uid and session (/proc/PID/loginuid, sessionid):
	 * AUDIT_UNSET until a login sets them; inherited by fork. */
	uint32_t loginuid, sessionid;
	uint64_t pdeath_signal;
	/* PR_SET_TIMERSLACK's value, and what 0 resets it to (the creator's). */
	uint64_t timer_slack_ns, default_slack_ns;
	/* The thread's ioperm(2) ports (kernel/proc/sys_ioperm.c), shared
	 * after fork until one side changes them, or NULL; iopl(2)'s level. */
	struct io_ports *io_ports;
	unsigned iopl;
	bool iopl_warned;		/* its cli/sti line logged */
};

#define TIMER_SLACK_DEFAULT_NS	50000	/* Linux's, for init */

/*
 * The task running on this CPU: the owner of the kernel stack in use
 * (platform/cpu.h), so it needs no per-CPU variable and follows every
 * switch. The cast holds because the machine context comes first.
 */
_Static_assert(offsetof(struct task, cpu) == 0, "task.cpu first");
#ifndef current
#define current ((struct task *)cpu_thread_running())
#else
extern struct task *current;	/* the host unit tests' one task */
#endif

/*
 * A new task with a kernel stack and pid @pid (0: the next free one; else
 * one pid_check_free accepted), linked into the task list, not yet
 * runnable (kernel/proc/task.c; fork, and init at boot). Process
 * context. NULL without memory or pids.
 */
struct task *task_alloc(pid_t pid);
/*
 * 0 if @pid may be given to a new task (clone3's set_tid): -EINVAL
 * outside [1, pid_max), -EEXIST if a task, process group or session
 * uses it (kernel/proc/task.c).
 */
int pid_check_free(pid_t pid);
/*
 * Fill @r with init's resource limits, as Linux sets them (kernel/proc/
 * sys_resource.c; at boot, for the first task; children inherit them).
 */
void rlimits_init(struct rlimit64 *r);
/*
 * Start the first user program, @path with @argv and @envp, in current
 * (kernel/proc/exec.c; kernel_main, once). 0 or -errno.
 */
long exec_init(const char *path, const char *const argv[],
	       const char *const envp[]);
/* The task with @pid, or NULL. Does not take a reference. */
struct task *task_find(pid_t pid);
/* The leader of @t's thread group (the process; @t itself if single). */
struct task *task_leader(struct task *t);
/*
 * The resource limits of @t's process (its leader's array: one set per
 * process, as Linux keeps them in the signal struct), and the calling
 * process's soft limit @res.
 */
struct rlimit64 *task_rlimits(struct task *t);
uint64_t rlimit(int res);
/* Live (not exited) threads in @t's group other than @t. */
unsigned task_other_threads(struct task *t);
/* Exit the whole process of current with wait status @status. */
__noreturn void task_exit_group(int status);
/* Iterate over all live tasks (including zombies). */
extern struct list_head all_tasks;
#define for_each_task(t) list_for_each_entry(t, &all_tasks, all)
/* Count of tasks (for sysinfo and /proc/loadavg). */
unsigned task_count(void);
/*
 * Linux's max_threads: the tasks whose kernel stacks would fill an eighth
 * of memory (at least 20). fork and clone fail with EAGAIN beyond it.
 */
unsigned long task_max_threads(void);
/* Set that limit (kernel.threads-max, 1..MAX_THREADS, checked by the caller). */
void task_set_max_threads(unsigned long n);
/*
 * kernel.pid_max: new pids are below it, wrapping to RESERVED_PIDS
 * (Linux's bounds: PID_MAX_MIN..PID_MAX_LIMIT, checked by the writer).
 */
#define PID_MAX_DEFAULT	32768
#define RESERVED_PIDS	300
#define PID_MAX_MIN	(RESERVED_PIDS + 1)
#define PID_MAX_LIMIT	(4 * 1024 * 1024)
extern int pid_max;
/* Tasks made since boot, and the last pid handed out (/proc/stat, loadavg). */
unsigned long task_nr_forks(void);
pid_t task_last_pid(void);
/*
 * Make @pid (0..pid_max, checked by the caller) the last pid handed out,
 * as kernel.ns_last_pid's writer: the next fork tries @pid + 1 first.
 */
void task_set_last_pid(pid_t pid);
/*
 * Whether current may use I/O priority @prio, as Linux's
 * ioprio_check_cap (kernel/proc/sys_ioprio.c): 0, -EINVAL for a bad
 * class or level, -EPERM for the real-time class without CAP_SYS_NICE
 * or CAP_SYS_ADMIN.
 */
int ioprio_check(unsigned prio);

/* Scheduler (kernel/proc/sched.c). */
void schedule(void);
void sched_make_runnable(struct task *t);
/*
 * If @t runs on another CPU, interrupt that CPU so that @t enters the
 * kernel and finds what changed for it (a signal). Interrupts masked.
 */
void sched_kick(struct task *t);
/*
 * The task CPU @cpu (< cpu_online_count()) runs now: its idle thread
 * when it has nothing else. Kernel lock held.
 */
struct task *sched_cpu_task(unsigned cpu);
/*
 * sched_setaffinity: @t may run only on the CPUs of @mask (non-empty,
 * online ones); if it runs elsewhere now it moves at once, before it
 * runs user code again. Process context.
 */
void sched_set_allowed(struct task *t, uint64_t mask);
void sched_add_new(struct task *t);
/*
 * kernel.sched_rr_timeslice_ms, and setting it: SCHED_RR's slice becomes
 * @ms rounded up to whole ticks; @ms <= 0 restores the 100 ms default,
 * which the knob then reads (as Linux 6.1.y). Process context.
 */
int sched_rr_timeslice_ms(void);
void sched_set_rr_timeslice_ms(int ms);
/* SCHED_RR's slice in ticks (at least 1). Any context. */
unsigned sched_rr_timeslice_ticks(void);
/*
 * The time @t has run, in ns, its slice running now included (Linux's
 * task_sched_runtime). Interrupts any.
 */
uint64_t sched_runtime_ns(const struct task *t);
/* Tasks runnable now, for /proc/loadavg. */
unsigned sched_nr_running(void);
/* Context switches since boot, for /proc/stat's ctxt. */
uint64_t sched_nr_switches(void);
/* The ticks since boot by what the CPU ran, for /proc/stat and uptime. */
struct cpu_times {
	uint64_t user, nice, system, idle;
};
void sched_cpu_times(struct cpu_times *c);
/* The same for CPU @cpu (< cpu_online_count()) alone. */
void sched_cpu_times_of(unsigned cpu, struct cpu_times *c);
/* Load averages over 1, 5, 15 minutes, fixed point with 11 bits. */
void sched_loadavg(unsigned long avg[3]);
#define LOADAVG_FSHIFT	11
/* Called on a tick: account, preempt, wake timed sleepers, itimers. */
void sched_tick(bool user);
/*
 * ITIMER_VIRTUAL / ITIMER_PROF: one tick of @t's CPU time
 * (kernel/time/time.c).
 */
void itimer_cpu_tick(struct task *t, bool user);
/* Start the scheduler with @first as the current task. */
void sched_init(struct task *first);
/*
 * Start the other CPUs the firmware lists, each on an idle thread of its
 * own (kernel/proc/sched.c). Boot, once, before init runs.
 */
void sched_start_cpus(void);
/*
 * A kernel thread named @name running @fn(@arg) on its own stack, with no
 * user space and no pid (like the idle thread, it is not in the task
 * list): it is scheduled like any task and sleeps on wait queues. Returns
 * it, or NULL without memory. @fn must never return.
 */
struct task *kthread_start(const char *name, void (*fn)(void *), void *arg);
/* Sleep about @ticks timer ticks, not interruptible by signals. */
void sched_sleep_ticks(unsigned ticks);

/* Exit the current task with wait status @status. */
__noreturn void task_exit(int status);

/* The task's user register frame (top of its kernel stack). */
static inline struct trapframe *task_frame(struct task *t)
{
	return cpu_thread_frame(&t->cpu);
}

/* signal_pending() for @t: an unblocked signal, or a tracer's interrupt. */
static inline bool task_signal_pending(const struct task *t)
{
	return (t->sig.pending & ~t->sig.blocked) != 0 || t->ptrace.interrupt;
}

/*
 * Process groups and sessions (kernel/proc/task.c). A zombie stays a
 * member until it is reaped, as on Linux: the pipeline's first process
 * may have exited before the shell gives its group the terminal.
 */
bool pgrp_exists(pid_t pgid);
bool pgrp_in_session(pid_t pgid, pid_t sid);
