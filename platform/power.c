/*
 * Power off (ACPI PM1a on QEMU's PIIX4, port 0x604), reboot (the keyboard
 * controller's reset line) and failure exit (QEMU's isa-debug-exit).
 */
#include <platform/power.h>
#include <platform/cpu.h>
#include "x86.h"

static __noreturn void halt_forever(void)
{
	for (;;)
		__asm__ __volatile__("cli; hlt");
}

void machine_power_off(void)
{
	irq_disable();
	outw(0x604, 0x2000);		/* PIIX4 PM1a_CNT: SLP_EN, S5 */
	outw(0xb004, 0x2000);		/* older QEMU / Bochs */
	halt_forever();
}

void machine_reboot(void)
{
	irq_disable();
	for (int i = 0; i < 1000 && (inb(0x64) & 0x02); i++)
		;
	outb(0x64, 0xfe);		/* pulse the reset line */
	halt_forever();
}

void machine_fail(void)
{
	irq_disable();
	outb(0xf4, 0x01);		/* isa-debug-exit: QEMU exits with 3 */
	machine_power_off();
}
