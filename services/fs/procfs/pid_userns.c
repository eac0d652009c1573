/*
 * /proc/PID's files of the user namespace and the audit session.
 * uid_map, gid_map and projid_map show the maps of the task's user
 * namespace, their lower ids as the reader's namespace names them
 * (Linux's uid_m_show: "%10u %10u %10u" lines; the initial namespace's
 * is the identity map of every id), and take one write each by Linux's
 * rules (kernel/ns/user_ns_map.c); setgroups reads "allow" or "deny".
 * The writer's own namespace stands for the opener's (Linux's
 * file->f_cred). loginuid and sessionid are the task's audit login uid
 * and session, printed without a newline as Linux prints them; a task
 * sets its own loginuid (audit_set_loginuid's rules), never another's.
 */
#include "procfs.h"
#include <svc/task.h>
#include <uapi/capability.h>
#include <uapi/errno.h>

static int map_show(struct proc_buf *b, struct task *t, enum id_map_kind k)
{
	struct id_extent e;

	for (unsigned i = 0;
	     user_ns_map_line(t->cred.user_ns, k, current_user_ns(), i, &e); i++)
		pb_printf(b, "%10u %10u %10u\n", e.first, e.lower_first, e.count);
	return 0;
}

/* See procfs.h. */
int proc_pid_uid_map_show(struct proc_buf *b, struct task *t)
{
	return map_show(b, t, ID_MAP_UID);
}

/* See procfs.h. */
int proc_pid_gid_map_show(struct proc_buf *b, struct task *t)
{
	return map_show(b, t, ID_MAP_GID);
}

/* See procfs.h. */
int proc_pid_projid_map_show(struct proc_buf *b, struct task *t)
{
	return map_show(b, t, ID_MAP_PROJID);
}

/* See procfs.h: @buf is the write_max copy, NUL-terminated. */
int proc_pid_uid_map_write(struct task *t, const char *buf, size_t len)
{
	(void)len;
	return user_ns_map_write(t->cred.user_ns, ID_MAP_UID, (char *)buf);
}

/* See procfs.h. */
int proc_pid_gid_map_write(struct task *t, const char *buf, size_t len)
{
	(void)len;
	return user_ns_map_write(t->cred.user_ns, ID_MAP_GID, (char *)buf);
}

/* See procfs.h. */
int proc_pid_projid_map_write(struct task *t, const char *buf, size_t len)
{
	(void)len;
	return user_ns_map_write(t->cred.user_ns, ID_MAP_PROJID, (char *)buf);
}

/* See procfs.h. */
int proc_pid_setgroups_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, t->cred.user_ns->setgroups_allowed ? "allow\n" : "deny\n");
	return 0;
}

/*
 * See procfs.h: CAP_SYS_ADMIN in the namespace (EACCES without, which
 * Linux answers at open), then Linux's proc_setgroups_write.
 */
int proc_pid_setgroups_write(struct task *t, const char *buf, size_t len)
{
	struct user_ns *ns = t->cred.user_ns;

	if (!ns_capable(ns, CAP_SYS_ADMIN))
		return -EACCES;
	return user_ns_setgroups_write(ns, buf, len);
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
