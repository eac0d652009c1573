/* Linux x86-64 ABI of epoll(7): <linux/eventpoll.h>. */
#pragma once
#include <aramid/types.h>

#define EPOLL_CLOEXEC	02000000	/* O_CLOEXEC */

#define EPOLL_CTL_ADD	1
#define EPOLL_CTL_DEL	2
#define EPOLL_CTL_MOD	3

/* The event bits are the POLL* bits, plus these flags. */
#define EPOLLIN		0x00000001
#define EPOLLOUT	0x00000004
#define EPOLLERR	0x00000008
#define EPOLLHUP	0x00000010
#define EPOLLEXCLUSIVE	(1U << 28)
#define EPOLLWAKEUP	(1U << 29)
#define EPOLLONESHOT	(1U << 30)
#define EPOLLET		(1U << 31)

/* x86-64 packs it: 12 bytes, the data unaligned. */
struct epoll_event {
	uint32_t events;
	uint64_t data;
} __attribute__((packed));

_Static_assert(sizeof(struct epoll_event) == 12, "struct epoll_event");
