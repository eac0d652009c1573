/*
 * GUID partition tables, read as Linux's block/partitions/efi.c reads
 * them: a protective (or hybrid) MBR, then the primary header at LBA 1,
 * checked (signature, size, CRC32, its own LBA, the usable range inside
 * the disk, 128-byte entries, an array of at most 4 MiB whose CRC32
 * matches), and the backup its alternate_lba names, compared with it.
 * Only with `gpt` on the kernel command line is the protective MBR not
 * required and, the primary being bad, the backup looked for at the
 * disk's last LBA. Each entry with a type and both LBAs inside the disk
 * is partition i + 1. Everything read is the disk's: untrusted, checked
 * before use; a failed check is one log line (Linux's pr_debug text
 * where it has one; Linux says nothing of an empty or misplaced array).
 */
#include "blk.h"
#include <kernel/boot.h>
#include <platform/heap.h>
#include <platform/printk.h>
#include <aramid/string.h>

#define GPT_SIGNATURE	0x5452415020494645ULL	/* "EFI PART" */
#define GPT_HEADER_MIN	92	/* sizeof(gpt_header) */
#define GPT_NAME_UNITS	36	/* an entry's name: UTF-16LE units at 56 */
#define GPT_ENTRY_SIZE	128	/* sizeof(gpt_entry) */
#define GPT_ARRAY_MAX	(4u << 20)	/* KMALLOC_MAX_SIZE on x86_64 */
#define GPT_KEPT	255	/* entries looked at: DISK_MAX_PARTS - 1 */
#define CHUNK_SECTORS	32	/* the array is read 16 KiB at a time */
#define MBR_ENTRIES	0x1be
#define MBR_TYPE_GPT	0xee

/* A header's fields, and the first entries of its array. */
struct gpt {
	uint64_t my_lba, alternate_lba, first_usable, last_usable;
	uint64_t entries_lba;
	uint8_t disk_guid[16];
	uint32_t nr_entries, entry_size, entries_crc;
	uint8_t entries[GPT_KEPT * GPT_ENTRY_SIZE];
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint64_t last_lba(const struct part_scan *s)
{
	return s->d->gd->capacity - 1;
}

static const char *name(const struct part_scan *s)
{
	return s->d->gd->name;
}

/* `gpt` on the kernel command line (Linux's force_gpt). */
static bool force_gpt(void)
{
	const char *p = kernel_cmdline();

	while (p && *p) {
		size_t n;

		while (*p == ' ')
			p++;
		for (n = 0; p[n] && p[n] != ' '; n++)
			;
		if (n == 3 && !strncmp(p, "gpt", 3))
			return true;
		p += n;
	}
	return false;
}

/* Linux's is_pmbr_valid: an entry of type 0xee starting at LBA 1. */
static bool pmbr_valid(const uint8_t *mbr)
{
	if (mbr[510] != 0x55 || mbr[511] != 0xaa)
		return false;
	for (unsigned i = 0; i < 4; i++) {
		const uint8_t *e = mbr + MBR_ENTRIES + 16 * i;

		if (e[4] == MBR_TYPE_GPT && le32(e + 8) == 1)
			return true;
	}
	return false;
}

/* The header at @sec (512 bytes, read from @lba) into @g: its checks. */
static bool header_valid(struct part_scan *s, uint8_t *sec, uint64_t lba,
			 struct gpt *g)
{
	uint32_t size = le32(sec + 12), crc = le32(sec + 16), got;

	if (le64(sec) != GPT_SIGNATURE) {
		pr_info("%s: GUID Partition Table Header signature is wrong:%lld != %lld",
			name(s), (long long)le64(sec), (long long)GPT_SIGNATURE);
		return false;
	}
	if (size > SECTOR_SIZE) {
		pr_info("%s: GUID Partition Table Header size is too large: %u > %u",
			name(s), size, SECTOR_SIZE);
		return false;
	}
	if (size < GPT_HEADER_MIN) {
		pr_info("%s: GUID Partition Table Header size is too small: %u < %u",
			name(s), size, GPT_HEADER_MIN);
		return false;
	}
	memset(sec + 16, 0, 4);
	got = ~crc32_le(~0u, sec, size);
	if (got != crc) {
		pr_info("%s: GUID Partition Table Header CRC is wrong: %x != %x",
			name(s), got, crc);
		return false;
	}
	g->my_lba = le64(sec + 24);
	g->alternate_lba = le64(sec + 32);
	g->first_usable = le64(sec + 40);
	g->last_usable = le64(sec + 48);
	memcpy(g->disk_guid, sec + 56, sizeof(g->disk_guid));
	g->entries_lba = le64(sec + 72);
	g->nr_entries = le32(sec + 80);
	g->entry_size = le32(sec + 84);
	g->entries_crc = le32(sec + 88);
	if (g->my_lba != lba) {
		pr_info("%s: GPT my_lba incorrect: %lld != %lld", name(s),
			(long long)g->my_lba, (long long)lba);
		return false;
	}
	if (g->first_usable > last_lba(s)) {
		pr_info("%s: GPT: first_usable_lba incorrect: %lld > %lld",
			name(s), (long long)g->first_usable,
			(long long)last_lba(s));
		return false;
	}
	if (g->last_usable > last_lba(s)) {
		pr_info("%s: GPT: last_usable_lba incorrect: %lld > %lld",
			name(s), (long long)g->last_usable,
			(long long)last_lba(s));
		return false;
	}
	if (g->last_usable < g->first_usable) {
		pr_info("%s: GPT: last_usable_lba incorrect: %lld > %lld",
			name(s), (long long)g->first_usable,
			(long long)g->last_usable);
		return false;
	}
	if (g->entry_size != GPT_ENTRY_SIZE) {
		pr_info("%s: GUID Partition Entry Size check failed.", name(s));
		return false;
	}
	if ((uint64_t)g->nr_entries * g->entry_size > GPT_ARRAY_MAX) {
		pr_info("%s: GUID Partition Table is too large: %llu > %u bytes",
			name(s),
			(unsigned long long)g->nr_entries * g->entry_size,
			GPT_ARRAY_MAX);
		return false;
	}
	return true;
}

/*
 * Read @g's entry array through @chunk (CHUNK_SECTORS sectors), keeping
 * its first entries and checking its CRC: as Linux's read_lba, nothing
 * from past the last LBA, and a read reaching past it fails (noted).
 */
static bool entries_valid(struct part_scan *s, struct gpt *g, uint8_t *chunk)
{
	uint64_t left = (uint64_t)g->nr_entries * g->entry_size, off = 0;
	uint64_t lba = g->entries_lba;
	uint32_t crc = ~0u;

	if (left == 0) {
		pr_info("%s: GPT: no partition entries", name(s));
		return false;
	}
	if (lba > last_lba(s)) {
		pr_info("%s: GPT: partition entries at LBA %lld, past the last %lld",
			name(s), (long long)lba, (long long)last_lba(s));
		return false;
	}
	while (left) {
		uint32_t n = (uint32_t)MIN((uint64_t)CHUNK_SECTORS,
					   DIV_ROUND_UP(left, SECTOR_SIZE));
		size_t got = (size_t)MIN(left, (uint64_t)n << SECTOR_SHIFT);

		if (n > s->d->gd->capacity - lba) {
			pr_info("%s: GPT: partition entries reach past the last LBA %lld",
				name(s), (long long)last_lba(s));
			s->beyond_eod = true;
			return false;
		}
		if (scan_read(s, lba, n, chunk))
			return false;
		crc = crc32_le(crc, chunk, got);
		if (off < sizeof(g->entries))
			memcpy(g->entries + off, chunk,
			       MIN(got, sizeof(g->entries) - off));
		off += got;
		left -= got;
		lba += n;
	}
	if (~crc != g->entries_crc) {
		pr_info("%s: GUID Partition Entry Array CRC check failed.",
			name(s));
		return false;
	}
	return true;
}

/* Linux's is_gpt_valid: the header at @lba and its array into @g. */
static bool gpt_valid(struct part_scan *s, uint64_t lba, struct gpt *g,
		      uint8_t *chunk)
{
	if (lba > last_lba(s) || scan_read(s, lba, 1, chunk))
		return false;
	return header_valid(s, chunk, lba, g) && entries_valid(s, g, chunk);
}

static void warn_lba(uint64_t a, uint64_t b)
{
	pr_warn("GPT:%lld != %lld", (long long)a, (long long)b);
}

/* Linux's compare_gpts: what differs between two good headers. */
static void compare_gpts(const struct part_scan *s, const struct gpt *p,
			 const struct gpt *a)
{
	int errors = 0;

	if (p->my_lba != a->alternate_lba) {
		pr_warn("GPT:Primary header LBA != Alt. header alternate_lba");
		warn_lba(p->my_lba, a->alternate_lba);
		errors++;
	}
	if (p->alternate_lba != a->my_lba) {
		pr_warn("GPT:Primary header alternate_lba != Alt. header my_lba");
		warn_lba(p->alternate_lba, a->my_lba);
		errors++;
	}
	if (p->first_usable != a->first_usable) {
		pr_warn("GPT:first_usable_lbas don't match.");
		warn_lba(p->first_usable, a->first_usable);
		errors++;
	}
	if (p->last_usable != a->last_usable) {
		pr_warn("GPT:last_usable_lbas don't match.");
		warn_lba(p->last_usable, a->last_usable);
		errors++;
	}
	if (memcmp(p->disk_guid, a->disk_guid, sizeof(p->disk_guid))) {
		pr_warn("GPT:disk_guids don't match.");
		errors++;
	}
	if (p->nr_entries != a->nr_entries) {
		pr_warn("GPT:num_partition_entries don't match: 0x%x != 0x%x",
			p->nr_entries, a->nr_entries);
		errors++;
	}
	if (p->entry_size != a->entry_size) {
		pr_warn("GPT:sizeof_partition_entry values don't match: 0x%x != 0x%x",
			p->entry_size, a->entry_size);
		errors++;
	}
	if (p->entries_crc != a->entries_crc) {
		pr_warn("GPT:partition_entry_array_crc32 values don't match: 0x%x != 0x%x",
			p->entries_crc, a->entries_crc);
		errors++;
	}
	if (p->alternate_lba != last_lba(s)) {
		pr_warn("GPT:Primary header thinks Alt. header is not at the end of the disk.");
		warn_lba(p->alternate_lba, last_lba(s));
		errors++;
	}
	if (a->my_lba != last_lba(s)) {
		pr_warn("GPT:Alternate GPT header not at the end of the disk.");
		warn_lba(a->my_lba, last_lba(s));
		errors++;
	}
	if (errors)
		pr_warn("GPT: Use GNU Parted to correct GPT errors.");
}

/*
 * Linux's find_valid_gpt: the table to use in @p (the primary's buffer)
 * or @a (the backup's): the good one, or NULL.
 */
static const struct gpt *find_valid(struct part_scan *s, const uint8_t *mbr,
				    struct gpt *p, struct gpt *a,
				    uint8_t *chunk)
{
	bool force = force_gpt(), good_p, good_a = false;

	if (!force && !pmbr_valid(mbr))
		return NULL;
	good_p = gpt_valid(s, 1, p, chunk);
	if (good_p)
		good_a = gpt_valid(s, p->alternate_lba, a, chunk);
	if (!good_a && force)
		good_a = gpt_valid(s, last_lba(s), a, chunk);
	if (good_p && good_a)
		compare_gpts(s, p, a);
	if (good_p) {
		if (!good_a)
			pr_warn("Alternate GPT is invalid, using primary GPT.");
		return p;
	}
	if (good_a) {
		pr_warn("Primary GPT is invalid, using alternate GPT.");
		return a;
	}
	return NULL;
}

static bool guid_null(const uint8_t *g)
{
	for (unsigned i = 0; i < 16; i++)
		if (g[i])
			return false;
	return true;
}

/*
 * Entry @e's unique GUID, as Linux prints a GUID (%pUl: the first three
 * fields little-endian, lower case), and its name, each UTF-16 unit cut
 * to its low byte and a byte that does not print made '!', as Linux's
 * efi_partition does (its isprint: not a control character of ASCII or
 * Latin-1), as slot @slot's PARTUUID and name.
 */
static void entry_info(struct part_scan *s, unsigned slot, const uint8_t *e)
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6,
					   8, 9, 10, 11, 12, 13, 14, 15 };
	char uuid[BLK_UUID_LEN], volname[GPT_NAME_UNITS + 1];
	const uint8_t *g = e + 16;
	size_t len = 0;

	for (unsigned i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			uuid[len++] = '-';
		len += (size_t)snprintf(uuid + len, sizeof(uuid) - len, "%02x",
					g[order[i]]);
	}
	for (unsigned i = 0; i < GPT_NAME_UNITS; i++) {
		uint8_t c = e[56 + 2 * i];

		volname[i] = (char)(c && (c < 0x20 || (c >= 0x7f && c <= 0x9f)) ?
				    '!' : c);
	}
	volname[GPT_NAME_UNITS] = 0;
	part_set_info(s, slot, uuid, volname);
}

/* The partitions of good table @g: Linux's efi_partition loop. */
static void add_entries(struct part_scan *s, const struct gpt *g)
{
	uint32_t n = MIN(g->nr_entries, (uint32_t)GPT_KEPT);

	for (uint32_t i = 0; i < n; i++) {
		const uint8_t *e = g->entries + (size_t)i * GPT_ENTRY_SIZE;
		uint64_t first = le64(e + 32), last = le64(e + 40);

		/* Linux's is_pte_valid: a type, both ends inside the disk. */
		if (guid_null(e) || first > last_lba(s) || last > last_lba(s))
			continue;
		/* last < first wraps: part_add cuts it at the disk's end */
		part_add(s, i + 1, first, last - first + 1);
		entry_info(s, i + 1, e);
	}
}

int efi_parse(struct part_scan *s, const uint8_t *sector0)
{
	struct gpt *p = kmalloc(sizeof(*p)), *a = kmalloc(sizeof(*a));
	uint8_t *chunk = kmalloc(CHUNK_SECTORS << SECTOR_SHIFT);
	const struct gpt *g = NULL;

	if (p && a && chunk)
		g = find_valid(s, sector0, p, a, chunk);
	if (g)
		add_entries(s, g);
	kfree(chunk);
	kfree(a);
	kfree(p);
	return g != NULL;
}
