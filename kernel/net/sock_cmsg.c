/*
 * Control messages into a receiver's buffer, laid out as Linux's
 * put_cmsg lays them out, for every address family: ring 1's
 * (SCM_CREDENTIALS of AF_UNIX) and the network service's (PACKET_AUXDATA,
 * IP_RECVERR), through the ring-2 API of include/svc/socket.h.
 */
#include <svc/socket.h>
#include <platform/usercopy.h>
#include <aramid/compiler.h>

/* See svc/socket.h. */
int sock_put_cmsg(struct sock_msg *msg, int level, int type,
		  const void *data, size_t len)
{
	size_t room = msg->ucontrollen - msg->control_used;
	uptr_t cm = uptr_add(msg->ucontrol, msg->control_used);
	struct cmsghdr hdr = {
		.cmsg_len = CMSG_LEN(len),
		.cmsg_level = level,
		.cmsg_type = type,
	};

	if (uptr_null(msg->ucontrol) || room < sizeof(hdr)) {
		msg->out_flags |= MSG_CTRUNC;
		return 0;
	}
	if (room < hdr.cmsg_len) {
		msg->out_flags |= MSG_CTRUNC;
		hdr.cmsg_len = room;
	}
	if (copy_to_user(cm, &hdr, sizeof(hdr)) ||
	    copy_to_user(uptr_add(cm, sizeof(hdr)), data,
			 hdr.cmsg_len - sizeof(hdr)))
		return -EFAULT;
	msg->control_used += MIN(CMSG_SPACE(len), room);
	return 0;
}
