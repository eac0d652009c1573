/*
 * /proc/partitions: every block device, disks and their partitions, with
 * its size in 1 KiB blocks, in Linux's show_partition format.
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
