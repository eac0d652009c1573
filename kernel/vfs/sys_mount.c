/*
 * mount(2), umount2(2) (both need CAP_SYS_ADMIN in the user namespace
 * that owns the caller's mount namespace), and the kernel's own
 * mount/mkdir/mknod/symlink helpers used at boot.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/syscall.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <kernel/pid_ns.h>
#include <aramid/string.h>

#define MS_PROPAGATION	(MS_SHARED | MS_PRIVATE | MS_SLAVE | 0x20000)

static unsigned mnt_flags_from(unsigned long ms)
{
	unsigned f = 0;

	if (ms & MS_RDONLY)
		f |= MNT_READONLY;
	if (ms & MS_NOSUID)
		f |= MNT_NOSUID;
	if (ms & MS_NODEV)
		f |= MNT_NODEV;
	if (ms & MS_NOEXEC)
		f |= MNT_NOEXEC;
	/* Linux's atime default is relatime, unless told otherwise. */
	if (ms & MS_NOATIME)
		f |= MNT_NOATIME;
	else if (!(ms & MS_STRICTATIME))
		f |= MNT_RELATIME;
	return f;
}

/*
 * Whether @m is a mount of the caller's namespace, as Linux's check_mnt;
 * not a detached one, another namespace's, or none (an nsfs file).
 */
static bool mnt_is_ours(const struct mount *m)
{
	return m && m->ns == current_mnt_ns();
}

/* Linux's may_mount: CAP_SYS_ADMIN over the caller's mount namespace. */
static bool may_mount(void)
{
	return ns_capable(ns_owner(&current_mnt_ns()->ns), CAP_SYS_ADMIN);
}

/*
 * Linux's mount_capable for a new mount of @type: the kinds a user
 * namespace may mount (FS_USERNS_MOUNT) need CAP_SYS_ADMIN in the
 * caller's user namespace (tmpfs) or in the owner of the PID namespace
 * the mount shows (proc); every other kind in the initial one. An
 * unknown kind passes, to be ENODEV.
 */
static bool mount_type_capable(const char *type)
{
	if (!fs_type_find(type))
		return true;	/* ENODEV first, as Linux's get_fs_type */
	if (!strcmp(type, "tmpfs"))
		return ns_capable(current_user_ns(), CAP_SYS_ADMIN);
	if (!strcmp(type, "proc"))
		return ns_capable(ns_owner(&current->pid_ns->ns), CAP_SYS_ADMIN);
	return capable(CAP_SYS_ADMIN);
}

/* mount(2) on kernel strings (@source, @type, @options may be NULL). */
static int do_mount(const char *source, const char *target, const char *type,
		    unsigned long flags, const char *options)
{
	unsigned mflags = mnt_flags_from(flags);
	struct path mp, src;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	/* What is mounted goes on top of what is mounted there already
	 * (Linux's lock_mount); a remount changes the mount it names. */
	err = path_lookup(AT_FDCWD, target, LOOKUP_FOLLOW |
			  (flags & (MS_REMOUNT | MS_PROPAGATION) ? 0 :
			   LOOKUP_MOUNTPOINT), &mp);
	if (err)
		return err;
	if (!may_mount()) {
		err = -EPERM;
	} else if (!mnt_is_ours(mp.mnt) && !(flags & MS_PROPAGATION)) {
		err = -EINVAL;	/* Linux's check_mnt */
	} else if (flags & MS_REMOUNT) {
		err = do_remount(&mp, mflags, flags & MS_BIND);
	} else if (flags & MS_BIND) {
		err = -EINVAL;
		if (source)
			err = path_lookup(AT_FDCWD, source, LOOKUP_FOLLOW, &src);
		if (!err) {
			/* nsfs files are not bound anywhere here */
			err = mnt_is_ours(src.mnt) ?
			      do_mount_bind(&src, &mp, mflags) : -EINVAL;
			path_put(&src);
		}
	} else if (flags & MS_PROPAGATION) {
		/* Every mount is private: there is no propagation to set. */
		err = mp.inode == mp.mnt->root ? 0 : -EINVAL;
	} else if (flags & MS_MOVE) {
		err = -EINVAL;
		if (source)
			err = path_lookup(AT_FDCWD, source, LOOKUP_FOLLOW, &src);
		if (!err) {
			err = mnt_is_ours(src.mnt) ? do_move_mount(&src, &mp) :
						     -EINVAL;
			path_put(&src);
		}
	} else if (!type) {
		err = -EINVAL;
	} else if (!mount_type_capable(type)) {
		err = -EPERM;
	} else {
		err = do_mount_new(type, source, &mp, mflags, options);
	}
	path_put(&mp);
	return err;
}

/* A kernel copy of an optional user string of at most @max bytes. */
static char *copy_opt_string(uptr_t u, size_t max, long toolong)
{
	char *s;
	long len;

	if (uptr_null(u))
		return NULL;
	s = kmalloc(max);
	if (!s)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(s, u, max);
	if (len < 0) {
		kfree(s);
		return ERR_PTR(len == -ENAMETOOLONG ? toolong : len);
	}
	return s;
}

SYSCALL(__NR_mount, mount)(SYSCALL_ARGS)
{
	char *source, *target, *type, *data;
	long err;

	source = copy_opt_string(UPTR(a0), PATH_MAX, -ENAMETOOLONG);
	if (IS_ERR(source))
		return PTR_ERR(source);
	target = getname(UPTR(a1));
	err = PTR_ERR(target);
	if (IS_ERR(target))
		goto out_free_source;
	type = copy_opt_string(UPTR(a2), PAGE_SIZE, -ENODEV);
	err = PTR_ERR(type);
	if (IS_ERR(type))
		goto out_free_target;
	data = copy_opt_string(UPTR(a4), PAGE_SIZE, -EINVAL);
	err = PTR_ERR(data);
	if (IS_ERR(data))
		goto out_free_type;
	err = do_mount(source, target, type, (unsigned long)a3, data);
	kfree(data);
out_free_type:
	kfree(type);
out_free_target:
	kfree(target);
out_free_source:
	kfree(source);
	return err;
}

SYSCALL(__NR_umount2, umount2)(SYSCALL_ARGS)
{
	unsigned flags = (unsigned)a1;
	unsigned lookup = LOOKUP_FOLLOW | LOOKUP_MOUNTPOINT;
	struct path p;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW))
		return -EINVAL;
	if (flags & UMOUNT_NOFOLLOW)
		lookup &= ~LOOKUP_FOLLOW;
	err = user_path_at(AT_FDCWD, UPTR(a0), lookup, &p);
	if (err)
		return err;
	/* Linux's can_umount, then do_umount's flag rules. */
	if (!may_mount())
		err = -EPERM;
	else if (!mnt_is_ours(p.mnt))
		err = -EINVAL;		/* Linux's check_mnt */
	else if (flags & MNT_EXPIRE)
		err = -EINVAL;		/* no expiry marks are kept */
	else
		err = do_umount(&p, flags & MNT_DETACH);
	path_put(&p);
	return err;
}

/* Mount for the kernel (boot): 0 or -errno. */
int kernel_mount(const char *source, const char *target, const char *type,
		 unsigned long flags, const char *options)
{
	return do_mount(source, target, type, flags, options);
}

/* mkdir for the kernel: 0 or -errno. */
int kernel_mkdir(const char *path, mode_t mode)
{
	return do_mkdirat(AT_FDCWD, path, mode);
}

/* mknod for the kernel: 0 or -errno. */
int kernel_mknod(const char *path, mode_t mode, dev_t rdev)
{
	return do_mknodat(AT_FDCWD, path, mode, rdev);
}

/* symlink for the kernel: 0 or -errno. */
int kernel_symlink(const char *target, const char *path)
{
	return do_symlinkat(target, AT_FDCWD, path);
}
