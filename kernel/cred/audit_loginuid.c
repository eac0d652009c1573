/*
 * The audit login uid, as Linux's kernel/auditsc.c keeps it without an
 * audit daemon: /proc/PID/loginuid names who logged in to the session a
 * task descends from (login and sshd write it), and each setting starts
 * a new session id (/proc/PID/sessionid). Unset, a task may set it once;
 * set, a change needs CAP_AUDIT_CONTROL. Process context.
 */
#include <kernel/task.h>
#include <svc/task.h>
#include <uapi/errno.h>

/* The last session id handed out; never AUDIT_UNSET. */
static uint32_t session_id;

/* See include/svc/task.h. */
int audit_set_loginuid(uint32_t loginuid)
{
	uint32_t sessionid = AUDIT_UNSET;

	if (current->loginuid != AUDIT_UNSET && !capable(CAP_AUDIT_CONTROL))
		return -EPERM;
	if (loginuid != AUDIT_UNSET) {
		sessionid = ++session_id;
		if (sessionid == AUDIT_UNSET)
			sessionid = ++session_id;
	}
	current->loginuid = loginuid;
	current->sessionid = sessionid;
	return 0;
}
