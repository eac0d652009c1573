/*
 * /proc/PID's files of the user namespace and the audit session. The
 * namespace files show the initial namespace, the only one: uid_map and
 * gid_map are its identity map, setgroups is "allow", and writing them,
 * or setgroups, is EPERM, as Linux's map_write and proc_setgroups_write
 * refuse it. loginuid and sessionid are the task's audit login uid and
 * session, printed without a newline as Linux prints them; a task sets
 * its own loginuid (audit_set_loginuid's rules), never another's.
 */
#include "procfs.h"
#include <svc/task.h>
#include <uapi/errno.h>

/* See procfs.h. */
int proc_pid_id_map_show(struct proc_buf *b, struct task *t)
{
	(void)t;
	pb_printf(b, "%10u %10u %10u\n", 0u, 0u, 4294967295u);
	return 0;
}

/* See procfs.h. */
int proc_pid_setgroups_show(struct proc_buf *b, struct task *t)
{
	(void)t;
	pb_printf(b, "allow\n");
	return 0;
}

/* See procfs.h. */
int proc_pid_userns_write(struct task *t, const char *buf, size_t len)
{
	(void)t;
	(void)buf;
	(void)len;
	return -EPERM;
}

/* See procfs.h. */
int proc_pid_sessionid_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%u", t->sessionid);
	return 0;
}

/* See procfs.h. */
int proc_pid_loginuid_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%u", t->loginuid);
	return 0;
}

/* See procfs.h: the uid in decimal; only the task itself may write. */
int proc_pid_loginuid_write(struct task *t, const char *buf, size_t len)
{
	uint64_t uid;
	int err;

	if (t != current)
		return -EPERM;
	err = proc_kstrtoull(buf, len, 10, &uid);
	if (err)
		return err;
	if (uid > AUDIT_UNSET)
		return -ERANGE;
	return audit_set_loginuid((uint32_t)uid);
}
