/*
 * Host unit test of the partition scan (kernel/block/part_scan.c,
 * part_efi.c, part_mbr.c, crc32.c), built by tests/host/run_part.sh under
 * AddressSanitizer and UBSan: a GPT disk in memory gives its partitions,
 * with and without `gpt`; an MBR disk its primary and logical ones, the
 * chain of extended boot records followed as Linux follows it, loops
 * included; then seeded random damage to the GPT's protective MBR,
 * headers and entries (with the CRCs made right again or not) and to the
 * MBR's records must never read outside the disk or the buffers, and
 * every partition found must lie inside the disk with a device number.
 */
#include "../../kernel/block/blk.h"
#include <kernel/boot.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <aramid/string.h>
#include "host_check.h"

void *calloc(size_t n, size_t size);
void free(void *p);
int dprintf(int fd, const char *fmt, ...);

#define SECTORS		4096
#define LAST		(SECTORS - 1)

static uint8_t image[SECTORS * SECTOR_SIZE];
static struct gendisk gd = {
	.name = "vdt", .minors = 16, .capacity = SECTORS, .max_sectors = 128,
};
static struct blk_disk disk;
static const char *cmdline = "";
static long log_lines;

void *kmalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(const void *p)
{
	free((void *)p);
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}

void printk(int level, const char *fmt, ...)
{
	log_lines++;
}

const char *kernel_cmdline(void)
{
	return cmdline;
}

struct blk_disk *blk_disk_at(unsigned i)
{
	return i == 0 ? &disk : NULL;
}



/* The scan's only way to the disk: inside it, reads only. */
int blk_io(struct blk_part *p, uint64_t sector, uint32_t count, void *buf,
	   bool write)
{
	EXPECT(!write && p == &disk.part[0]);
	EXPECT(count >= 1 && count <= gd.max_sectors);
	EXPECT(sector < SECTORS && count <= SECTORS - sector);
	if (write || sector >= SECTORS || count > SECTORS - sector)
		return -EIO;
	memcpy(buf, image + sector * SECTOR_SIZE, (size_t)count * SECTOR_SIZE);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint8_t *sec(uint64_t lba)
{
	return image + lba * SECTOR_SIZE;
}

static void fix_header(uint64_t lba)
{
	uint8_t *h = sec(lba);

	put32(h + 88, ~crc32_le(~0u, sec(h[72] | (uint64_t)h[73] << 8), 128 * 128));
	put32(h + 16, 0);
	put32(h + 16, ~crc32_le(~0u, h, 92));
}

static void header(uint64_t lba, uint64_t alt, uint64_t entries)
{
	uint8_t *h = sec(lba);

	memset(h, 0, SECTOR_SIZE);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x10000);
	put32(h + 12, 92);
	put64(h + 24, lba);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, SECTORS - 34);
	h[56] = 0x41;
	put64(h + 72, entries);
	put32(h + 80, 128);
	put32(h + 84, 128);
	fix_header(lba);
}

/* A GPT: partitions 1 (64-1087) and 3 (2048-4031), primary and backup. */
static void make_gpt(void)
{
	uint8_t e[128 * 128];

	memset(image, 0xa5, sizeof(image));
	memset(sec(0), 0, SECTOR_SIZE);
	sec(0)[0x1be + 4] = 0xee;
	put32(sec(0) + 0x1be + 8, 1);
	put32(sec(0) + 0x1be + 12, LAST);
	sec(0)[510] = 0x55;
	sec(0)[511] = 0xaa;
	memset(e, 0, sizeof(e));
	e[0] = 0xaf;
	for (int i = 0; i < 16; i++)	/* its unique GUID */
		e[16 + i] = (uint8_t)(0x10 + i);
	for (int i = 0; i < 6; i++)	/* its name, UTF-16LE: "al\x7fh\xe9!" */
		e[56 + 2 * i] = (uint8_t)"al\x7fh\xe9!"[i];
	e[56 + 1] = 0x04;		/* a unit above 0xff keeps its low byte */
	put64(e + 32, 64);
	put64(e + 40, 1087);
	e[256] = 0xaf;
	put64(e + 256 + 32, 2048);
	put64(e + 256 + 40, 4031);
	memcpy(sec(2), e, sizeof(e));
	memcpy(sec(LAST - 32), e, sizeof(e));
	header(1, LAST, 2);
	header(LAST, 1, LAST - 32);
}

static int rescan(void)
{
	disk.part[0] = (struct blk_part){ .disk = &gd, .nr_sects = SECTORS,
					  .present = true };
	return blk_rescan(&disk);
}

/* Every partition inside the disk, with a device number. */
static void check_parts(void)
{
	for (unsigned p = 1; p < BLK_MAX_PARTS; p++) {
		const struct blk_part *bp = &disk.part[p];

		if (!bp->present)
			continue;
		EXPECT(p < gd.minors && bp->partno == p && bp->nr_sects > 0);
		EXPECT(bp->start < SECTORS && bp->nr_sects <= SECTORS - bp->start);
	}
}

static bool has(unsigned p, uint64_t start, uint64_t size)
{
	return disk.part[p].present && disk.part[p].start == start &&
	       disk.part[p].nr_sects == size;
}

/* MBR entry @i of sector @lba: @type from @start, @size sectors. */
static void mbr_entry(uint64_t lba, unsigned i, uint8_t type, uint32_t start,
		      uint32_t size)
{
	uint8_t *e = sec(lba) + 0x1be + 16 * i;

	memset(e, 0, 16);
	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, size);
	sec(lba)[510] = 0x55;
	sec(lba)[511] = 0xaa;
}

/*
 * An MBR: 1 a primary (64-575), 2 extended (1024-3071) whose first record
 * at 1024 holds logical 5 (1025-1535) and the link to the second at 1536
 * (relative to the extended partition, as the link always is); that one
 * holds logical 6 (1538-1737) and, as its third entry, garbage reaching
 * past its extent (left out).
 */
static void make_mbr(void)
{
	memset(image, 0xa5, sizeof(image));
	memset(sec(0), 0, SECTOR_SIZE);
	put32(sec(0) + 0x1b8, 0x41524d44);	/* the disk signature */
	mbr_entry(0, 0, 0x83, 64, 512);
	mbr_entry(0, 1, 0x05, 1024, 2048);
	memset(sec(1024), 0, SECTOR_SIZE);
	mbr_entry(1024, 0, 0x83, 1, 511);
	mbr_entry(1024, 1, 0x05, 512, 512);
	memset(sec(1536), 0, SECTOR_SIZE);
	mbr_entry(1536, 0, 0x83, 2, 200);
	mbr_entry(1536, 2, 0x83, 0, 100000);
}

static unsigned count_parts(void)
{
	unsigned n = 0;

	for (unsigned p = 1; p < BLK_MAX_PARTS; p++)
		n += disk.part[p].present;
	return n;
}

static void test_mbr(void)
{
	cmdline = "";
	make_mbr();
	CHECK(rescan() == 0);
	CHECK(has(1, 64, 512) && has(2, 1024, 2) && has(5, 1025, 511) &&
	      has(6, 1538, 200) && count_parts() == 4);
	CHECK(!strcmp(disk.part[1].uuid, "41524d44-01") &&
	      !strcmp(disk.part[6].uuid, "41524d44-06") &&
	      !disk.part[6].volname[0]);
	/* A link back to the first record: its data partitions again,
	 * until the disk's device numbers run out (15). */
	mbr_entry(1536, 1, 0x0f, 0, 2048);
	CHECK(rescan() == 0 && has(15, 1025, 511) && count_parts() == 13);
	check_parts();
	/* A record linking to itself with no data: given up, no partition. */
	make_mbr();
	memset(sec(1024), 0, SECTOR_SIZE);
	mbr_entry(1024, 1, 0x85, 0, 2048);
	CHECK(rescan() == 0 && has(1, 64, 512) && has(2, 1024, 2) &&
	      count_parts() == 2);
	/* A link past the disk's end: the scan says so, no logicals. */
	make_mbr();
	mbr_entry(1024, 1, 0x05, SECTORS, 512);
	log_lines = 0;
	CHECK(rescan() == 0 && has(5, 1025, 511) && count_parts() == 3);
	CHECK(log_lines > 0);
}

static uint64_t seed = 0x41524d4944ULL;

static uint64_t rnd(void)
{
	return xorshift64(&seed);
}

/* Damage the table somewhere it matters, maybe fixing the CRCs after. */
static void damage(void)
{
	static const unsigned offs[] = { 12, 16, 24, 32, 40, 48, 72, 80, 84, 88 };
	uint64_t lba = rnd() & 1 ? 1 : LAST;
	uint8_t *h = sec(lba);
	unsigned n = 1 + rnd() % 4;

	for (unsigned i = 0; i < n; i++) {
		switch (rnd() % 5) {
		case 0:	/* a field to a value near an edge */
			put64(h + offs[rnd() % 10], (uint64_t)SECTORS -
			      (rnd() % 70) + (rnd() & 1 ? 0 : rnd() << 32));
			break;
		case 1:	/* a field to anything */
			put32(h + offs[rnd() % 10], (uint32_t)rnd());
			break;
		case 2:	/* an entry's LBAs */
			put64(sec(2) + (rnd() % 128) * 128 + 32 + 8 * (rnd() & 1),
			      rnd() & 1 ? rnd() : rnd() % (SECTORS + 64));
			break;
		case 3:	/* the protective MBR */
			sec(0)[0x1be + rnd() % 66] = (uint8_t)rnd();
			break;
		default:	/* any byte of the first 40 sectors */
			image[rnd() % (40 * SECTOR_SIZE)] ^= (uint8_t)(1 + rnd() % 255);
			break;
		}
	}
	if (rnd() % 3) {	/* a CRC made right: deeper checks run */
		uint64_t el = h[72] | (uint64_t)h[73] << 8;

		if (el < SECTORS - 32)
			fix_header(lba);
		else {
			put32(h + 16, 0);
			put32(h + 16, ~crc32_le(~0u, h, 92));
		}
	}
}

/* Damage the MBR's records anywhere: a byte of an entry, or a link. */
static void damage_mbr(void)
{
	static const uint64_t records[] = { 0, 1024, 1536 };
	unsigned n = 1 + rnd() % 4;

	for (unsigned i = 0; i < n; i++) {
		uint8_t *r = sec(records[rnd() % 3]);

		if (rnd() & 1)
			r[0x1be + rnd() % 66] = (uint8_t)rnd();
		else
			put32(r + 0x1be + 16 * (rnd() % 4) + 8 + 4 * (rnd() & 1),
			      rnd() & 1 ? (uint32_t)rnd() :
			      (uint32_t)(rnd() % (SECTORS + 64)));
	}
}

int main(void)
{
	disk.gd = &gd;
	make_gpt();
	CHECK(rescan() == 0);
	CHECK(has(1, 64, 1024) && !disk.part[2].present && has(3, 2048, 1984));
	CHECK(log_lines == 0);
	CHECK(!strcmp(disk.part[1].uuid, "13121110-1514-1716-1819-1a1b1c1d1e1f"));
	CHECK(!strcmp(disk.part[1].volname, "al!h\xe9!"));
	CHECK(!strcmp(disk.part[3].uuid, "00000000-0000-0000-0000-000000000000") &&
	      !disk.part[3].volname[0]);
	sec(1)[16] ^= 1;
	CHECK(rescan() == 0 && !disk.part[1].present && !disk.part[3].present);
	CHECK(log_lines > 0);
	cmdline = "console=ttyS0 gpt quiet";
	CHECK(rescan() == 0 && has(1, 64, 1024) && has(3, 2048, 1984));
	for (int round = 0; round < 20000; round++) {
		cmdline = rnd() & 1 ? "gpt" : "";
		make_gpt();
		damage();
		EXPECT(rescan() == 0);
		check_parts();
	}
	test_mbr();
	for (int round = 0; round < 20000; round++) {
		make_mbr();
		damage_mbr();
		EXPECT(rescan() == 0);
		check_parts();
	}
	CHECK(wrong == 0);
	return host_check_done();
}
