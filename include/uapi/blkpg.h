/*
 * Linux x86-64 ABI of the BLKPG ioctl (<linux/blkpg.h>): partitions
 * added, deleted and resized on a disk without its table.
 */
#pragma once
#include <aramid/types.h>

#define BLKPG	0x1269		/* _IO(0x12, 105) */

#define BLKPG_ADD_PARTITION	1
#define BLKPG_DEL_PARTITION	2
#define BLKPG_RESIZE_PARTITION	3

struct blkpg_ioctl_arg {
	int32_t op;		/* BLKPG_* */
	int32_t flags;		/* unused */
	int32_t datalen;	/* unused */
	uint64_t data;		/* a user pointer to a struct blkpg_partition */
};

struct blkpg_partition {
	int64_t start;		/* bytes */
	int64_t length;		/* bytes */
	int32_t pno;
	char devname[64];	/* unused */
	char volname[64];	/* unused */
};
