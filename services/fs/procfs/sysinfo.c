/*
 * The system-wide files: meminfo, uptime, loadavg, stat, version,
 * cmdline and swaps, in the formats of Linux 6.1 (fs/proc/meminfo.c,
 * uptime.c, loadavg.c, stat.c, version.c, cmdline.c, mm/swapfile.c);
 * cpuinfo is cpuinfo.c's.
 *
 * CPU time: the scheduler's tick counts what the CPU ran, a user task
 * (nice or not), the kernel, or the idle thread.
 */
#include "procfs.h"
#include <aramid/profile.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/time.h>

/* "Label:" padded to 16 columns, then kB in 8 (Linux's show_val_kb). */
static void show_kb(struct proc_buf *b, const char *label, unsigned long kb)
{
	pb_printf(b, "%-16s%8lu kB\n", label, kb);
}

/* True if no task before @t in the task list shares its address space. */
static bool first_user_of_mm(struct task *t)
{
	struct task *o;

	for_each_task(o) {
		if (o == t)
			return true;
		if (o->mm == t->mm)
			return false;
	}
	return true;
}

/* Resident and committed (private writable) memory of all processes. */
void proc_process_memory(unsigned long *rss_kb, unsigned long *commit_kb)
{
	struct task *t;

	*rss_kb = *commit_kb = 0;
	for_each_task(t) {
		struct vma *v;

		if (!t->mm || !first_user_of_mm(t))
			continue;
		*rss_kb += t->mm->rss_pages * (PAGE_SIZE / 1024);
		list_for_each_entry(v, &t->mm->vmas, link) {
			if ((v->prot & PROT_WRITE) && !(v->flags & VMA_SHARED))
				*commit_kb += (v->end - v->start) / 1024;
		}
	}
}

/*
 * Memory as the frame allocator, the page cache and the heap see it:
 * Cached is the page cache of disk files (tmpfs files are not counted:
 * they live in their filesystem's own frames), all inactive file pages;
 * MemAvailable is what is free and the clean cache reclaim can drop;
 * the heap is reported as unreclaimable slab.
 */
int proc_meminfo_show(struct proc_buf *b, struct task *t)
{
	const unsigned long kb = PAGE_SIZE / 1024;
	unsigned long total, free, slab, stacks, anon, commit, cached, dirty;
	struct page_cache_stats pc;
	struct frame_stats fs;

	frame_stats(&fs);
	page_cache_stats(&pc);
	cached = pc.pages * kb;
	dirty = pc.dirty * kb;
	total = fs.total * kb;
	free = fs.free * kb;
	slab = heap_bytes_used() / 1024;
	stacks = task_count() * (KSTACK_SIZE / 1024);
	proc_process_memory(&anon, &commit);
	show_kb(b, "MemTotal:", total);
	show_kb(b, "MemFree:", free);
	show_kb(b, "MemAvailable:", free + cached - MIN(dirty, cached));
	show_kb(b, "Buffers:", 0);
	show_kb(b, "Cached:", cached);
	show_kb(b, "SwapCached:", 0);
	show_kb(b, "Active:", anon);
	show_kb(b, "Inactive:", cached);
	show_kb(b, "Active(anon):", anon);
	show_kb(b, "Inactive(anon):", 0);
	show_kb(b, "Active(file):", 0);
	show_kb(b, "Inactive(file):", cached);
	show_kb(b, "Unevictable:", 0);
	show_kb(b, "Mlocked:", 0);
	show_kb(b, "SwapTotal:", 0);
	show_kb(b, "SwapFree:", 0);
	show_kb(b, "Zswap:", 0);
	show_kb(b, "Zswapped:", 0);
	show_kb(b, "Dirty:", dirty);
	show_kb(b, "Writeback:", 0);
	show_kb(b, "AnonPages:", anon);
	show_kb(b, "Mapped:", 0);
	show_kb(b, "Shmem:", 0);
	show_kb(b, "KReclaimable:", 0);
	show_kb(b, "Slab:", slab);
	show_kb(b, "SReclaimable:", 0);
	show_kb(b, "SUnreclaim:", slab);
	show_kb(b, "KernelStack:", stacks);
	show_kb(b, "PageTables:", 0);
	show_kb(b, "SecPageTables:", 0);
	show_kb(b, "NFS_Unstable:", 0);
	show_kb(b, "Bounce:", 0);
	show_kb(b, "WritebackTmp:", 0);
	show_kb(b, "CommitLimit:", total / 2);	/* overcommit_ratio 50 */
	show_kb(b, "Committed_AS:", commit);
	show_kb(b, "VmallocTotal:", 34359738367UL);	/* x86_64, 4 levels */
	show_kb(b, "VmallocUsed:", 0);
	show_kb(b, "VmallocChunk:", 0);
	show_kb(b, "Percpu:", 0);
	pb_printf(b, "HardwareCorrupted: %5lu kB\n", 0UL);
	show_kb(b, "AnonHugePages:", 0);
	show_kb(b, "ShmemHugePages:", 0);
	show_kb(b, "ShmemPmdMapped:", 0);
	show_kb(b, "FileHugePages:", 0);
	show_kb(b, "FilePmdMapped:", 0);
	pb_printf(b, "HugePages_Total:   %5u\nHugePages_Free:    %5u\n"
		  "HugePages_Rsvd:    %5u\nHugePages_Surp:    %5u\n",
		  0u, 0u, 0u, 0u);
	show_kb(b, "Hugepagesize:", 2048);
	show_kb(b, "Hugetlb:", 0);
	show_kb(b, "DirectMap4k:", 0);
	show_kb(b, "DirectMap2M:", 0);
	show_kb(b, "DirectMap1G:", 0);
	return 0;
}

/* Seconds since boot and idle seconds, to the hundredth. */
int proc_uptime_show(struct proc_buf *b, struct task *t)
{
	uint64_t now = clock_monotonic_ns() + timens_boottime_offset_ns();
	struct cpu_times c;

	sched_cpu_times(&c);
	pb_printf(b, "%lu.%02lu %lu.%02lu\n",
		  (unsigned long)(now / NSEC_PER_SEC),
		  (unsigned long)(now % NSEC_PER_SEC / (NSEC_PER_SEC / 100)),
		  (unsigned long)(c.idle / HZ),
		  (unsigned long)(c.idle % HZ * 100 / HZ));
	return 0;
}

/* Linux's LOAD_INT / LOAD_FRAC, after get_avenrun's rounding offset. */
#define FIXED_1		(1UL << LOADAVG_FSHIFT)
#define LOAD_INT(x)	((x) >> LOADAVG_FSHIFT)
#define LOAD_FRAC(x)	LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

int proc_loadavg_show(struct proc_buf *b, struct task *t)
{
	unsigned long avg[3];

	sched_loadavg(avg);
	for (int i = 0; i < 3; i++)
		avg[i] += FIXED_1 / 200;
	pb_printf(b, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n",
		  LOAD_INT(avg[0]), LOAD_FRAC(avg[0]),
		  LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
		  LOAD_INT(avg[2]), LOAD_FRAC(avg[2]),
		  sched_nr_running(), task_count(), task_last_pid());
	return 0;
}

/*
 * Kernel statistics: the sum of the CPUs' times, then each CPU's.
 * Interrupt and softirq counts are not kept: they read 0. ctxt counts context switches, processes the tasks made since boot.
 */
int proc_stat_show(struct proc_buf *b, struct task *t)
{
	struct cpu_times c;

	sched_cpu_times(&c);
	pb_printf(b, "cpu  %lu %lu %lu %lu 0 0 0 0 0 0\n",
		  c.user, c.nice, c.system, c.idle);
	for (unsigned cpu = 0; cpu < cpu_count(); cpu++) {
		sched_cpu_times_of(cpu, &c);
		pb_printf(b, "cpu%u %lu %lu %lu %lu 0 0 0 0 0 0\n", cpu,
			  c.user, c.nice, c.system, c.idle);
	}
	pb_printf(b, "intr 0\nctxt %lu\nbtime %lu\nprocesses %lu\n",
		  sched_nr_switches(),
		  (unsigned long)(clock_boot_realtime_ns() / NSEC_PER_SEC),
		  task_nr_forks());
	pb_printf(b, "procs_running %u\nprocs_blocked 0\n"
		  "softirq 0 0 0 0 0 0 0 0 0 0 0\n", sched_nr_running());
	return 0;
}

/* The same release and version strings uname(2) reports. */
int proc_version_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "Linux version 6.1.0-aramid (aramid@build) "
		  "(gcc version " __VERSION__ ") #1 Aramid " PROFILE_NAME "\n");
	return 0;
}

int proc_cmdline_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%s\n", kernel_cmdline());
	return 0;
}

/* There is no swap (swapon is not here): swap_show's header alone. */
int proc_swaps_show(struct proc_buf *b, struct task *t)
{
	(void)t;
	pb_printf(b, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}
