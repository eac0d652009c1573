/*
 * /proc/partitions: every block device, disks and their partitions, with
 * its size in 1 KiB blocks, in Linux's show_partition format; and
 * /proc/diskstats, their I/O counters in Linux 6.1's diskstats_show
 * format (Documentation/admin-guide/iostats.rst's 20 fields).
 */
#include "procfs.h"
#include <svc/blkdev.h>

int proc_partitions_show(struct proc_buf *b, struct task *t)
{
	struct blk_part_info bp;

	pb_printf(b, "major minor  #blocks  name\n\n");
	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++) {
		if (bp.nr_sects == 0)
			continue;	/* as Linux: an empty device is left out */
		pb_printf(b, "%4u  %7u %10llu %s\n", bp.major, bp.minor,
			  (unsigned long long)(bp.nr_sects >> 1), bp.name);
	}
	return 0;
}

/* Nanoseconds as the milliseconds an unsigned int of Linux's shows. */
static unsigned ms(uint64_t ns)
{
	return (unsigned)(ns / 1000000);
}

int proc_diskstats_show(struct proc_buf *b, struct task *t)
{
	struct blk_part_info bp;

	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++) {
		const struct blk_io_stats *s = &bp.stats;

		if (bp.partno && bp.nr_sects == 0)
			continue;	/* as Linux: an empty partition */
		/* no merges and no discards: those fields are 0 */
		pb_printf(b, "%4u %7u %s %llu 0 %llu %u %llu 0 %llu %u %u %u %u "
			  "0 0 0 0 %llu %u\n", bp.major, bp.minor, bp.name,
			  (unsigned long long)s->ios[BLK_STAT_READ],
			  (unsigned long long)s->sectors[BLK_STAT_READ],
			  ms(s->nsecs[BLK_STAT_READ]),
			  (unsigned long long)s->ios[BLK_STAT_WRITE],
			  (unsigned long long)s->sectors[BLK_STAT_WRITE],
			  ms(s->nsecs[BLK_STAT_WRITE]),
			  s->in_flight[0] + s->in_flight[1], ms(s->io_ticks_ns),
			  ms(s->nsecs[BLK_STAT_READ] + s->nsecs[BLK_STAT_WRITE] +
			     s->flush_nsecs),
			  (unsigned long long)s->flushes, ms(s->flush_nsecs));
	}
	return 0;
}
