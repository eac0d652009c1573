/*
 * Linux x86-64 ABI of the socket system calls: address families, socket
 * types and flags, MSG_* flags, SOL_SOCKET options, and the layouts of
 * struct msghdr, struct cmsghdr, struct ucred and struct sockaddr_un.
 */
#pragma once
#include <aramid/types.h>

typedef uint16_t sa_family_t;

#define AF_UNSPEC	0
#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	10
#define AF_NETLINK	16
#define AF_PACKET	17
#define AF_MAX		46	/* families are below this (NPROTO) */

#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_RDM	4
#define SOCK_SEQPACKET	5
#define SOCK_MAX	11	/* types are below this */
#define SOCK_TYPE_MASK	0xf
#define SOCK_NONBLOCK	00004000	/* O_NONBLOCK */
#define SOCK_CLOEXEC	02000000	/* O_CLOEXEC */

#define MSG_OOB		0x1
#define MSG_PEEK	0x2
#define MSG_DONTROUTE	0x4
#define MSG_CTRUNC	0x8
#define MSG_TRUNC	0x20
#define MSG_DONTWAIT	0x40
#define MSG_EOR		0x80
#define MSG_WAITALL	0x100
#define MSG_ERRQUEUE	0x2000
#define MSG_NOSIGNAL	0x4000
#define MSG_MORE	0x8000
#define MSG_WAITFORONE	0x10000		/* recvmmsg: MSG_DONTWAIT after one */
#define MSG_CMSG_CLOEXEC 0x40000000
#define MSG_CMSG_COMPAT	0x80000000	/* 32-bit callers only: refused */

#define SHUT_RD		0
#define SHUT_WR		1
#define SHUT_RDWR	2

#define SOL_SOCKET	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_OOBINLINE	10
#define SO_PRIORITY	12
#define SO_LINGER	13
#define SO_REUSEPORT	15
#define SO_PASSCRED	16
#define SO_PEERCRED	17
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO	20	/* struct timeval (x86-64: SO_RCVTIMEO_OLD) */
#define SO_SNDTIMEO	21
#define SO_BINDTODEVICE	25	/* an interface name */
#define SO_ATTACH_FILTER 26	/* a classic BPF program (struct sock_fprog) */
#define SO_DETACH_FILTER 27
#define SO_ACCEPTCONN	30
#define SO_SNDBUFFORCE	32	/* SO_SNDBUF past net.core.wmem_max: CAP_NET_ADMIN */
#define SO_RCVBUFFORCE	33
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

#define SCM_RIGHTS	1
#define SCM_CREDENTIALS	2	/* struct ucred */
#define SCM_MAX_FD	253	/* descriptors in one SCM_RIGHTS message */

#define SOMAXCONN	4096	/* net.core.somaxconn: the backlog ceiling */

typedef uint32_t socklen_t;

/* The largest address any family takes (struct sockaddr_storage). */
#define SOCKADDR_STORAGE_SIZE	128

#define UNIX_PATH_MAX	108
struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[UNIX_PATH_MAX];
};
#define SUN_PATH_OFFSET	2	/* offsetof(struct sockaddr_un, sun_path) */

/* SO_ATTACH_FILTER's classic BPF program. */
struct sock_fprog {
	uint16_t len;		/* instructions (struct sock_filter, 8 bytes) */
	uint16_t __pad[3];
	uint64_t filter;	/* user address of the instructions */
};
_Static_assert(sizeof(struct sock_fprog) == 16, "sock_fprog layout");
#define BPF_MAXINSNS		4096
#define SOCK_FILTER_SIZE	8
#define BPF_RET			0x06	/* the class of a return instruction */

struct linger {
	int32_t l_onoff;
	int32_t l_linger;
};

struct ucred {
	int32_t pid;
	uint32_t uid;
	uint32_t gid;
};

/* struct msghdr as user space lays it out (pointers as addresses). */
struct user_msghdr {
	uint64_t msg_name;
	int32_t msg_namelen;
	uint32_t __pad0;
	uint64_t msg_iov;
	uint64_t msg_iovlen;
	uint64_t msg_control;
	uint64_t msg_controllen;
	int32_t msg_flags;
	uint32_t __pad1;
};

struct cmsghdr {
	uint64_t cmsg_len;	/* header and data, before alignment */
	int32_t cmsg_level;
	int32_t cmsg_type;
};

#define CMSG_ALIGN(len)	(((len) + sizeof(uint64_t) - 1) & \
			 ~(sizeof(uint64_t) - 1))
#define CMSG_LEN(len)	(sizeof(struct cmsghdr) + (len))
#define CMSG_SPACE(len)	(sizeof(struct cmsghdr) + CMSG_ALIGN(len))

_Static_assert(sizeof(struct sockaddr_un) == 110, "sockaddr_un layout");
/* sendmmsg and recvmmsg's vector entry: the header and its byte count. */
struct user_mmsghdr {
	struct user_msghdr msg_hdr;
	uint32_t msg_len;
	uint32_t __pad;
};

_Static_assert(sizeof(struct user_msghdr) == 56, "msghdr layout");
_Static_assert(sizeof(struct user_mmsghdr) == 64, "mmsghdr layout");
_Static_assert(sizeof(struct cmsghdr) == 16, "cmsghdr layout");
_Static_assert(sizeof(struct ucred) == 12, "ucred layout");
