/*
 * The block device files (/dev/vda, /dev/vda1, ...), as Linux's
 * block/fops.c serves them without its page cache: reads and writes go
 * to the disk through a bounce buffer, whole sectors at a time (a write
 * that covers part of a sector reads the sector first), inside the
 * partition's bounds; lseek, fsync and the block ioctls. A ring-1 object:
 * the driver is called through blk_io and blk_flush (stats.c).
 */
#include "blk.h"
#include <kernel/vfs.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/fcntl.h>
#include <uapi/fs.h>
#include <uapi/blkpg.h>

#define BOUNCE_MAX	(64 * 1024)	/* the most one chunk moves */

static uint64_t part_bytes(const struct blk_part *p)
{
	return p->nr_sects << SECTOR_SHIFT;
}

static int bdev_open(struct inode *inode, struct file *file)
{
	struct blk_part *p = blk_part_by_dev(inode->rdev);

	if (!p)
		return -ENXIO;
	p->openers++;
	file->priv = p;
	return 0;
}

static void bdev_release(struct file *file)
{
	struct blk_part *p = file->priv;

	p->openers--;
}

/* Sectors one chunk of @p's disk may move. */
static uint32_t chunk_sectors(const struct blk_part *p)
{
	return MIN(p->disk->max_sectors, BOUNCE_MAX >> SECTOR_SHIFT);
}

/* @count sectors from @sector of partition @p, to or from @buf. */
static int part_transfer(struct blk_part *p, uint64_t sector, uint32_t count,
			 void *buf, bool write)
{
	return blk_io(p, sector, count, buf, write);
}

/*
 * The piece of a transfer at byte @pos with @left bytes to go that one
 * chunk of @chunk sectors moves: its first sector, where in that sector
 * it starts, and its length.
 */
struct piece {
	uint64_t sector;
	size_t off, len;
};

static struct piece piece_at(off_t pos, uint64_t left, uint32_t chunk)
{
	struct piece pc = {
		.sector = (uint64_t)pos >> SECTOR_SHIFT,
		.off = (size_t)pos & (SECTOR_SIZE - 1),
	};

	pc.len = MIN(left, ((size_t)chunk << SECTOR_SHIFT) - pc.off);
	return pc;
}

/* The sectors @len bytes from @off in a first sector touch. */
static uint32_t sectors_of(size_t off, size_t len)
{
	return (uint32_t)((off + len + SECTOR_SIZE - 1) >> SECTOR_SHIFT);
}

/* What a call that moved @done bytes before failing with @err returns. */
static ssize_t done_or(size_t done, int err)
{
	return done ? (ssize_t)done : err;
}

/*
 * One piece of a read: the disk's sectors into @buf, then out to @uio.
 * @moved: the bytes the caller got. 0 or the error that stopped it.
 */
static int read_piece(struct blk_part *p, const struct piece *pc,
		      uint8_t *buf, struct uio *uio, size_t *moved)
{
	size_t before = uio->resid;
	int err = part_transfer(p, pc->sector, sectors_of(pc->off, pc->len),
				buf, false);

	if (!err)
		err = uiomove_exact(buf + pc->off, pc->len, uio);
	*moved = before - uio->resid;
	return err;
}

/*
 * Fill the bytes of @buf (the @count sectors from @sector) outside
 * [@off, @off + @n) with the disk's, for a write of part of a sector.
 */
static int fill_edges(struct blk_part *p, uint64_t sector, uint32_t count,
		      uint8_t *buf, size_t off, size_t n)
{
	size_t end = off + n, tail = end & (SECTOR_SIZE - 1);
	uint8_t *sec;
	int err = 0;

	if (off == 0 && tail == 0)
		return 0;
	sec = kmalloc(SECTOR_SIZE);
	if (!sec)
		return -ENOMEM;
	if (off) {
		err = part_transfer(p, sector, 1, sec, false);
		if (!err)
			memcpy(buf, sec, off);
	}
	if (!err && tail) {
		err = part_transfer(p, sector + count - 1, 1, sec, false);
		if (!err)
			memcpy(buf + end, sec + tail, SECTOR_SIZE - tail);
	}
	kfree(sec);
	return err;
}

/*
 * One piece of a write: what @uio gives (all of the piece unless it
 * faults) into @buf, completed to whole sectors from the disk, and out.
 * @moved: the bytes written, 0 if the disk failed. 0 or the error.
 */
static int write_piece(struct blk_part *p, const struct piece *pc,
		       uint8_t *buf, struct uio *uio, size_t *moved)
{
	size_t before = uio->resid;
	int fault = uiomove_exact(buf + pc->off, pc->len, uio);
	size_t n = before - uio->resid;
	uint32_t count = sectors_of(pc->off, n);
	int err = 0;

	if (n)
		err = fill_edges(p, pc->sector, count, buf, pc->off, n);
	if (n && !err)
		err = part_transfer(p, pc->sector, count, buf, true);
	*moved = err ? 0 : n;
	return err ? err : fault;
}

/*
 * Move @left bytes (> 0, within the partition) at *@pos between @file's
 * partition and @uio, a bounce chunk at a time, stopping at a pending
 * signal once some moved. The bytes moved, or the first chunk's error.
 */
static ssize_t bdev_transfer(struct file *file, struct uio *uio, off_t *pos,
			     uint64_t left, bool write)
{
	struct blk_part *p = file->priv;
	uint32_t chunk = chunk_sectors(p);
	uint8_t *buf = kmalloc((size_t)chunk << SECTOR_SHIFT);
	size_t done = 0;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	while (left && !err && !(done && signal_pending())) {
		struct piece pc = piece_at(*pos, left, chunk);
		size_t moved;

		err = write ? write_piece(p, &pc, buf, uio, &moved)
			    : read_piece(p, &pc, buf, uio, &moved);
		done += moved;
		*pos += (off_t)moved;
		left -= moved;
	}
	kfree(buf);
	return done_or(done, err);
}

static ssize_t bdev_read(struct file *file, struct uio *uio, off_t *pos)
{
	uint64_t size = part_bytes(file->priv);

	if ((uint64_t)*pos >= size || uio->resid == 0)
		return 0;
	return bdev_transfer(file, uio, pos,
			     MIN(uio->resid, size - (uint64_t)*pos), false);
}

/*
 * As Linux's blkdev_write_iter: EPERM on a read-only device, ENOSPC at
 * or past the end, a short write up to it.
 */
static ssize_t bdev_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct blk_part *p = file->priv;
	uint64_t size = part_bytes(p);

	if (part_ro(p))
		return -EPERM;
	if (uio->resid == 0)
		return 0;
	if ((uint64_t)*pos >= size)
		return -ENOSPC;
	return bdev_transfer(file, uio, pos,
			     MIN(uio->resid, size - (uint64_t)*pos), true);
}

static int bdev_fsync(struct file *file)
{
	struct blk_part *p = file->priv;

	return blk_flush(p);
}

static long put_u64(uptr_t arg, uint64_t v)
{
	return copy_to_user(arg, &v, sizeof(v));
}

static long put_int(uptr_t arg, int v)
{
	return copy_to_user(arg, &v, sizeof(v));
}

static long bdev_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	struct blk_part *p = file->priv;
	int n;

	switch (cmd) {
	case BLKGETSIZE64:
		return put_u64(arg, part_bytes(p));
	case BLKGETSIZE:
		return put_u64(arg, p->nr_sects);	/* unsigned long */
	case BLKSSZGET:
	case BLKPBSZGET:
	case BLKIOMIN:
		return put_int(arg, SECTOR_SIZE);
	case BLKIOOPT:
		return put_int(arg, 0);
	case BLKROGET:
		return put_int(arg, part_ro(p));
	case BLKROSET:
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		if (copy_from_user(&n, arg, sizeof(n)))
			return -EFAULT;
		p->ro = n != 0;
		return 0;
	case BLKFLSBUF:		/* no cache to drop: the flush is all */
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		return bdev_fsync(file);
	case BLKRRPART:
		if (!capable(CAP_SYS_ADMIN))
			return -EACCES;
		if (p->partno)
			return -EINVAL;
		return blk_reread(blk_disk_at((unsigned)p->disk->index));
	case BLKPG:
		return blk_pg_ioctl(p, arg);
	default:
		return -ENOTTY;
	}
}

off_t blkdev_llseek(struct file *f, off_t off, int whence)
{
	const struct blk_part *p = f->priv;
	off_t size = (off_t)part_bytes(p), pos;

	switch (whence) {
	case SEEK_SET:
		pos = off;
		break;
	case SEEK_CUR:
		if (__builtin_add_overflow(f->pos, off, &pos))
			return -EINVAL;
		break;
	case SEEK_END:
		if (__builtin_add_overflow(size, off, &pos))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (pos < 0 || pos > size)
		return -EINVAL;
	return pos;
}

const struct file_ops blkdev_fops = {
	.open = bdev_open,
	.release = bdev_release,
	.read = bdev_read,
	.write = bdev_write,
	.ioctl = bdev_ioctl,
	.fsync = bdev_fsync,
};
