/*
 * The block device ioctls and the RWF_* flags of preadv2, pwritev2 and
 * AIO's aio_rw_flags (Linux's include/uapi/linux/fs.h).
 */
#pragma once

#define BLKROSET	0x125d	/* _IO(0x12, 93): int, CAP_SYS_ADMIN */
#define BLKROGET	0x125e	/* _IO(0x12, 94): int */
#define BLKRRPART	0x125f	/* _IO(0x12, 95): re-read the partitions */
#define BLKGETSIZE	0x1260	/* _IO(0x12, 96): unsigned long sectors */
#define BLKFLSBUF	0x1261	/* _IO(0x12, 97): flush */
#define BLKSSZGET	0x1268	/* _IO(0x12, 104): int logical block size */
#define BLKIOMIN	0x1278	/* _IO(0x12, 120): unsigned int */
#define BLKIOOPT	0x1279	/* _IO(0x12, 121): unsigned int */
#define BLKPBSZGET	0x127b	/* _IO(0x12, 123): unsigned int */
#define BLKGETSIZE64	0x80081272 /* _IOR(0x12, 114, size_t): bytes */

#define RWF_HIPRI	0x01
#define RWF_DSYNC	0x02
#define RWF_SYNC	0x04
#define RWF_NOWAIT	0x08
#define RWF_APPEND	0x10
#define RWF_SUPPORTED	(RWF_HIPRI | RWF_DSYNC | RWF_SYNC | RWF_NOWAIT | RWF_APPEND)
