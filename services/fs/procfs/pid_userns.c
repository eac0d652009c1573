/*
 * /proc/PID's files of the user namespace and the audit session, as the
 * initial namespace shows them: there is only that one, so uid_map and
 * gid_map are its identity map, setgroups is "allow", and no audit
 * session is ever set (sessionid is AUDIT_SID_UNSET). The maps of the
 * initial namespace are fixed: writing them, or setgroups, is EPERM, as
 * Linux's map_write and proc_setgroups_write refuse it.
 */
#include "procfs.h"
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
	(void)t;
	pb_printf(b, "%u", 4294967295u);
	return 0;
}
