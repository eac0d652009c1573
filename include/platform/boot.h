/* What the platform found at boot, handed to kernel_main(). */
#pragma once
#include <aramid/types.h>

struct boot_info {
	const char *cmdline;		/* kernel command line */
	paddr_t initrd_start;		/* physical; 0 if none */
	size_t initrd_size;
	uint64_t mem_bytes;		/* usable RAM */
};

/* Copy @len bytes of the initrd from @off (the frames stay reserved). */
void boot_initrd_read(size_t off, void *buf, size_t len);
/* Give the initrd's frames back to the allocator, once unpacked. */
void boot_initrd_release(void);
