/* Stopping the kernel (platform/panic.c): panic, crash_system, KASSERT. */
#pragma once
#include <aramid/compiler.h>

/*
 * Stop the kernel: print the message, registers and a backtrace; exit
 * QEMU. Inside a contained service call (include/platform/contain.h) a
 * panic ends only that call.
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Stop the kernel even inside a contained call (SysRq c). */
__noreturn void crash_system(const char *why);

#define KASSERT(cond)							\
	do {								\
		if (unlikely(!(cond)))					\
			panic("%s: assertion '%s' failed at %s:%d",	\
			      __func__, #cond, __FILE__, __LINE__);	\
	} while (0)
