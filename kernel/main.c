/* kernel_main: bring up ring 1 and start init. */
#include <platform/upcall.h>
#include <platform/console.h>
#include <platform/power.h>
#include <aramid/profile.h>

void kernel_main(const struct boot_info *bi)
{
	pr_info("Aramid (" PROFILE_NAME " profile) booting, cmdline: %s", bi->cmdline);
	pr_info("memory: %lu KiB, initrd %lu bytes", bi->mem_bytes >> 10, bi->initrd_size);
	machine_power_off();
}

void kernel_syscall(struct trapframe *tf) { (void)tf; }
int kernel_page_fault(uintptr_t addr, bool write, bool exec) { return -14; }
void kernel_user_fault(struct trapframe *tf, uintptr_t addr) {}
void kernel_timer_tick(void) {}
void kernel_console_rx(uint8_t c) {}
void kernel_return_to_user(struct trapframe *tf) {}
