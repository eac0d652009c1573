/*
 * Signals (kernel/proc/signal.c): per-task state, sending, delivery on the way
 * back to user space, and the EINTR/restart rules of blocking calls.
 */
#pragma once
#include <aramid/list.h>
#include <svc/task.h>
#include <svc/wait.h>
#include <uapi/signal.h>

struct task;
struct trapframe;

struct signal_state {
	struct k_sigaction action[NSIG];
	sigset_t blocked;
	sigset_t pending;
	siginfo_t info[NSIG];		/* the siginfo of a standard signal */
	sigset_t legacy;		/* standard signals whose info is info[] */
	/* Of those, the process-directed ones, and when each was sent. */
	sigset_t legacy_shared;
	uint64_t legacy_seq[SIGRTMIN];
	/* The user each info[] is charged to (RLIMIT_SIGPENDING), or NULL. */
	struct user_count *legacy_user[SIGRTMIN];
	struct list_head rt_queue;	/* queued signals (struct sigqueue) */
	unsigned rt_queued;
	stack_t altstack;
	sigset_t saved_mask;		/* restored after sigsuspend/ppoll */
	sigset_t waitset;		/* signals rt_sigtimedwait waits for */
	bool restore_saved_mask;
	int stop_signal;		/* the signal that stopped the task */
	bool stop_unreported;		/* a stop that wait(WUNTRACED) may see */
	bool cont_unreported;		/* a continue for wait(WCONTINUED) */
	struct wait_queue signalfd_wq;	/* signalfds polled by this task */
};

/*
 * One queued signal: allocated per send for a real-time signal, or owned
 * by its sender (a POSIX timer's, kernel/time/posix_timer.c), which may
 * queue it for any signal, once at a time, as Linux's send_sigqueue does.
 */
struct sigqueue {
	struct list_head link;		/* on rt_queue; empty when not queued */
	siginfo_t info;
	uint64_t seq;			/* when it was queued (signal.c) */
	bool shared;			/* sent to the process, not a thread */
	struct user_count *user;	/* allocated: the user charged */
	/*
	 * An owned entry: called as it leaves the queue, interrupts masked,
	 * with the siginfo about to be delivered (its owner may complete it),
	 * or NULL when it is discarded unseen. The owner may free it.
	 */
	void (*dequeued)(struct sigqueue *q, siginfo_t *info);
};

/*
 * Queue owned entry @q (q->info.si_signo set) to @t, or to a thread of
 * @t's process if @process (as send_signal_process picks). If @q is
 * already queued its si_overrun counts one more. 0; 1 if the signal is
 * ignored (not queued); -ESRCH if @t has exited. Interrupts masked.
 */
int send_sigqueue(struct task *t, struct sigqueue *q, bool process);

/* Send @sig to @t with @info (NULL: SI_USER from current). 0 or -errno. */
int send_signal(struct task *t, int sig, const siginfo_t *info);
/*
 * Send @sig to the process of @t (kill(2)): to a thread of it that does
 * not block the signal, else to its leader. 0 or -errno.
 */
int send_signal_process(struct task *t, int sig, const siginfo_t *info);
/* Send @sig to every process in process group @pgid. 0 or -ESRCH. */
int send_signal_pgrp(pid_t pgid, int sig, const siginfo_t *info);
/*
 * Linux's check_kill_permission for a signal @sig from current (a user
 * request) to @t: allowed within current's process, when current's real
 * or effective uid is @t's real or saved uid, with CAP_KILL, or for
 * SIGCONT in current's session. 0 or -EPERM.
 */
int signal_may_send(const struct task *t, int sig);
/* kill(-@pgid, @sig): send_signal_pgrp with signal_may_send's check. */
int kill_pgrp(pid_t pgid, int sig);
/* Raise a synchronous fault signal (SIGSEGV etc.) on current. */
void force_signal(int sig, int code, uint64_t addr);
/*
 * The same with siginfo @info (its si_signo the signal): one current
 * blocks or ignores is unblocked and reset to its default, as Linux's
 * force_sig_info does.
 */
void force_signal_info(const siginfo_t *info);
/*
 * The kernel could not go on delivering @sig (a frame or rseq area it
 * could not write): SIGSEGV, which kills when @sig was SIGSEGV itself.
 */
void force_sigsegv(int sig);

/* True if @sig is ignored by @t (SIG_IGN, or default-ignore). */
bool signal_ignored(struct task *t, int sig);
/* True if @sig is blocked or ignored by @t (for SIGTTOU/SIGTTIN). */
bool signal_blocked_or_ignored(struct task *t, int sig);

/*
 * On the way back to user space: deliver pending signals, setting up
 * handler frames in @tf, and finish syscall restarts. Called with
 * interrupts enabled.
 */
void signal_deliver(struct trapframe *tf);

/* rt_sigreturn: restore the frame's context into @tf; returns its rax. */
long signal_return(struct trapframe *tf);

/* Dequeue one instance of pending @sig into s->info[sig - 1]. */
void signal_take(struct signal_state *s, int sig);
/* Discard every pending instance of the signals in @mask. Interrupts masked. */
void signal_flush(struct signal_state *s, sigset_t mask);
/*
 * Dequeue the pending signal of @mask that Linux's dequeue_signal would
 * take (synchronous faults first, then the lowest), its siginfo into
 * s->info[sig - 1]: the signal, or 0 if none. Interrupts masked.
 */
int signal_dequeue(struct signal_state *s, sigset_t mask);

/*
 * PTRACE_PEEKSIGINFO's walk of @t's pending signals in the order they
 * were sent: the one after the one sent at *@after (0: the first), of
 * those sent to @t's process (@shared, on any of its threads) or to @t
 * alone, with a siginfo (not a bare SIGKILL or tracer's SIGSTOP): its
 * siginfo to *@info and *@after moved on, or false past the last.
 * Interrupts any.
 */
bool signal_peek_pending(const struct task *t, bool shared, uint64_t *after,
			 siginfo_t *info);

/* Set up / tear down a task's signal state (the real-time queue). */
void signal_state_init(struct signal_state *s);
void signal_state_release(struct signal_state *s);

/* Reset handlers to default on exec (except ignored ones). */
void signal_exec_reset(struct signal_state *s);
/* Notify the parent of @child's exit/stop/continue with SIGCHLD. */
void signal_notify_parent(struct task *child, int code, int status);
/* The same to the process of @tracee's tracer (CLD_TRAPPED, an exit). */
void signal_notify_tracer(struct task *tracee, int code, int status);
