/*
 * sysinfo: uptime (CLOCK_BOOTTIME in the caller's time namespace), load
 * averages, memory and process counts.
 */
#include <kernel/task.h>
#include <kernel/time_ns.h>
#include <kernel/syscall.h>
#include <platform/frame.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/time.h>

SYSCALL(__NR_sysinfo, sysinfo)(SYSCALL_ARGS)
{
	struct {
		int64_t uptime;
		uint64_t loads[3];
		uint64_t totalram, freeram, sharedram, bufferram;
		uint64_t totalswap, freeswap;
		uint16_t procs, pad;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char _f[4];
	} si;
	struct frame_stats fs;
	unsigned long avg[3];

	memset(&si, 0, sizeof(si));
	frame_stats(&fs);
	sched_loadavg(avg);
	/* Rounded up, as Linux does: never 0 once the system is running. */
	si.uptime = DIV_ROUND_UP((int64_t)clock_monotonic_ns() +
				 time_ns_offset_ns(CLOCK_BOOTTIME), NSEC_PER_SEC);
	for (int i = 0; i < 3; i++)	/* SI_LOAD_SHIFT is 16 */
		si.loads[i] = avg[i] << (16 - LOADAVG_FSHIFT);
	si.totalram = fs.total * PAGE_SIZE;
	si.freeram = fs.free * PAGE_SIZE;
	si.procs = task_count();
	si.mem_unit = 1;
	return copy_to_user(UPTR(a0), &si, sizeof(si)) ? -EFAULT : 0;
}
