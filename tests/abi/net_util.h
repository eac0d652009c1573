/*
 * net_util.h - what the ABI tests of sockets share: bringing lo up,
 * which the test init does not, and which is a check of its own.
 */
#pragma once
#include "check.h"
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* Set IFF_UP on lo (the check "lo up"). */
static inline void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	CHECK_OK("lo up", ioctl(fd, SIOCSIFFLAGS, &ifr));
	close(fd);
}
