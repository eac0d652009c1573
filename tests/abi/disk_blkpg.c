/*
 * disk_blkpg: the BLKPG ioctl (partx, addpart, delpart, resizepart,
 * parted) as Linux 6.1's blkpg_do_ioctl takes it, on the disk suite's
 * vdi (tests/mkdisk.py's gpt.img: 4096 sectors of pattern, partitions 1
 * at 64-1087 and 3 at 2048-4031): partitions added, resized and deleted
 * without a table, their nodes and /proc/partitions lines, and the
 * refusals (a partition's fd, a bad number, an unaligned start, an
 * overlap, one in use, no such partition, no CAP_SYS_ADMIN, a bad
 * pointer). BLKRRPART puts the table's partitions back at the end.
 */
#include "check.h"
#include "disk_util.h"
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define BLKPG		0x1269
#define BLKPG_ADD_PARTITION	1
#define BLKPG_DEL_PARTITION	2
#define BLKPG_RESIZE_PARTITION	3

struct blkpg_ioctl_arg {
	int op;
	int flags;
	int datalen;
	void *data;
};

struct blkpg_partition {
	long long start;	/* bytes */
	long long length;	/* bytes */
	int pno;
	char devname[64];
	char volname[64];
};

/* BLKPG @op on @fd for partition @pno, sectors @start and @len: the
 * ioctl's result, errno kept. */
static int blkpg(int fd, int op, int pno, long long start, long long len)
{
	struct blkpg_partition p = { .start = start * SECTOR,
				     .length = len * SECTOR, .pno = pno };
	struct blkpg_ioctl_arg a = { .op = op, .datalen = sizeof(p),
				     .data = &p };

	return ioctl(fd, BLKPG, &a);
}

static void test_refusals(int fd)
{
	struct blkpg_partition p = { .start = 1100 * SECTOR,
				     .length = 100 * SECTOR, .pno = 5 };
	struct blkpg_ioctl_arg a = { .op = BLKPG_ADD_PARTITION,
				     .datalen = sizeof(p), .data = &p };
	int part = open("/dev/vdi1", O_RDONLY), status = -1;
	pid_t pid;

	CHECK_ERR("BLKPG on a partition EINVAL",
		  blkpg(part, BLKPG_ADD_PARTITION, 5, 1100, 100), EINVAL);
	close(part);
	CHECK_ERR("partition number 0 EINVAL",
		  blkpg(fd, BLKPG_ADD_PARTITION, 0, 1100, 100), EINVAL);
	CHECK_ERR("partition number -1 EINVAL",
		  blkpg(fd, BLKPG_DEL_PARTITION, -1, 0, 0), EINVAL);
	CHECK_ERR("an unknown op EINVAL", blkpg(fd, 9, 5, 1100, 100), EINVAL);
	p.start = 1100 * SECTOR + 1;
	CHECK_ERR("a start not on a sector EINVAL", ioctl(fd, BLKPG, &a),
		  EINVAL);
	p.start = 1100 * SECTOR;
	p.length = 100 * SECTOR + 1;
	CHECK_ERR("a length not of whole sectors EINVAL", ioctl(fd, BLKPG, &a),
		  EINVAL);
	CHECK_ERR("a length of 0 EINVAL",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, 1100, 0), EINVAL);
	CHECK_ERR("a negative start EINVAL",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, -8, 100), EINVAL);
	CHECK_ERR("a negative length EINVAL",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, 1100, -8), EINVAL);
	p.start = 0x7ffffffffffffe00LL;
	p.length = 0x400;
	CHECK_ERR("start + length overflowing EINVAL", ioctl(fd, BLKPG, &a),
		  EINVAL);
	CHECK_ERR("overlapping partition 3 EBUSY",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, 2000, 100), EBUSY);
	CHECK_ERR("overlapping partition 1 EBUSY",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, 1000, 100), EBUSY);
	CHECK_ERR("a number taken (1) EBUSY",
		  blkpg(fd, BLKPG_ADD_PARTITION, 1, 1100, 100), EBUSY);
	CHECK_ERR("deleting no such partition ENXIO",
		  blkpg(fd, BLKPG_DEL_PARTITION, 6, 0, 0), ENXIO);
	CHECK_ERR("resizing no such partition ENXIO",
		  blkpg(fd, BLKPG_RESIZE_PARTITION, 6, 1100, 10), ENXIO);
	CHECK_ERR("the argument unreadable EFAULT",
		  ioctl(fd, BLKPG, (void *)8), EFAULT);
	a.data = (void *)8;
	CHECK_ERR("the partition unreadable EFAULT", ioctl(fd, BLKPG, &a),
		  EFAULT);
	pid = fork();
	if (pid == 0) {
		if (setuid(1000))
			_exit(2);
		_exit(blkpg(fd, BLKPG_ADD_PARTITION, 5, 1100, 100) == -1 &&
		      errno == EACCES ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK("without CAP_SYS_ADMIN EACCES",
	      WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_add_resize_del(int fd)
{
	int part;

	CHECK_OK("partition 6 past the disk's end",
		 blkpg(fd, BLKPG_ADD_PARTITION, 6, 4040, 500));
	CHECK_EQ("/proc/partitions: vdi6 as asked, 250 blocks",
		 proc_partition_blocks("vdi6"), 250);
	CHECK_OK("delete it", blkpg(fd, BLKPG_DEL_PARTITION, 6, 0, 0));
	CHECK_OK("add partition 5 at 1100, 500 sectors",
		 blkpg(fd, BLKPG_ADD_PARTITION, 5, 1100, 500));
	CHECK_EQ("/proc/partitions: vdi5 250 blocks",
		 proc_partition_blocks("vdi5"), 250);
	check_node("/dev/vdi5", 133, 1);
	check_partition("/dev/vdi5", 1100, 500);
	CHECK_ERR("adding it again EBUSY",
		  blkpg(fd, BLKPG_ADD_PARTITION, 5, 1700, 100), EBUSY);
	CHECK_OK("resize it to 900 sectors",
		 blkpg(fd, BLKPG_RESIZE_PARTITION, 5, 1100, 900));
	check_partition("/dev/vdi5", 1100, 900);
	CHECK_ERR("resizing over partition 3 EBUSY",
		  blkpg(fd, BLKPG_RESIZE_PARTITION, 5, 1100, 1000), EBUSY);
	CHECK_ERR("resizing with another start EINVAL",
		  blkpg(fd, BLKPG_RESIZE_PARTITION, 5, 1200, 100), EINVAL);
	part = open("/dev/vdi5", O_RDONLY);
	CHECK_OK("open vdi5", part);
	CHECK_ERR("deleting it while open EBUSY",
		  blkpg(fd, BLKPG_DEL_PARTITION, 5, 0, 0), EBUSY);
	close(part);
	CHECK_OK("delete it", blkpg(fd, BLKPG_DEL_PARTITION, 5, 0, 0));
	CHECK_EQ("/proc/partitions: no vdi5", proc_partition_blocks("vdi5"),
		 -1);
	check_node("/dev/vdi5", 133, 0);
	CHECK_OK("delete partition 3", blkpg(fd, BLKPG_DEL_PARTITION, 3, 0, 0));
	check_node("/dev/vdi3", 131, 0);
	CHECK_OK("add partition 2 where 3 was",
		 blkpg(fd, BLKPG_ADD_PARTITION, 2, 2048, 1984));
	check_partition("/dev/vdi2", 2048, 1984);
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");
	int fd;

	TEST_BEGIN("disk_blkpg");
	CHECK("DISK_BOOT is 1 or 2 (run by the disk suite)",
	      b && (atoi(b) == 1 || atoi(b) == 2));
	fd = open("/dev/vdi", O_RDONLY);
	CHECK_OK("open /dev/vdi", fd);
	test_refusals(fd);
	test_add_resize_del(fd);
	CHECK_OK("BLKRRPART puts the table's partitions back",
		 ioctl(fd, BLKRRPART, 0));
	CHECK_EQ("/proc/partitions: vdi1 again", proc_partition_blocks("vdi1"),
		 512);
	CHECK_EQ("/proc/partitions: no vdi2", proc_partition_blocks("vdi2"), -1);
	check_node("/dev/vdi3", 131, 1);
	close(fd);
	return TEST_END();
}
