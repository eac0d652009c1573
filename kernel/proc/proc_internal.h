/*
 * Functions kernel/proc's files share and nothing outside it calls: the
 * end of a task's life (exit.c) reaches into task.c, fork.c, sched.c and
 * futex.c. One CPU, no kernel preemption: none takes a lock.
 */
#pragma once
#include <kernel/task.h>

/*
 * Free a reaped task: its signal state, kernel stack and the task itself,
 * unlinked from the task list (task.c). Its mm and files are already
 * released, and it must not be running on its own stack.
 */
void task_free(struct task *t);

/*
 * @t is another thread of current's process that has not exited
 * (exit.c). Kernel lock held.
 */
bool task_live_sibling(const struct task *t);
/* SIGKILL to each of those, as exit_group ends them (exit.c). */
void task_kill_siblings(void);

/*
 * Release the vfork parent waiting on @t, if any (fork.c): called when @t
 * execs (past the point of no return) or exits. Any process context.
 */
void vfork_release(struct task *t);

/*
 * Free @t, which exited and reaped itself, once the scheduler has
 * switched off its stack (sched.c). Called by @t itself, just before its
 * last schedule().
 */
void sched_defer_free(struct task *t);

/*
 * Wake up to @nr waiters on the futex at @uaddr (futex.c), private to the
 * address space or shared; exit uses it for clear_child_tid. Returns the
 * number woken, or -errno for a bad address.
 */
long futex_wake(uptr_t uaddr, int nr, bool private);

/*
 * A thread leaves its futexes (futex_robust.c), at exit and at exec
 * before its address space goes: mark the robust locks it holds
 * FUTEX_OWNER_DIED and wake a waiter of each, hand its PI locks on, and
 * forget its robust list. Current only.
 */
void futex_exit(struct task *t);

/*
 * Fork's part of the scheduling policy (sys_sched.c): with the reset flag
 * a child of a real-time or deadline task starts as SCHED_OTHER, without
 * a negative nice, and without the flag.
 */
void sched_policy_fork(struct task *child);
/*
 * Fork's part of the I/O context (sys_ioprio.c), as Linux's copy_io:
 * with @share (CLONE_IO) the child has its parent's @parent; without, a
 * new one if the parent has one and a priority set, else none.
 */
void io_context_fork(struct task *child, const struct task *parent,
		     bool share);

/*
 * Linux's can_nice (sys_nice.c): whether current may give @t nice value
 * @nice below its own, by @t's RLIMIT_NICE or CAP_SYS_NICE.
 */
bool task_can_nice(struct task *t, int nice);
/* Linux's check_same_owner: current's euid is @t's euid or real uid. */
bool task_same_owner(const struct task *t);

struct file;

/*
 * A new pidfd (pidfd.c) for the process @leader leads, refcount 1, open
 * O_RDWR plus O_NONBLOCK if @flags has it; gives @leader its pidfd_ref
 * if it has none. NULL without memory (nothing changed then).
 */
struct file *pidfd_file_new(struct task *leader, unsigned flags);
/*
 * The process of @leader has exited, all its threads (pidfd.c): wake its
 * pidfds' pollers. From the exit path, interrupts disabled.
 */
void pidfd_notify_exit(struct task *leader);
/* @t is being freed: its pidfds now refer to a reaped process (pidfd.c). */
void pidfd_detach(struct task *t);
/*
 * waitid(P_PIDFD): the pid of the process pidfd @fd refers to in *@pid
 * (-1 once it was reaped, matching no child) and whether the file is
 * O_NONBLOCK in *@nonblock (pidfd.c). 0, or -EBADF if @fd is no pidfd.
 */
int pidfd_wait_target(int fd, pid_t *pid, bool *nonblock);
/*
 * If @f is a pidfd (pidfd.c): true, and the leader of its process in
 * *@leader, NULL once reaped. False for any other file.
 */
bool pidfd_file_task(const struct file *f, struct task **leader);

/*
 * The FPU state in a signal frame (sigframe_fpu.c), for the current task.
 * sigframe_fpu_size: the bytes it takes, at a 64-byte aligned address.
 * sigframe_fpu_save: write the live state at @fp_addr; -EFAULT.
 * sigframe_fpu_restore: load the state rt_sigreturn finds at @fp_addr
 * (0: the initial state), as Linux checks it; -EFAULT or -EINVAL for a
 * bad one, which leaves the initial state.
 * sigframe_min_stack: AT_MINSIGSTKSZ, Linux's worst-case frame size.
 */
size_t sigframe_fpu_size(void);
int sigframe_fpu_save(uint64_t fp_addr);
int sigframe_fpu_restore(uint64_t fp_addr);
unsigned long sigframe_min_stack(void);

/*
 * The namespace side of clone's flag checks (kernel/proc/sys_unshare.c):
 * CLONE_NEWNS or CLONE_NEWUSER with CLONE_FS is EINVAL; without
 * CLONE_NEWUSER a namespace is EPERM without CAP_SYS_ADMIN in the
 * caller's user namespace, else EINVAL for a kind not there. 0 if none
 * is asked for.
 */
int clone_ns_check(uint64_t flags);

struct cred;
/*
 * With CLONE_NEWUSER in @flags, move credentials @c (a new task's copy)
 * into a new user namespace (user_ns_create's errors), then make the
 * other checks of clone_ns_check in it. 0 without CLONE_NEWUSER.
 */
int clone_user_ns(struct cred *c, uint64_t flags);

/*
 * With CLONE_NEWUSER in @flags, give the namespaces @flags made for @t
 * to @t's new user namespace, which owns them (they were made owned by
 * the creator's).
 */
void clone_ns_owners(struct task *t, uint64_t flags);

/*
 * Trace @t (not traced) for @tracer, a thread: seized by PTRACE_SEIZE
 * (or inherited from one), with PTRACE_O_* @options (ptrace_stop.c).
 */
void ptrace_link(struct task *t, struct task *tracer, bool seized,
		 unsigned options);
/*
 * Let tracee @t go (PTRACE_DETACH, the tracer's exit, its reaping by the
 * tracer): unlinked, and resumed with signal @sig if in a ptrace stop; a
 * thread's zombie is freed, a zombie whose process has ended is handed
 * to its parent (ptrace_stop.c).
 */
void ptrace_release(struct task *t, int sig);
/*
 * The process of zombie @leader has ended (exit_status set): its parent
 * reaps it silently, or is told (exit.c). @leader may be freed.
 */
void exit_notify_parent(struct task *leader);
