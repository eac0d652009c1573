/*
 * Private to the network service's netlink files: the netlink socket
 * (netlink.c, the sockets and their queues) as NETLINK_ROUTE's requests
 * (rtnetlink.c) answer through it.
 */
#pragma once
#include "net.h"
#include <aramid/list.h>
#include <uapi/netlink.h>

#define NL_GOODSIZE	3776	/* Linux's NLMSG_GOODSIZE with 4 KiB pages */

struct nl_sock {
	struct socket *sock;
	struct list_head link;	/* on nl_socks */
	int protocol;
	bool bound;
	uint32_t portid;
	uint64_t groups;	/* bit n-1: group n */
	uint32_t dst_portid;	/* connect(2) */
	uint32_t dst_group;
	bool cap_ack, ext_ack, strict_chk, no_enobufs, bcast_error;
	bool all_nsid;
	size_t max_recvmsg_len;
	struct wait_queue wq;
	struct list_head rcvq;	/* struct nl_dgram */
	size_t rcv_bytes;
};

/* The caller may change the network configuration (CAP_NET_ADMIN). */
bool nl_capable(void);
/*
 * Queue @len bytes from @portid (to @group) for @ns. Kernel answers
 * (@charge false) are never refused; others are when the receive
 * buffer is full: -EAGAIN, or -ENOMEM.
 */
int nl_deliver(struct nl_sock *ns, uint32_t portid, uint32_t group,
	       const void *data, size_t len, bool charge);
/*
 * NETLINK_ROUTE's answer to the @len bytes of requests that @ns sent to
 * the kernel (port 0): replies, dumps and acknowledgements queued on @ns.
 */
void rtnl_input(struct nl_sock *ns, const uint8_t *data, size_t len);
