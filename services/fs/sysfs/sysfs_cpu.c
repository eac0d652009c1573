/*
 * /sys/devices/system/cpu as Linux 6.1 shows it on x86: the CPU sets
 * (possible, present, online: every CPU the kernel runs on; offline and
 * isolated: none), kernel_max (Debian's NR_CPUS - 1), and one cpuN
 * directory per CPU with its topology. Each CPU is its own package with
 * one core and one thread. cpu0 has no "online" file, as on Linux; the
 * others would have one when SMP comes (it is not there yet).
 */
#include "sysfs.h"
#include <aramid/string.h>

#define DEBIAN_NR_CPUS	8192

static int all_cpus_show(struct sysfs_out *o, int index)
{
	so_cpu_list(o, 0, cpu_count());
	return 0;
}

static int no_cpus_show(struct sysfs_out *o, int index)
{
	so_printf(o, "\n");
	return 0;
}

static int kernel_max_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%d\n", DEBIAN_NR_CPUS - 1);
	return 0;
}

static int zero_show(struct sysfs_out *o, int index)
{
	so_printf(o, "0\n");
	return 0;
}

static int own_id_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%d\n", index);
	return 0;
}

/* The CPU's siblings at every level are the CPU alone. */
static int self_mask_show(struct sysfs_out *o, int index)
{
	so_cpu_mask(o, (unsigned)index, 1);
	return 0;
}

static int self_list_show(struct sysfs_out *o, int index)
{
	so_cpu_list(o, (unsigned)index, 1);
	return 0;
}

static int cpu_next(int parent, int from)
{
	return from < (int)cpu_count() ? from : -1;
}

static int cpu_name(int index, char *buf, size_t len)
{
	snprintf(buf, len, "cpu%d", index);
	return 0;
}

static const struct sysfs_entry core_cpus = SYSFS_RO("core_cpus", self_mask_show);
static const struct sysfs_entry core_cpus_list =
	SYSFS_RO("core_cpus_list", self_list_show);
static const struct sysfs_entry core_id = SYSFS_RO("core_id", zero_show);
static const struct sysfs_entry core_siblings =
	SYSFS_RO("core_siblings", self_mask_show);
static const struct sysfs_entry core_siblings_list =
	SYSFS_RO("core_siblings_list", self_list_show);
static const struct sysfs_entry die_cpus = SYSFS_RO("die_cpus", self_mask_show);
static const struct sysfs_entry die_cpus_list =
	SYSFS_RO("die_cpus_list", self_list_show);
static const struct sysfs_entry die_id = SYSFS_RO("die_id", zero_show);
static const struct sysfs_entry package_cpus =
	SYSFS_RO("package_cpus", self_mask_show);
static const struct sysfs_entry package_cpus_list =
	SYSFS_RO("package_cpus_list", self_list_show);
static const struct sysfs_entry physical_package_id =
	SYSFS_RO("physical_package_id", own_id_show);
static const struct sysfs_entry thread_siblings =
	SYSFS_RO("thread_siblings", self_mask_show);
static const struct sysfs_entry thread_siblings_list =
	SYSFS_RO("thread_siblings_list", self_list_show);

static const struct sysfs_entry topology_dir = SYSFS_DIR("topology",
	SYSFS_CHILDREN(&core_cpus, &core_cpus_list, &core_id, &core_siblings,
		       &core_siblings_list, &die_cpus, &die_cpus_list, &die_id,
		       &package_cpus, &package_cpus_list, &physical_package_id,
		       &thread_siblings, &thread_siblings_list));

static const struct sysfs_entry cpu_instance = SYSFS_DIR(NULL,
	SYSFS_CHILDREN(&topology_dir), .next = cpu_next, .name_of = cpu_name);

static const struct sysfs_entry isolated = SYSFS_RO("isolated", no_cpus_show);
static const struct sysfs_entry kernel_max =
	SYSFS_RO("kernel_max", kernel_max_show);
static const struct sysfs_entry offline = SYSFS_RO("offline", no_cpus_show);
static const struct sysfs_entry online = SYSFS_RO("online", all_cpus_show);
static const struct sysfs_entry possible = SYSFS_RO("possible", all_cpus_show);
static const struct sysfs_entry present = SYSFS_RO("present", all_cpus_show);

const struct sysfs_entry sysfs_cpu_dir = SYSFS_DIR("cpu",
	SYSFS_CHILDREN(&isolated, &kernel_max, &offline, &online, &possible,
		       &present),
	.family = &cpu_instance);
