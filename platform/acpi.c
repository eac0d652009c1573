/*
 * ACPI, as far as the CPUs and the clock go: the RSDP (from the boot
 * protocol, or found in the BIOS area), the RSDT or XSDT it points to,
 * the MADT's local APIC entries and the FADT's century register.
 * Firmware tables are checked (signature, length, checksum) before use;
 * a table that fails leaves the machine with one CPU, or the clock
 * without a century.
 */
#include <platform/printk.h>
#include <aramid/string.h>
#include "cpu_local.h"

struct rsdp {
	char sig[8];
	uint8_t checksum;
	char oem[6];
	uint8_t revision;
	uint32_t rsdt;
	uint32_t length;	/* revision >= 2 from here */
	uint64_t xsdt;
	uint8_t xchecksum;
	uint8_t reserved[3];
} __packed;

struct sdt {
	char sig[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem[6];
	char oem_table[8];
	uint32_t oem_revision;
	uint32_t creator;
	uint32_t creator_revision;
} __packed;

struct madt {
	struct sdt h;
	uint32_t lapic_pa;
	uint32_t flags;
} __packed;

/* The FADT's CMOS century register index, and the revision it counts from. */
#define FADT_CENTURY		108
#define FADT_CENTURY_REVISION	3

#define MADT_LAPIC		0
#define MADT_LAPIC_OVERRIDE	5
#define LAPIC_ENABLED		(1U << 0)
#define TABLE_MAX		(1U << 20)	/* no sane table is larger */
/* Tables lie below 4 GiB, and in what the direct map reaches. */
#define ACPI_AREA_END	MIN(4UL << 30, direct_map_top)

static bool sum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* The table at @pa if it is whole, below 4 GiB and sums to zero. */
static const struct sdt *table_at(paddr_t pa)
{
	if (!pa || pa >= ACPI_AREA_END - sizeof(struct sdt))
		return NULL;
	const struct sdt *t = phys_to_virt(pa);

	if (t->length < sizeof(*t) || t->length > TABLE_MAX ||
	    pa + t->length > ACPI_AREA_END || !sum_ok(t, t->length))
		return NULL;
	return t;
}

/* The RSDP in [start, end), on its 16-byte boundaries. */
static const struct rsdp *rsdp_scan(paddr_t start, paddr_t end)
{
	for (paddr_t pa = start; pa + sizeof(struct rsdp) <= end; pa += 16) {
		const struct rsdp *r = phys_to_virt(pa);

		if (!memcmp(r->sig, "RSD PTR ", 8) && sum_ok(r, 20))
			return r;
	}
	return NULL;
}

static const struct sdt *find_table(const struct rsdp *r, const char *sig)
{
	bool x = r->revision >= 2 && r->xsdt;
	const struct sdt *root = table_at(x ? r->xsdt : r->rsdt);

	if (!root)
		return NULL;
	size_t width = x ? 8 : 4;
	size_t n = (root->length - sizeof(*root)) / width;
	const uint8_t *entries = (const uint8_t *)(root + 1);

	for (size_t i = 0; i < n; i++) {
		uint64_t pa = 0;

		memcpy(&pa, entries + i * width, width);
		const struct sdt *t = table_at(pa);

		if (t && !memcmp(t->sig, sig, 4))
			return t;
	}
	return NULL;
}

/* The RSDP at @rsdp_pa if it is one, else the BIOS area's; or NULL. */
static const struct rsdp *rsdp_find(paddr_t rsdp_pa)
{
	const struct rsdp *r = NULL;

	if (rsdp_pa && rsdp_pa < ACPI_AREA_END) {
		r = phys_to_virt(rsdp_pa);
		if (memcmp(r->sig, "RSD PTR ", 8) || !sum_ok(r, 20))
			r = NULL;
	}
	return r ? r : rsdp_scan(0xe0000, 0x100000);
}

uint8_t acpi_rtc_century(paddr_t rsdp_pa)
{
	const struct rsdp *r = rsdp_find(rsdp_pa);
	const struct sdt *f = r ? find_table(r, "FACP") : NULL;

	if (!f || f->length <= FADT_CENTURY ||
	    f->revision < FADT_CENTURY_REVISION)
		return 0;
	return ((const uint8_t *)f)[FADT_CENTURY];
}

unsigned acpi_find_cpus(paddr_t rsdp_pa, uint32_t *ids, unsigned max,
			paddr_t *lapic_pa)
{
	const struct rsdp *r = rsdp_find(rsdp_pa);
	const struct madt *m = r ? (const void *)find_table(r, "APIC") : NULL;

	if (!m || m->h.length < sizeof(*m))
		return 0;
	*lapic_pa = m->lapic_pa;

	uint32_t r1[4];

	cpuid(1, 0, r1);	/* the boot CPU's APIC id, in EBX's top byte */
	uint32_t boot = r1[1] >> 24;
	unsigned n = 1;
	const uint8_t *e = (const uint8_t *)(m + 1);
	const uint8_t *end = (const uint8_t *)m + m->h.length;

	ids[0] = boot;
	while (e + 2 <= end && e[1] >= 2 && e + e[1] <= end) {
		if (e[0] == MADT_LAPIC && e[1] >= 8) {
			uint32_t flags;

			memcpy(&flags, e + 4, 4);
			if ((flags & LAPIC_ENABLED) && e[3] != boot) {
				if (n < max)
					ids[n++] = e[3];
				else
					pr_warn("smp: CPU with APIC id %u past the %u this kernel runs left off",
						e[3], max);
			}
		} else if (e[0] == MADT_LAPIC_OVERRIDE && e[1] >= 12) {
			memcpy(lapic_pa, e + 4, 8);
		}
		e += e[1];
	}
	return n;
}
