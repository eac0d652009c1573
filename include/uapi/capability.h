/* Capability numbers, as Linux's <linux/capability.h>. */
#pragma once

#define CAP_NET_BIND_SERVICE	10
#define CAP_NET_ADMIN		12
#define CAP_NET_RAW		13
#define CAP_SYS_PTRACE		19
#define CAP_SYS_ADMIN		21
#define CAP_SYS_NICE		23
#define CAP_WAKE_ALARM		35
#define CAP_BLOCK_SUSPEND	36
