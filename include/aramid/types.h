/* Basic freestanding types shared by every ring of the kernel. */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef int64_t ssize_t;
typedef int64_t off_t;
typedef int32_t pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;
typedef uint32_t mode_t;
typedef uint64_t dev_t;
typedef uint64_t ino_t;
typedef uint64_t paddr_t;	/* a physical address */

/*
 * A user-space virtual address. It is a struct so that it cannot be
 * dereferenced, passed to memcpy or mixed with kernel pointers by mistake;
 * only the platform user-copy routines turn it into an access.
 */
typedef struct { uintptr_t va; } uptr_t;

#define UPTR(x)		((uptr_t){ .va = (uintptr_t)(x) })
#define uptr_add(p, n)	((uptr_t){ .va = (p).va + (uintptr_t)(n) })
#define uptr_null(p)	((p).va == 0)
#define uptr_eq(p, q)	((p).va == (q).va)

/*
 * The address of @p as a number, for arithmetic on the address itself:
 * alignment, page offsets, finding its mapping, naming a futex. Never a
 * way to reach the memory; the source lint (scripts/check-layers.sh)
 * rejects any other use of .va outside platform/ and this header.
 */
static inline uintptr_t uptr_to_ulong(uptr_t p)
{
	return p.va;
}
