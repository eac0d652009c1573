/*
 * A transfer of any length to or from a block device, cut into requests
 * of at most its disk's max_sectors (blk_io), for the callers that read
 * or write more at once: the partition scan and mounted filesystems.
 */
#include "blk.h"

int blk_transfer(struct blk_part *p, uint64_t sector, uint32_t count,
		 void *buf, bool write)
{
	uint8_t *at = buf;

	while (count) {
		uint32_t n = MIN(count, p->disk->max_sectors);
		int err = blk_io(p, sector, n, at, write);

		if (err)
			return err;
		sector += n;
		count -= n;
		at += (size_t)n << SECTOR_SHIFT;
	}
	return 0;
}
