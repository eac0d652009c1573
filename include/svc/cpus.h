/*
 * How many CPUs run, for the services that describe them (sysfs through
 * svc/sysfacts.h, procfs's /proc/cpuinfo through svc/introspect.h).
 */
#pragma once

/*
 * The CPUs the kernel runs on, numbered 0 .. cpu_count() - 1, all online
 * (kernel/system/cpus.c). The one place SMP changes; never 0.
 */
unsigned cpu_count(void);
/* The local APIC id of CPU @cpu (< cpu_count()), as /proc/cpuinfo shows it. */
unsigned cpu_apicid(unsigned cpu);
