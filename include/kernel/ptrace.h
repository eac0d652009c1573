/*
 * ptrace(2) (kernel/proc/ptrace*.c): a task's tracing state, and the
 * hooks where the rest of kernel/proc reports to the tracer. A traced
 * task stops in TASK_TRACED; its tracer sees the stop through wait4 and
 * waitid and resumes it with a request. Every hook is for current, in
 * process context with the kernel lock held, unless it says otherwise.
 */
#pragma once
#include <aramid/list.h>
#include <uapi/signal.h>

struct task;
struct trapframe;

/* A debug-register slot as ptrace set it (Linux's ptrace_bps[i]). */
struct ptrace_hwbp {
	uint64_t addr;
	uint8_t len;			/* DR7's LEN field: 0 1 3 2 = 1 2 4 8 */
	uint8_t type;			/* DR7's R/W field: 0 exec, 1 w, 3 rw */
	bool used;			/* a DR write set it up: checked since */
	bool enabled;
};

/* What PEEKUSER and POKEUSER see of u_debugreg (ptrace_debugreg.c). */
struct ptrace_debugregs {
	struct ptrace_hwbp bp[4];
	uint64_t dr6;			/* the last #DB's causes (DR6_*) */
	uint64_t dr7;			/* as POKEUSER last wrote it */
};

struct ptrace_state {
	struct task *tracer;		/* the tracing thread; NULL: none */
	struct list_head tracees;	/* a tracer's: ptrace_state.link */
	struct list_head link;		/* on the tracer's tracees */
	bool seized;			/* PTRACE_SEIZE, not ATTACH/TRACEME */
	bool singlestep;		/* PTRACE_SINGLESTEP set RFLAGS.TF */
	bool interrupt;			/* an event stop to take (INTERRUPT) */
	bool stop_unreported;		/* a ptrace stop wait has not seen */
	bool has_siginfo;		/* the stop has a siginfo */
	bool listening;			/* PTRACE_LISTEN */
	bool cont_notify;		/* SIGCONT came in the stop: LISTEN
					 * wakes it to trap again */
	unsigned options;		/* PTRACE_O_* */
	int stop_code;			/* the stop's signal | event << 8 */
	int resume_sig;			/* the signal the tracer resumed with */
	uint64_t message;		/* PTRACE_GETEVENTMSG's */
	siginfo_t siginfo;		/* the stop's, for GETSIGINFO */
	/* Kept across a detach, as Linux keeps them; exec drops them. */
	struct ptrace_debugregs debug;
};

/* Is @t traced? (Interrupts any.) */
#define task_traced(t)	((t)->ptrace.tracer != NULL)

/* A new task's tracing state: none (task.c). */
void ptrace_state_init(struct ptrace_state *p);

/*
 * Signal-delivery stop: current, traced, dequeued @sig with its siginfo
 * in *@info; it stops for its tracer. Returns the signal to deliver (the
 * one the tracer resumed with, *@info updated to its siginfo), or 0 when
 * suppressed or requeued because blocked.
 */
int ptrace_signal(int sig, siginfo_t *info);
/* A job-control stop by @sig of a traced current: a ptrace group-stop. */
void ptrace_group_stop(int sig);
/*
 * SIGCONT for @t, seized and in a ptrace stop: the group stop ends, so
 * a listening @t wakes to trap again (PTRACE_EVENT_STOP), and another
 * does once LISTEN is asked (Linux's JOBCTL_TRAP_NOTIFY). Interrupts
 * masked.
 */
void ptrace_continued(struct task *t);
/* The event stop of PTRACE_INTERRUPT, if one is asked for. */
void ptrace_take_interrupt(void);

/*
 * The system call stops of PTRACE_SYSCALL (kernel/syscall/syscall.c).
 * entry: returns false if the call is to be skipped (the tracer set
 * orig_rax to -1, or SIGKILL came); @tf's rax then holds its result.
 */
bool ptrace_syscall_entry(struct trapframe *tf);
void ptrace_syscall_exit(struct trapframe *tf);

/*
 * PTRACE_EVENT_@event stop with GETEVENTMSG's @msg, if the tracer asked
 * for the event with its option. True if current stopped.
 */
bool ptrace_event(int event, uint64_t msg);

/*
 * Is current traced by a tracer without CAP_SYS_PTRACE? Then an exec
 * gains no privilege (Linux's LSM_UNSAFE_PTRACE without a capable
 * tracer).
 */
bool ptrace_exec_unsafe(void);
/* exec succeeded (exec.c): the EXEC event, or a plain SIGTRAP. */
void ptrace_exec(pid_t old_pid);

/*
 * fork: the event (PTRACE_EVENT_FORK/VFORK/CLONE) that @child, made by
 * current with @flags (CLONE_*) and @exit_signal, is traced for, and
 * that trace set up on @child (not yet runnable); 0 if none.
 */
int ptrace_fork(struct task *child, uint64_t flags, int exit_signal);

/*
 * The debug registers (ptrace_debugreg.c). fork: child @c starts with
 * @p's DR6 and DR7 words but no breakpoint, as Linux's copy_thread;
 * exec: current's are cleared.
 */
void ptrace_debugregs_fork(struct task *c, const struct task *p);
void ptrace_debugregs_exec(void);
/*
 * A user-mode #DB of current, @tf's error word holding DR6: the causes
 * for PEEKUSER's DR6 (a single step, ptrace's enabled breakpoints), RF
 * set past an instruction breakpoint, and SIGTRAP for a step (TRAP_TRACE),
 * a breakpoint (TRAP_HWBKPT) or int1 (TRAP_BRKPT), si_addr the rip.
 */
void ptrace_debug_trap(struct trapframe *tf);

/*
 * Thread @t is exiting (exit.c): its tracees are let go (SIGKILL with
 * EXITKILL). As a tracee it stays linked: its tracer waits for its end.
 * Interrupts any.
 */
void ptrace_exit(struct task *t);

/*
 * Unlink tracee @t from its tracer, with no other change (task_free,
 * a reaped zombie). Interrupts any.
 */
void ptrace_unlink(struct task *t);
