/* What the kernel keeps from boot (kernel/main.c). */
#pragma once
#include <aramid/types.h>

/* The full kernel command line, as /proc/cmdline shows it. */
const char *kernel_cmdline(void);
