/*
 * lwIP's compiler and platform port for Aramid: freestanding types, the
 * kernel's console for diagnostics and a (contained) panic for lwIP's
 * assertions. lwIP sees no libc: the include path gives it only this port.
 */
#pragma once
#include <aramid/types.h>

#define LWIP_NO_LIMITS_H	1
#define LWIP_NO_UNISTD_H	1
#define INT_MAX			__INT_MAX__
#define SSIZE_MAX		__LONG_MAX__
#define BYTE_ORDER		LITTLE_ENDIAN
#define LWIP_ERR_T		int
#define X8_F			"02x"
#define U16_F			"u"
#define S16_F			"d"
#define X16_F			"x"
#define U32_F			"u"
#define S32_F			"d"
#define X32_F			"x"
#define SZT_F			"zu"
#define lwip_htons(x)		__builtin_bswap16(x)
#define lwip_htonl(x)		__builtin_bswap32(x)

/*
 * lwIP's platform hooks (services/net/lwip_port.c): diagnostics to the
 * kernel log, a failed assertion as a panic of the service (contained in
 * fortress and balanced), and its memory from the kernel heap.
 */
void lwip_port_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void lwip_port_assert(const char *msg,
						const char *file, int line);
void *lwip_port_malloc(size_t size);
void *lwip_port_calloc(size_t n, size_t size);
void lwip_port_free(void *p);

/* The Internet checksum, eight bytes a step (services/net/chksum.c). */
uint16_t lwip_port_chksum(const void *data, int len);
#define LWIP_CHKSUM		lwip_port_chksum

#define LWIP_PLATFORM_DIAG(x)	do { lwip_port_diag x; } while (0)
#define LWIP_PLATFORM_ASSERT(x)	lwip_port_assert(x, __FILE__, __LINE__)
