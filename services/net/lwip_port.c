/*
 * lwIP's port to Aramid (services/net/lwip-port/arch/cc.h, lwipopts.h):
 * its allocator is the kernel heap, its clock the monotonic clock, its
 * randomness the kernel's pool, its diagnostics the console, and a failed
 * lwIP assertion is a panic (contained, like any fault of the network
 * service, in the profiles that contain service faults).
 */
#include "lwip/opt.h"
#include "lwip/sys.h"
#include <svc/random.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <aramid/string.h>

void *lwip_port_malloc(size_t size)
{
	return kmalloc(size);
}

void *lwip_port_calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kzalloc(n * size);
}

void lwip_port_free(void *p)
{
	kfree(p);
}

unsigned int lwip_port_rand(void)
{
	unsigned int r;

	random_bytes(&r, sizeof(r));
	return r;
}

u32_t sys_now(void)
{
	return (u32_t)(clock_monotonic_ns() / 1000000);
}

void lwip_port_diag(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	if (n && line[n - 1] == '\n')
		line[n - 1] = '\0';
	pr_info("lwip: %s", line);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}
