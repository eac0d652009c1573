/*
 * How many CPUs the kernel runs on: the one fact sched_getaffinity,
 * /sys/devices/system/cpu and the node masks derive from: the CPUs the
 * platform started.
 */
#include <svc/cpus.h>
#include <platform/smp.h>

/* See include/svc/cpus.h. */
unsigned cpu_count(void)
{
	return cpu_online_count();
}

/* See include/svc/cpus.h. */
unsigned cpu_apicid(unsigned cpu)
{
	return cpu_apic_id(cpu);
}
