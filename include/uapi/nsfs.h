/*
 * Linux's nsfs ioctls (<linux/nsfs.h>) on a namespace file, and the
 * filesystem's magic.
 */
#pragma once

#define NSFS_MAGIC		0x6e736673
#define NS_GET_USERNS		0xb701	/* _IO(0xb7, 1) */
#define NS_GET_PARENT		0xb702	/* _IO(0xb7, 2) */
#define NS_GET_NSTYPE		0xb703	/* _IO(0xb7, 3) */
#define NS_GET_OWNER_UID	0xb704	/* _IO(0xb7, 4) */
