/*
 * File handles: name_to_handle_at and open_by_handle_at, as Linux's
 * fs/fhandle.c. A handle is the filesystem's (super_ops encode_fh and
 * fh_to_inode); ring 1 keeps the system calls' rules: the flags, the
 * sizes (MAX_HANDLE_SZ, EOVERFLOW with the size needed), the mount id,
 * CAP_DAC_READ_SEARCH to open one, and the mount it is opened on.
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <kernel/vfs_ops.h>
#include <platform/usercopy.h>
#include <svc/task.h>

#define MAX_HANDLE_SZ	128

/* struct file_handle's fixed part; f_handle's bytes follow it. */
struct file_handle {
	uint32_t handle_bytes;
	int32_t handle_type;
};

struct file_handle_buf {
	struct file_handle h;
	uint32_t fh[MAX_HANDLE_SZ / 4];
};

/*
 * Write the handle of @p to user @uh, the size @uh offers (no more than
 * MAX_HANDLE_SZ, else EINVAL), and its mount id to @umnt: 0, or
 * -EOPNOTSUPP (no export support), -EOVERFLOW (too small: the size
 * needed and FILEID_INVALID written), -EFAULT.
 */
static int handle_encode(const struct path *p, uptr_t uh, uptr_t umnt)
{
	struct file_handle_buf kb = { 0 };
	struct file_handle uhdr;
	int len = MAX_HANDLE_SZ / 4;
	int type, mnt_id, err = 0;
	size_t out;

	type = vop_encode_fh(p->inode, kb.fh, &len);
	if (type < 0)
		return type;
	if (copy_from_user(&uhdr, uh, sizeof(uhdr)))
		return -EFAULT;
	if (uhdr.handle_bytes > MAX_HANDLE_SZ)
		return -EINVAL;
	kb.h.handle_bytes = (uint32_t)len * 4;
	kb.h.handle_type = type;
	out = kb.h.handle_bytes;
	if (type == FILEID_INVALID || (uint32_t)len > uhdr.handle_bytes / 4) {
		kb.h.handle_type = FILEID_INVALID;
		out = 0;
		err = -EOVERFLOW;
	}
	mnt_id = p->mnt ? p->mnt->id : 0;
	if (put_user(mnt_id, umnt) ||
	    copy_to_user(uh, &kb, sizeof(kb.h) + out))
		return -EFAULT;
	return err;
}

SYSCALL(__NR_name_to_handle_at, name_to_handle_at)(SYSCALL_ARGS)
{
	int flags = (int)a4;
	unsigned lookup;
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	lookup = (flags & AT_SYMLINK_FOLLOW) ? LOOKUP_FOLLOW : 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	err = user_path_at((int)a0, UPTR(a1), lookup, &p);
	if (err)
		return err;
	err = handle_encode(&p, UPTR(a2), UPTR(a3));
	path_put(&p);
	return err;
}

/*
 * Into *@out, the mount @mount_fd is on (AT_FDCWD: the cwd's; NULL for
 * a pipe or socket) with a reference: 0, or -EBADF (no descriptor, or
 * an O_PATH one, as Linux's fdget).
 */
static int handle_mount(int mount_fd, struct mount **out)
{
	struct file *f;

	if (mount_fd == AT_FDCWD) {
		*out = current_fs()->cwd.mnt;
	} else {
		f = fd_get_io(mount_fd);
		if (!f)
			return -EBADF;
		*out = f->path.mnt;
		fput(f);
	}
	if (*out)
		mnt_get(*out);
	return 0;
}

/*
 * The path user handle @uh names on the mount of @mount_fd, with
 * references: 0, -EPERM (no CAP_DAC_READ_SEARCH), -EFAULT, -EINVAL (a
 * size of 0 or above MAX_HANDLE_SZ), -EBADF, -ESTALE (no such inode
 * there, or a filesystem without export support).
 */
static int handle_to_path(int mount_fd, uptr_t uh, struct path *out)
{
	struct file_handle_buf kb;
	struct path m;
	int err;

	if (!capable(CAP_DAC_READ_SEARCH))
		return -EPERM;
	if (copy_from_user(&kb.h, uh, sizeof(kb.h)))
		return -EFAULT;
	if (kb.h.handle_bytes == 0 || kb.h.handle_bytes > MAX_HANDLE_SZ)
		return -EINVAL;
	if (copy_from_user(kb.fh, uptr_add(uh, sizeof(kb.h)),
			   kb.h.handle_bytes))
		return -EFAULT;
	m.inode = NULL;
	err = handle_mount(mount_fd, &m.mnt);
	if (err)
		return err;
	if (m.mnt)
		err = vop_fh_to_inode(m.mnt->sb, kb.fh,
				      (int)(kb.h.handle_bytes / 4),
				      kb.h.handle_type, &m.inode);
	else
		err = -ESTALE;
	if (err) {
		path_put(&m);
		return err;
	}
	*out = m;
	return 0;
}

/*
 * Open @p, a non-directory under a name its filesystem finds for it
 * (for /proc's links; by none if it has no link left).
 */
static struct file *handle_open(const struct path *p, unsigned flags)
{
	char name[NAME_MAX + 1];
	struct path dir = { p->mnt, NULL };
	struct file *f;

	if (S_ISDIR(p->inode->mode) ||
	    vop_get_name(p->inode, &dir.inode, name))
		return vfs_open_path(p, NULL, NULL, flags);
	f = vfs_open_path(p, &dir, name, flags);
	iput(dir.inode);
	return f;
}

SYSCALL(__NR_open_by_handle_at, open_by_handle_at)(SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a2;
	struct file *f;
	struct path p;
	int fd, err;

	err = handle_to_path((int)a0, UPTR(a1), &p);
	if (err)
		return err;
	fd = fd_reserve(0, flags & O_CLOEXEC);
	if (fd < 0) {
		path_put(&p);
		return fd;
	}
	f = handle_open(&p, flags);
	path_put(&p);
	if (IS_ERR(f)) {
		fd_unreserve(fd);
		return PTR_ERR(f);
	}
	fd_install_reserved(fd, f);
	return fd;
}
