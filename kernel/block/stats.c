/*
 * The block devices' I/O counters (/proc/diskstats, /sys/block/.../stat):
 * every request the block layer sends to a driver goes through here and
 * is counted as Linux's blk_account_io_start/_done count it, on its
 * partition and on the whole disk; io_ticks moves, as Linux's
 * update_io_ticks, by the time since the last start or completion while
 * a read or write was in flight. Under the kernel lock.
 */
#include "blk.h"
#include <kernel/task.h>
#include <platform/printk.h>
#include <platform/time.h>

/* The whole disk @p belongs to. */
static struct blk_part *whole(struct blk_part *p)
{
	return &blk_disk_at((unsigned)p->disk->index)->part[0];
}

static void ticks_update(struct blk_part *p, uint64_t now)
{
	struct blk_io_stats *s = &p->stats;

	if (s->in_flight[0] + s->in_flight[1] && now > p->stamp)
		s->io_ticks_ns += now - p->stamp;
	p->stamp = now;
}

static void io_start(struct blk_part *p, int dir, uint64_t now)
{
	ticks_update(p, now);
	p->stats.in_flight[dir]++;
}

static void io_done(struct blk_part *p, int dir, uint32_t count,
		    uint64_t start, uint64_t now)
{
	struct blk_io_stats *s = &p->stats;

	ticks_update(p, now);
	s->in_flight[dir]--;
	s->ios[dir]++;
	s->sectors[dir] += count;
	s->nsecs[dir] += now - start;
}

int blk_io(struct blk_part *p, uint64_t sector, uint32_t count, void *buf,
	   bool write)
{
	struct blk_part *disk = whole(p);
	int dir = write ? BLK_STAT_WRITE : BLK_STAT_READ;
	uint64_t start = clock_monotonic_ns(), end;
	int err;

	/* A partition BLKPG made may reach past the disk's end. */
	if (p->start + sector + count > p->disk->capacity) {
		pr_info("%s: attempt to access beyond end of device", current->comm);
		pr_info("%s: rw=%d, sector=%llu, nr_sectors = %u limit=%llu",
			p->disk->name, write, (unsigned long long)(p->start + sector),
			count, (unsigned long long)p->disk->capacity);
		return -EIO;
	}
	io_start(p, dir, start);
	if (disk != p)
		io_start(disk, dir, start);
	err = bop_transfer(p->disk, p->start + sector, count, buf, write);
	end = clock_monotonic_ns();
	io_done(p, dir, count, start, end);
	if (disk != p)
		io_done(disk, dir, count, start, end);
	return err;
}

int blk_flush(struct blk_part *p)
{
	struct blk_part *disk = whole(p);
	uint64_t start;
	int err;

	if (!p->disk->can_flush)
		return 0;	/* no cache: Linux ends the flush unsent, uncounted */
	start = clock_monotonic_ns();
	err = bop_flush(p->disk);
	disk->stats.flushes++;
	disk->stats.flush_nsecs += clock_monotonic_ns() - start;
	return err;
}
