/* Ending the machine (platform/power.c). */
#pragma once
#include <aramid/compiler.h>

__noreturn void machine_power_off(void);
__noreturn void machine_reboot(void);
/* Leave QEMU with a failure status (isa-debug-exit), else power off. */
__noreturn void machine_fail(void);
