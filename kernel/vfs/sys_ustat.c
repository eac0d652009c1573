/*
 * ustat(2), statfs's System V ancestor: the free blocks and inodes of the
 * mounted filesystem whose device number is given, as Linux's fs/statfs.c
 * reports them (EINVAL for a device no mounted filesystem has).
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

/* Linux's struct ustat on x86_64 (32 bytes with its padding). */
struct ustat {
	int32_t f_tfree;	/* __kernel_daddr_t */
	uint64_t f_tinode;	/* __kernel_ino_t */
	char f_fname[6];
	char f_fpack[6];
};
_Static_assert(sizeof(struct ustat) == 32, "struct ustat");

/* The attached mount of the filesystem on @dev, or NULL. */
static struct mount *mount_of_dev(dev_t dev)
{
	struct mount *m = NULL;

	while ((m = mnt_next(m)))
		if (m->sb->dev == dev)
			return m;
	return NULL;
}

SYSCALL(__NR_ustat, ustat)(SYSCALL_ARGS)
{
	/* Linux's new_decode_dev of the 32-bit number. */
	uint64_t udev = (uint32_t)a0;
	struct ustat u = { 0 };
	struct statfs64 st;
	struct mount *m;
	int err;

	m = dev_user_valid(udev) ? mount_of_dev(dev_from_user(udev)) : NULL;
	if (!m)
		return -EINVAL;
	err = vfs_statfs(&(struct path){ .mnt = m, .inode = m->sb->root }, &st);
	if (err)
		return err;
	/* Linux stores the 64-bit count in the 32-bit field as it is. */
	u.f_tfree = (int32_t)st.f_bfree;
	u.f_tinode = st.f_ffree;
	return copy_to_user(UPTR(a1), &u, sizeof(u)) ? -EFAULT : 0;
}
