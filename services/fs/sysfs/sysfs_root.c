/*
 * The /sys tree's skeleton: block, class/{block,net,rtc},
 * dev/{block,char}, devices (the PCI root, the PNP bus's clock,
 * system/{cpu,node}, virtual/{block,net}), fs/cgroup (the cgroup2 mount point)
 * and kernel/mm's transparent huge page settings, which show that there
 * are none: the
 * kernel never makes huge pages, so each setting is "[never]" and none
 * can be changed (Linux's are 0644).
 */
#include "sysfs.h"

static int thp_enabled_show(struct sysfs_out *o, int index)
{
	so_printf(o, "always madvise [never]\n");
	return 0;
}

static int thp_defrag_show(struct sysfs_out *o, int index)
{
	so_printf(o, "always defer defer+madvise madvise [never]\n");
	return 0;
}

static int thp_shmem_show(struct sysfs_out *o, int index)
{
	so_printf(o, "always within_size advise [never] deny force\n");
	return 0;
}

/* The size a PMD maps on x86_64 (2 MiB). */
static int thp_pmd_size_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%lu\n", 2UL << 20);
	return 0;
}

static int thp_zero_page_show(struct sysfs_out *o, int index)
{
	so_printf(o, "1\n");
	return 0;
}

static const struct sysfs_entry thp_defrag = SYSFS_RO("defrag", thp_defrag_show);
static const struct sysfs_entry thp_enabled =
	SYSFS_RO("enabled", thp_enabled_show);
static const struct sysfs_entry thp_pmd_size =
	SYSFS_RO("hpage_pmd_size", thp_pmd_size_show);
static const struct sysfs_entry thp_shmem =
	SYSFS_RO("shmem_enabled", thp_shmem_show);
static const struct sysfs_entry thp_zero_page =
	SYSFS_RO("use_zero_page", thp_zero_page_show);
static const struct sysfs_entry thp_dir = SYSFS_DIR("transparent_hugepage",
	SYSFS_CHILDREN(&thp_defrag, &thp_enabled, &thp_pmd_size, &thp_shmem,
		       &thp_zero_page));
static const struct sysfs_entry mm_dir =
	SYSFS_DIR("mm", SYSFS_CHILDREN(&thp_dir));
static const struct sysfs_entry kernel_dir =
	SYSFS_DIR("kernel", SYSFS_CHILDREN(&mm_dir));

static const struct sysfs_entry cgroup_dir = SYSFS_DIR("cgroup");
static const struct sysfs_entry fs_dir =
	SYSFS_DIR("fs", SYSFS_CHILDREN(&cgroup_dir));

static const struct sysfs_entry system_dir = SYSFS_DIR("system",
	SYSFS_CHILDREN(&sysfs_cpu_dir, &sysfs_node_dir));
static const struct sysfs_entry virtual_dir =
	SYSFS_DIR("virtual", SYSFS_CHILDREN(&sysfs_virtual_block_dir,
					    &sysfs_virtual_net_dir));
static const struct sysfs_entry devices_dir = SYSFS_DIR("devices",
	SYSFS_CHILDREN(&sysfs_pci_root_dir, &sysfs_pnp0_dir, &system_dir,
		       &virtual_dir));

static const struct sysfs_entry dev_dir = SYSFS_DIR("dev",
	SYSFS_CHILDREN(&sysfs_dev_block_dir, &sysfs_dev_char_dir));

static const struct sysfs_entry class_dir = SYSFS_DIR("class",
	SYSFS_CHILDREN(&sysfs_class_block_dir, &sysfs_class_net_dir,
		       &sysfs_class_rtc_dir));

static const struct sysfs_entry root_dir = SYSFS_DIR("/",
	SYSFS_CHILDREN(&sysfs_block_dir, &class_dir, &dev_dir, &devices_dir,
		       &fs_dir, &kernel_dir));

const struct sysfs_tree sysfs_tree = {
	.root = &root_dir, .magic = SYSFS_MAGIC, .file_size = SYSFS_PAGE,
};
