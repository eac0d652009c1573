/*
 * The wrappers through which the block layer calls a disk's driver
 * (include/svc/blkdev.h): every call crosses the service boundary here,
 * presenting the token add_disk minted for the disk
 * (include/kernel/svc_dispatch.h decides how, by profile).
 */
#include <kernel/blkdev.h>

#define block_device_ops_table(disk)	((disk)->ops)
#define block_device_ops_cap(disk)	((disk)->cap)

SVC_WRAPPERS(BLOCK_DEVICE_OPS, block_device_ops)
