/*
 * What a service may ask of the task it runs for (a service runs only in
 * process context, in a system call or a kernel thread): who it is, what
 * it may do, whether a signal waits, and the one signal a service raises
 * itself. Implemented in ring 1 (kernel/cred/cred_query.c,
 * kernel/proc/signal.c).
 */
#pragma once
#include <aramid/types.h>
#include <uapi/capability.h>

/*
 * Whether the calling task has capability @cap (CAP_NET_RAW, ...) in its
 * effective set, as Linux's capable().
 */
bool capable(int cap);

struct task;

/* Which of the caller's ids ptrace_may_access compares. */
#define PTRACE_MODE_FSCREDS	1	/* the filesystem ids (/proc) */
#define PTRACE_MODE_REALCREDS	2	/* the real ids */
/*
 * And what the caller means to do, as Linux names it: look (READ) or
 * read and change (ATTACH). Without a security module (Yama judges
 * ATTACH alone) Linux asks the same of both, and so does Aramid.
 */
#define PTRACE_MODE_READ	4
#define PTRACE_MODE_ATTACH	8

/*
 * Linux's ptrace_may_access (kernel/proc/ptrace_access.c): true if the
 * calling task may inspect @t: @t is in its own process, or the caller's
 * uid and gid (filesystem or real ones by @mode) are all of @t's real,
 * effective and saved ids and @t is dumpable, or it has CAP_SYS_PTRACE.
 */
bool ptrace_may_access(const struct task *t, unsigned mode);

/* An audit login uid or session id that was never set. */
#define AUDIT_UNSET	4294967295u

/*
 * Linux's audit_set_loginuid (kernel/cred/audit_loginuid.c): make
 * @loginuid (AUDIT_UNSET clears it) the calling task's login uid, with a
 * new session id (or none, when clearing). Once set, changing it needs
 * CAP_AUDIT_CONTROL: 0 or -EPERM.
 */
int audit_set_loginuid(uint32_t loginuid);

/* The calling task's thread-group id (its process id). */
pid_t current_tgid(void);

/* The calling task's name (its comm), NUL-terminated, into @buf. */
#define CURRENT_COMM_LEN	16
void current_comm(char buf[CURRENT_COMM_LEN]);

/* True if the calling task has a signal pending that is not blocked. */
bool signal_pending(void);

/*
 * Linux's EPIPE rule for a write to a pipe or stream socket with no
 * reader: when @err is -EPIPE, raise SIGPIPE on the calling thread unless
 * @nosignal (MSG_NOSIGNAL). Returns @err.
 */
long sigpipe_on_epipe(long err, bool nosignal);
