/*
 * Linux x86-64 ABI of a socket's error queue (<linux/errqueue.h>): the
 * record an IP_RECVERR control message carries, followed by the
 * offender's sockaddr, and where the error came from.
 */
#pragma once
#include <aramid/types.h>

struct sock_extended_err {
	uint32_t ee_errno;		/* the error, as errno */
	uint8_t ee_origin;		/* SO_EE_ORIGIN_* */
	uint8_t ee_type;		/* ICMP: the message's type and code */
	uint8_t ee_code;
	uint8_t ee_pad;
	uint32_t ee_info;		/* ICMP: the MTU of a fragmentation-needed */
	uint32_t ee_data;
};

#define SO_EE_ORIGIN_NONE	0
#define SO_EE_ORIGIN_LOCAL	1
#define SO_EE_ORIGIN_ICMP	2
#define SO_EE_ORIGIN_ICMP6	3
