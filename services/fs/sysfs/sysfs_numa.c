/*
 * /sys/devices/system/node: one memory node, node0, holding every CPU
 * and all memory, as Linux shows a machine without NUMA: the node sets
 * (possible, online, has_cpu, has_memory, has_normal_memory) and node0's
 * CPUs, distance to itself and memory (the lines of Linux's node
 * meminfo the frame allocator can tell: total, free, used).
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <platform/frame.h>

#define LOCAL_DISTANCE	10	/* Linux's distance of a node to itself */

static int node_set_show(struct sysfs_out *o, int index)
{
	so_printf(o, "0\n");
	return 0;
}

static int node_cpulist_show(struct sysfs_out *o, int index)
{
	so_cpu_list(o, 0, cpu_count());
	return 0;
}

static int node_cpumap_show(struct sysfs_out *o, int index)
{
	so_cpu_mask(o, 0, cpu_count());
	return 0;
}

static int node_distance_show(struct sysfs_out *o, int index)
{
	so_printf(o, "%d\n", LOCAL_DISTANCE);
	return 0;
}

/* Linux's node_read_meminfo layout: the label padded to 16, %8lu kB. */
static int node_meminfo_show(struct sysfs_out *o, int index)
{
	struct frame_stats fs;
	unsigned long kb = PAGE_SIZE / 1024, total, free;

	frame_stats(&fs);
	total = fs.total * kb;
	free = fs.free * kb;
	so_printf(o, "Node %d MemTotal:       %8lu kB\n", index, total);
	so_printf(o, "Node %d MemFree:        %8lu kB\n", index, free);
	so_printf(o, "Node %d MemUsed:        %8lu kB\n", index, total - free);
	return 0;
}

static int node_next(int parent, int from)
{
	return from <= 0 ? 0 : -1;
}

static int node_name(int index, char *buf, size_t len)
{
	snprintf(buf, len, "node%d", index);
	return 0;
}

static const struct sysfs_entry cpulist = SYSFS_RO("cpulist", node_cpulist_show);
static const struct sysfs_entry cpumap = SYSFS_RO("cpumap", node_cpumap_show);
static const struct sysfs_entry distance =
	SYSFS_RO("distance", node_distance_show);
static const struct sysfs_entry meminfo = SYSFS_RO("meminfo", node_meminfo_show);

static const struct sysfs_entry node_instance = SYSFS_DIR(NULL,
	SYSFS_CHILDREN(&cpulist, &cpumap, &distance, &meminfo),
	.next = node_next, .name_of = node_name);

static const struct sysfs_entry has_cpu = SYSFS_RO("has_cpu", node_set_show);
static const struct sysfs_entry has_memory =
	SYSFS_RO("has_memory", node_set_show);
static const struct sysfs_entry has_normal_memory =
	SYSFS_RO("has_normal_memory", node_set_show);
static const struct sysfs_entry online = SYSFS_RO("online", node_set_show);
static const struct sysfs_entry possible = SYSFS_RO("possible", node_set_show);

const struct sysfs_entry sysfs_node_dir = SYSFS_DIR("node",
	SYSFS_CHILDREN(&has_cpu, &has_memory, &has_normal_memory, &online,
		       &possible),
	.family = &node_instance);
