/*
 * Core dumps (kernel/proc/coredump*.c, core_name.c), as Linux 6.1 writes
 * them for a signal whose default action is to dump core: an ELF core
 * file named by kernel.core_pattern in the dumper's directory.
 */
#pragma once
#include <aramid/types.h>

/* Linux's CORENAME_MAX_SIZE: kernel.core_pattern's bytes with its NUL. */
#define CORE_PATTERN_MAX	128

/* kernel.core_pattern and kernel.core_uses_pid (sysctl.c shows them). */
extern char core_pattern[CORE_PATTERN_MAX];
extern int core_uses_pid;

/*
 * Signal @sig ends current's process with a core dump if it can: the
 * other threads are stopped, the file written. True if a core was
 * dumped (the wait status then has 0x80), as Linux's do_coredump says
 * it, even when RLIMIT_CORE cut the file short. Process context, the
 * signal's siginfo in current->sig.info.
 */
bool do_coredump(int sig);

/*
 * An exiting thread of a process that is dumping core waits here, its
 * registers still in its frame, until the dump is written. Process
 * context, from task_exit.
 */
void coredump_park(void);
