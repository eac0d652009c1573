/*
 * Private to the memory devices (services/drivers/mem/): their service,
 * and /dev/kmsg's open (kmsg.c), which mem_devices.c picks by minor.
 */
#pragma once
#include <svc/vfs.h>

extern struct service mem_service;

/* Open /dev/kmsg (1:11) on @file: 0 or -errno, as Linux's devkmsg_open. */
int kmsg_open(struct inode *inode, struct file *file);
