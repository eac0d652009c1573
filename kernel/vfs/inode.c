/*
 * Inode life cycle: allocation, reference counting and eviction (an
 * unused inode a filesystem can find again kept on the unused list of
 * inode_unused.c), plus the inode-number, anonymous-device and timestamp
 * sources filesystems share.
 */
#include "posix_acl.h"
#include "vfs_internal.h"
#include <kernel/vfs_ops.h>
#include <kernel/fsnotify.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <uapi/fcntl.h>
#include <kernel/page_cache.h>

static ino_t next_ino = 1;
static unsigned next_anon_minor = 1;

/*
 * A zeroed inode of @sb with refcount 1, a fresh inode number and the
 * F_SEAL_SEAL seal, or NULL when memory is short. The filesystem fills in the rest.
 */
struct inode *inode_new(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode));

	if (!inode)
		return NULL;
	inode->ino = inode_next_ino();
	inode->refcount = 1;
	inode->nlink = 1;
	inode->seals = F_SEAL_SEAL;	/* as Linux's shmem: none can be added */
	inode->sb = sb;
	inode->atime = inode->mtime = inode->ctime = current_time();
	list_init(&inode->sb_link);
	list_init(&inode->unused);
	return inode;
}

/* See include/svc/vfs.h. */
void iget(struct inode *inode)
{
	if (inode->refcount == 0) {
		KASSERT(!list_empty(&inode->unused));
		inode_unused_del(inode);
	}
	inode->refcount++;
}

/* See vfs_internal.h. */
void inode_evict(struct inode *inode)
{
	page_cache_evict(inode);
	vop_evict(inode);
	inode_forget_acls(inode);
	kfree(inode);
}

/*
 * Drop a reference (NULL is ignored). The last one keeps an inode its
 * filesystem can find again (keep_unused) that still has links on a
 * live super block, on the unused list (inode_unused.c); any other is
 * evicted: the filesystem releases its data (super_ops.evict, which
 * deletes an inode with no link left), then the inode is freed. The
 * last but its watches' ends them if it has no link left.
 */
void iput(struct inode *inode)
{
	if (!inode)
		return;
	KASSERT(inode->refcount > 0);
	if (--inode->refcount > 0) {
		if (inode->watchers)
			fsnotify_unlinked(inode, 0);
		return;
	}
	if (inode->keep_unused && inode->nlink > 0 && inode->sb &&
	    inode->sb->active) {
		inode_unused_add(inode);
		return;
	}
	inode_evict(inode);
}

/* See include/svc/vfs.h. */
void inode_copy_attr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_MODE)
		inode->mode = (inode->mode & S_IFMT) | (attr->mode & 07777);
	if (attr->valid & ATTR_UID)
		inode->uid = attr->uid;
	if (attr->valid & ATTR_GID)
		inode->gid = attr->gid;
	if (attr->valid & ATTR_ATIME)
		inode->atime = attr->atime;
	if (attr->valid & ATTR_MTIME)
		inode->mtime = attr->mtime;
	if (attr->valid & ATTR_CTIME)
		inode->ctime = attr->ctime;
}

/* A new inode number, unique for the life of the system. */
ino_t inode_next_ino(void)
{
	return next_ino++;
}

/*
 * A device number for a filesystem without a block device: major 0 as on
 * Linux, then the extra unnamed majors 144-146 once its 255 minors are
 * used. Numbers are not recycled; after ~1000 mounts they wrap around.
 */
dev_t anon_dev_alloc(void)
{
	static const unsigned majors[] = { 0, 144, 145, 146 };
	unsigned n = next_anon_minor++ % (ARRAY_SIZE(majors) * 256);

	if (n % 256 == 0)
		n = next_anon_minor++ % (ARRAY_SIZE(majors) * 256);
	return MKDEV(majors[n / 256], n % 256);
}

/* The wall-clock time now, for inode timestamps. */
struct timespec64 current_time(void)
{
	uint64_t ns = clock_boot_realtime_ns() + clock_monotonic_ns();

	return (struct timespec64){
		.sec = (int64_t)(ns / NSEC_PER_SEC),
		.nsec = (int64_t)(ns % NSEC_PER_SEC),
	};
}
