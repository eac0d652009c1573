/*
 * The unused-inode list, as Linux's inode LRU: an inode whose
 * filesystem can find it again (inode->keep_unused, set by its iget)
 * stays in memory after its last reference, with its cached pages,
 * while it has links and its super block is live, so that the next
 * lookup of the file finds it, and its pages, without reading the disk.
 * There are two lists, oldest first: the inodes with cached pages, and
 * those without (which the page cache moves an inode to when its last
 * page goes); iget takes an inode off either. Unused inodes are evicted:
 * the oldest beyond a cap (an eighth of the frames, at least UNUSED_MIN)
 * at once, those without pages first; those of a super block whose last
 * mount goes (their dirty pages written back first); and those without
 * pages by drop_caches' 2 and by the page reclaimer when clean pages are
 * not enough (kernel/mm/page_reclaim.c): as on Linux since 5.16, an
 * inode's cached pages pin it until reclaim or drop_caches' 1 takes
 * them. One with dirty pages (a shared mapping's writeback that failed)
 * is passed over by all but the super block's end, and written back by
 * sync and syncfs.
 *
 * Locking: the kernel lock guards the list. Only the writebacks sleep;
 * the inode they write holds a reference meanwhile, so it is off the list
 * and nothing else evicts it.
 */
#include "vfs_internal.h"
#include <kernel/page_cache.h>
#include <platform/frame.h>
#include <platform/panic.h>

#define UNUSED_MIN		256	/* the cap's floor */
#define FRAMES_PER_UNUSED	8	/* the cap: one inode per 8 frames */
#define PRUNE_BATCH		32	/* taken off the lists per pass */

/* Oldest first: those with cached pages, and those without. */
static LIST_HEAD(unused_cached);
static LIST_HEAD(unused_empty);
static size_t nr_unused;

/* How many unused inodes may stay (the frames counted at the first use). */
static size_t unused_cap(void)
{
	static size_t cap;
	struct frame_stats st;

	if (!cap) {
		frame_stats(&st);
		cap = MAX(st.total / FRAMES_PER_UNUSED, (size_t)UNUSED_MIN);
	}
	return cap;
}

/* See vfs_internal.h. */
void inode_unused_add(struct inode *inode)
{
	size_t cap = unused_cap();

	KASSERT(inode->refcount == 0 && list_empty(&inode->unused));
	list_add_tail(&inode->unused, page_cache_count(inode) ?
		      &unused_cached : &unused_empty);
	nr_unused++;
	if (nr_unused > cap)
		inode_unused_prune(NULL, nr_unused - cap, true);
}

/* See vfs_internal.h. */
void inode_unused_del(struct inode *inode)
{
	KASSERT(nr_unused > 0);
	list_del(&inode->unused);
	list_init(&inode->unused);
	nr_unused--;
}

/* See include/kernel/vfs.h. */
void inode_unused_emptied(struct inode *inode)
{
	if (list_empty(&inode->unused))
		return;		/* being evicted */
	list_del(&inode->unused);
	list_add_tail(&inode->unused, &unused_empty);
}

/*
 * Evict up to @max inodes of @sb (any for NULL) from unused list @from,
 * oldest first, those with dirty pages passed over: how many went.
 */
static size_t prune_list(struct list_head *from, const struct super_block *sb,
			 size_t max)
{
	struct inode *inode, *next;
	size_t done = 0;

	while (done < max) {
		LIST_HEAD(batch);
		size_t n = 0;

		/* Off the list first: an evict op may reach iput again. */
		list_for_each_entry_safe(inode, next, from, unused) {
			if (n == PRUNE_BATCH || done + n == max)
				break;
			if ((sb && inode->sb != sb) ||
			    page_cache_has_dirty(inode))
				continue;
			inode_unused_del(inode);
			list_add_tail(&inode->unused, &batch);
			n++;
		}
		if (!n)
			break;
		list_for_each_entry_safe(inode, next, &batch, unused) {
			list_del(&inode->unused);
			list_init(&inode->unused);
			inode_evict(inode);
		}
		done += n;
	}
	return done;
}

/* See include/kernel/vfs.h. */
size_t inode_unused_prune(const struct super_block *sb, size_t max,
			  bool with_pages)
{
	size_t done = prune_list(&unused_empty, sb, max);

	if (with_pages && done < max)
		done += prune_list(&unused_cached, sb, max - done);
	return done;
}

/*
 * Write back @inode's dirty pages through a kernel file of its own (no
 * path: the inode is held by the caller): 0 or the first error, which
 * the next fsync sees too. Sleeps.
 */
static int write_unused(struct inode *inode)
{
	struct file *f = file_alloc(inode, NULL, O_WRONLY);
	int err;

	if (!f)
		return -ENOMEM;
	err = page_cache_writeback(f, 0, UINT64_MAX);
	fput(f);
	return err;
}

/* The oldest unused inode of @sb (any for NULL) sync pass @pass has to write. */
static struct inode *next_dirty(const struct super_block *sb, uint64_t pass)
{
	struct inode *inode;

	list_for_each_entry(inode, &unused_cached, unused)
		if ((!sb || inode->sb == sb) &&
		    page_cache_sync_pending(inode, pass))
			return inode;
	return NULL;
}

/* See include/kernel/vfs.h. */
int inode_unused_writeback(const struct super_block *sb, uint64_t pass)
{
	struct inode *inode;
	int ret = 0;

	while ((inode = next_dirty(sb, pass))) {
		int err;

		iget(inode);		/* off the list while the write sleeps */
		err = write_unused(inode);
		if (err && !ret)
			ret = err;
		iput(inode);
	}
	return ret;
}

/* See include/kernel/vfs.h. */
void inode_unused_evict_sb(struct super_block *sb)
{
	struct inode *inode;

	KASSERT(!sb->active);
	inode_unused_prune(sb, ~(size_t)0, true);
	/* What is left has dirty pages: each held while they are written,
	 * then its last iput evicts it (the super block is not active); a
	 * failed write's pages are lost, which the eviction logs. */
	for (;;) {
		struct inode *found = NULL;

		list_for_each_entry(inode, &unused_cached, unused)
			if (inode->sb == sb) {
				found = inode;
				break;
			}
		if (!found)
			break;
		iget(found);
		write_unused(found);
		iput(found);
	}
}

/* See include/kernel/vfs.h. */
size_t inode_unused_count(void)
{
	return nr_unused;
}
