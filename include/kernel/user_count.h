/*
 * What each user owns, counted per real uid as Linux's ucounts do: its
 * tasks (every thread, RLIMIT_NPROC), its queued signals
 * (RLIMIT_SIGPENDING) and its POSIX message queues' bytes
 * (RLIMIT_MSGQUEUE). A task holds the count of its real uid from fork to
 * reap and moves it when set*id changes that uid (kernel/cred/user_count.c).
 * Interrupts masked or process context on the one CPU.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>

struct task;

struct user_count {
	struct list_head link;
	uid_t uid;
	unsigned refs;			/* its tasks and queued signals */
	unsigned long tasks;		/* tasks counted for RLIMIT_NPROC */
	unsigned long sigpending;	/* queued, for RLIMIT_SIGPENDING */
	unsigned long mq_bytes;		/* message queues, RLIMIT_MSGQUEUE */
};

/* Charge boot's first task (init, uid 0) to root. */
void user_count_init_task(struct task *t);
/* Charge new task @c to its creator @parent's user. Cannot fail. */
void user_count_fork(struct task *c, const struct task *parent);
/* Drop reaped task @t's count (no-op if it was never charged). */
void user_count_release(struct task *t);

/*
 * Linux's RLIMIT_NPROC rule for a fork or clone by current (copy_process):
 * -EAGAIN if its real user already has RLIMIT_NPROC tasks, unless that user
 * is root or current has CAP_SYS_RESOURCE or CAP_SYS_ADMIN; else 0.
 */
int user_count_may_fork(void);
/*
 * Move current's count to real uid @uid before set*id installs it (Linux's
 * set_user and commit_creds), and mark current so that its next execve
 * fails while that user is over RLIMIT_NPROC (flag_nproc_exceeded).
 * 0, or -EAGAIN without memory for a new user; nothing changed then.
 */
int user_count_setuid(uid_t uid);
/* execve's check of that mark: -EAGAIN if still over the limit; clears it. */
int user_count_exec_check(void);

/*
 * One more queued signal charged to @u (@force: over RLIMIT_SIGPENDING
 * @limit too, as for kill()'s real-time signals); takes a reference.
 * False, with nothing taken, when the user is at @limit.
 */
bool user_sigpending_get(struct user_count *u, uint64_t limit, bool force);
/* A queued signal charged by user_sigpending_get is gone. */
void user_sigpending_put(struct user_count *u);

/*
 * A new message queue of @bytes charged to current's real user, over
 * current's RLIMIT_MSGQUEUE as Linux's mqueue_get_inode: that user with
 * a reference, or NULL (charged nothing) when the total would pass it.
 */
struct user_count *user_mq_charge(unsigned long bytes);
/* A queue charged by user_mq_charge to @u is gone. */
void user_mq_uncharge(struct user_count *u, unsigned long bytes);
