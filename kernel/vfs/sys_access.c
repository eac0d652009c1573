/*
 * access, faccessat and faccessat2 as Linux's do_faccessat: the check is
 * made with the real uid and gid (unless AT_EACCESS), root's real id
 * keeping its permitted capabilities and anyone else's none
 * (access_override_creds); X_OK is refused on a noexec mount, and W_OK
 * of a file a write could change on a read-only mount is EROFS. Also
 * the kernel's check of init's path at boot (kernel_eaccess).
 */
#include "vfs_internal.h"
#include <kernel/cred.h>
#include <kernel/syscall.h>
#include <kernel/task.h>

/* What access_override_creds changes, to put back afterwards. */
struct saved_ids {
	uid_t fsuid;
	gid_t fsgid;
	kernel_cap_t cap_effective;
};

/*
 * Save what access_revert puts back; with @real, make the calling task's
 * credentials the real ids' (Linux's rule).
 */
static void access_override(struct saved_ids *s, bool real)
{
	struct cred *c = &current->cred;

	*s = (struct saved_ids){ c->fsuid, c->fsgid, c->cap_effective };
	if (!real)
		return;
	c->fsuid = c->uid;
	c->fsgid = c->gid;
	if (!(c->securebits & SECBIT(SECURE_NO_SETUID_FIXUP)))
		c->cap_effective = c->uid == 0 ? c->cap_permitted : 0;
}

static void access_revert(const struct saved_ids *s)
{
	struct cred *c = &current->cred;

	c->fsuid = s->fsuid;
	c->fsgid = s->fsgid;
	c->cap_effective = s->cap_effective;
}

/* The checks on the resolved @p: 0 or -errno. */
static int access_check(const struct path *p, int mask)
{
	const struct inode *inode = p->inode;
	int err;

	if ((mask & MAY_EXEC) && S_ISREG(inode->mode) && path_noexec(p))
		return -EACCES;
	err = inode_permission(inode, mask);
	if (err || !(mask & MAY_WRITE))
		return err;
	if (S_ISCHR(inode->mode) || S_ISBLK(inode->mode) ||
	    S_ISFIFO(inode->mode) || S_ISSOCK(inode->mode))
		return 0;
	return mnt_want_write(p->mnt);
}

static long do_faccessat(int dfd, uptr_t name, long mode, unsigned flags)
{
	unsigned lookup = LOOKUP_FOLLOW;
	struct saved_ids saved;
	struct path p;
	long err;

	if (mode & ~(long)(F_OK | R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_SYMLINK_NOFOLLOW)
		lookup = 0;
	if (flags & AT_EMPTY_PATH)
		lookup |= LOOKUP_EMPTY;
	access_override(&saved, !(flags & AT_EACCESS));
	err = user_path_at(dfd, name, lookup, &p);
	if (!err) {
		/* R_OK, W_OK and X_OK are MAY_READ, MAY_WRITE and MAY_EXEC. */
		err = access_check(&p, (int)mode);
		path_put(&p);
	}
	access_revert(&saved);
	return err;
}

SYSCALL(__NR_access, access)(SYSCALL_ARGS)
{
	return do_faccessat(AT_FDCWD, UPTR(a0), a1, 0);
}

SYSCALL(__NR_faccessat, faccessat)(SYSCALL_ARGS)
{
	return do_faccessat((int)a0, UPTR(a1), a2, 0);
}

SYSCALL(__NR_faccessat2, faccessat2)(SYSCALL_ARGS)
{
	return do_faccessat((int)a0, UPTR(a1), a2, (unsigned)a3);
}

/* See include/kernel/vfs.h. */
int kernel_eaccess(const char *path)
{
	struct path p;
	int err = path_lookup(AT_FDCWD, path, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = access_check(&p, MAY_EXEC);
	path_put(&p);
	return err;
}
