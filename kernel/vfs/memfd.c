/*
 * memfd_create(2), as Linux 6.1's: an unlinked regular file (mode 0777,
 * no link) in the kernel's own tmpfs instance (Linux's shm_mnt, made by
 * the first call and kept), open for reading and writing, which /proc
 * names "/memfd:NAME (deleted)". It takes seals only if made with
 * MFD_ALLOW_SEALING (else it keeps F_SEAL_SEAL). MFD_HUGETLB is refused
 * with ENOSYS, as by a Linux built without hugetlbfs: there are no huge
 * pages here.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

#define MFD_CLOEXEC		0x0001U
#define MFD_ALLOW_SEALING	0x0002U
#define MFD_HUGETLB		0x0004U
#define MFD_ALL_FLAGS		(MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_HUGETLB)
#define MFD_HUGE_BITS		(0x3fU << 26)	/* a huge page size's log */
#define MFD_PREFIX		"memfd:"
#define MFD_PREFIX_LEN		(sizeof(MFD_PREFIX) - 1)
#define MFD_NAME_MAX		(NAME_MAX - MFD_PREFIX_LEN)	/* 249 */

static struct mount *shm_mnt;

/* The flags Linux takes: size bits only beside MFD_HUGETLB. */
static bool memfd_flags_valid(unsigned flags)
{
	if (flags & MFD_HUGETLB)
		return !(flags & ~(MFD_ALL_FLAGS | MFD_HUGE_BITS));
	return !(flags & ~MFD_ALL_FLAGS);
}

/* "memfd:" and the user's name into @buf: 0, -EFAULT or -EINVAL. */
static int memfd_name(uptr_t uname, char *buf)
{
	long len;

	memcpy(buf, MFD_PREFIX, MFD_PREFIX_LEN);
	len = strncpy_from_user(buf + MFD_PREFIX_LEN, uname, MFD_NAME_MAX + 1);
	if (len == -ENAMETOOLONG)
		return -EINVAL;
	return len < 0 ? (int)len : 0;
}

/* The memfd file for @name: a file with one reference or an ERR_PTR. */
static struct file *memfd_file(const char *name, unsigned flags)
{
	struct path dir;
	struct file *f;

	if (flags & MFD_HUGETLB)
		return ERR_PTR(-ENOSYS);
	if (!shm_mnt) {
		struct mount *m = kern_mount("tmpfs");

		if (IS_ERR(m))
			return ERR_PTR(PTR_ERR(m));
		shm_mnt = m;
	}
	dir = (struct path){ shm_mnt, shm_mnt->root };
	/* O_EXCL: never linkable, as Linux's memfd. */
	f = vfs_tmpfile(&dir, 0777, O_RDWR | O_LARGEFILE | O_EXCL, name);
	if (!IS_ERR(f) && (flags & MFD_ALLOW_SEALING))
		f->inode->seals &= ~F_SEAL_SEAL;
	return f;
}

SYSCALL(__NR_memfd_create, memfd_create)(SYSCALL_ARGS)
{
	char name[MFD_PREFIX_LEN + MFD_NAME_MAX + 1];
	unsigned flags = (unsigned)a1;
	struct file *f;
	int fd, err;

	if (!memfd_flags_valid(flags))
		return -EINVAL;
	err = memfd_name(UPTR(a0), name);
	if (err)
		return err;
	fd = fd_reserve(0, flags & MFD_CLOEXEC);
	if (fd < 0)
		return fd;
	f = memfd_file(name, flags);
	if (IS_ERR(f)) {
		fd_unreserve(fd);
		return PTR_ERR(f);
	}
	fd_install_reserved(fd, f);
	return fd;
}
