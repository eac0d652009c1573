/*
 * Socket control messages: SCM_RIGHTS, the passing of open files from
 * sender to receiver, and SCM_CREDENTIALS, the sender's ids. Parsing of a
 * sendmsg's control buffer (copied into the kernel), and the delivery of
 * the files as new descriptors of the receiver and of the credentials,
 * written into its control buffer as Linux lays them out.
 */
#include "unix.h"
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <svc/task.h>

#define OVERFLOW_ID	65534	/* the uid/gid of "no credentials" */

/* Add the descriptors of one SCM_RIGHTS message to *@fdsp: 0 or -errno. */
static int scm_add_rights(struct scm_fds **fdsp, const char *data,
			  size_t len)
{
	struct scm_fds *fds = *fdsp, *grown;
	unsigned have = fds ? fds->count : 0;
	unsigned n = (unsigned)(len / sizeof(int));
	int fd;

	if (!n)
		return 0;
	if (have + n > SCM_MAX_FD)
		return -EINVAL;
	grown = kmalloc(sizeof(*grown) + (have + n) * sizeof(grown->file[0]));
	if (!grown)
		return -ENOMEM;
	grown->count = have;
	if (fds)
		memcpy(grown->file, fds->file, have * sizeof(fds->file[0]));
	kfree(fds);
	*fdsp = grown;
	for (unsigned i = 0; i < n; i++) {
		memcpy(&fd, data + i * sizeof(int), sizeof(int));
		grown->file[grown->count] = fd_get(fd);
		if (!grown->file[grown->count])
			return -EBADF;
		grown->count++;
	}
	return 0;
}

/* One SCM_CREDENTIALS message, checked as Linux's __scm_send: 0 or -errno. */
static int scm_add_cred(struct scm_send *scm, const char *data, size_t len)
{
	const struct cred *c = &current->cred;
	pid_t me = task_tgid_vnr(current);
	struct task *t;
	struct ucred uc;

	if (len != sizeof(uc))
		return -EINVAL;
	memcpy(&uc, data, sizeof(uc));
	if (uc.uid == (uid_t)-1 || uc.gid == (gid_t)-1)
		return -EINVAL;
	if ((uc.pid != me && !capable(CAP_SYS_ADMIN)) ||
	    (uc.uid != c->uid && uc.uid != c->euid && uc.uid != c->suid &&
	     !capable(CAP_SETUID)) ||
	    (uc.gid != c->gid && uc.gid != c->egid && uc.gid != c->sgid &&
	     !capable(CAP_SETGID)))
		return -EPERM;
	/* Kept as the kernel's number, shown in each receiver's namespace. */
	t = uc.pid == me ? current : task_find_vpid(uc.pid);
	if (!t)
		return -ESRCH;
	uc.pid = t->tgid;
	scm->cred = uc;
	scm->has_cred = true;
	return 0;
}

/* See unix.h. Linux's rules: a malformed header is -EINVAL. */
int scm_parse(const struct sock_msg *msg, struct scm_send *out)
{
	const char *base = msg->control;
	size_t off = 0, total = msg->controllen;
	struct scm_fds *fds = NULL;
	struct cmsghdr cm;
	int err;

	while (total - off >= sizeof(cm)) {
		memcpy(&cm, base + off, sizeof(cm));
		err = -EINVAL;
		if (cm.cmsg_len < sizeof(cm) || cm.cmsg_len > total - off)
			goto err_free;
		if (cm.cmsg_level == SOL_SOCKET) {
			const char *data = base + off + sizeof(cm);
			size_t len = cm.cmsg_len - sizeof(cm);

			if (cm.cmsg_type == SCM_RIGHTS)
				err = scm_add_rights(&fds, data, len);
			else if (cm.cmsg_type == SCM_CREDENTIALS)
				err = scm_add_cred(out, data, len);
			if (err)
				goto err_free;
		}
		if (CMSG_ALIGN(cm.cmsg_len) > total - off)
			break;
		off += CMSG_ALIGN(cm.cmsg_len);
	}
	out->fds = fds;
	return 0;

err_free:
	scm_free(fds);
	return err;
}

/* See unix.h. */
struct ucred scm_msg_cred(const struct socket *sock,
			  const struct unix_sock *other,
			  const struct scm_send *scm)
{
	if (scm->has_cred)
		return scm->cred;
	if (sock->passcred || !other->sock || other->sock->passcred)
		return (struct ucred){ current->tgid, current->cred.uid,
				       current->cred.gid };
	return (struct ucred){ 0, OVERFLOW_ID, OVERFLOW_ID };
}

/* See unix.h. */
int scm_put_cred(struct sock_msg *msg, const struct ucred *cred)
{
	struct ucred c = *cred;

	c.pid = pid_vnr(cred->pid);	/* 0 if the sender is not seen */
	return sock_put_cmsg(msg, SOL_SOCKET, SCM_CREDENTIALS, &c, sizeof(c));
}

/* See unix.h. */
void scm_free(struct scm_fds *fds)
{
	if (!fds)
		return;
	for (unsigned i = 0; i < fds->count; i++)
		fput(fds->file[i]);
	kfree(fds);
}

/* See unix.h. */
struct scm_fds *scm_dup(const struct scm_fds *fds)
{
	size_t size = sizeof(*fds) + fds->count * sizeof(fds->file[0]);
	struct scm_fds *dup = kmalloc(size);

	if (!dup)
		return NULL;
	memcpy(dup, fds, size);
	for (unsigned i = 0; i < dup->count; i++)
		fget(dup->file[i]);
	return dup;
}

/* See unix.h. */
int scm_deliver(struct sock_msg *msg, struct scm_fds *fds)
{
	size_t room = msg->ucontrollen - msg->control_used;
	uptr_t cm = uptr_add(msg->ucontrol, msg->control_used);
	bool cloexec = msg->flags & MSG_CMSG_CLOEXEC;
	struct cmsghdr hdr = {
		.cmsg_level = SOL_SOCKET,
		.cmsg_type = SCM_RIGHTS,
	};
	unsigned max = 0, i;
	int err = 0, fd;

	if (uptr_null(msg->ucontrol))
		room = 0;
	if (room > sizeof(hdr))
		max = (unsigned)MIN((room - sizeof(hdr)) / sizeof(int),
				    (size_t)fds->count);
	for (i = 0; i < max; i++) {
		/* As Linux: reserve, copy the number out, then install. */
		fd = fd_reserve(0, cloexec);
		if (fd < 0)
			break;
		err = put_user(fd, uptr_add(cm, sizeof(hdr) + i * sizeof(int)));
		if (err) {
			fd_unreserve(fd);
			break;
		}
		fd_install_reserved(fd, fds->file[i]);
		fds->file[i] = NULL;	/* the descriptor holds it now */
	}
	if (i > 0) {
		hdr.cmsg_len = CMSG_LEN(i * sizeof(int));
		err = copy_to_user(cm, &hdr, sizeof(hdr));
		if (!err)
			msg->control_used += MIN(CMSG_SPACE(i * sizeof(int)),
						 room);
	}
	if (i < fds->count)
		msg->out_flags |= MSG_CTRUNC;
	for (unsigned j = i; j < fds->count; j++) {
		if (fds->file[j])
			fput(fds->file[j]);
	}
	kfree(fds);
	return err;
}
