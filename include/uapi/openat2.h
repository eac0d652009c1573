/* openat2(2)'s ABI (linux/openat2.h): struct open_how and RESOLVE_*. */
#pragma once
#include <aramid/types.h>

struct open_how {
	uint64_t flags;		/* O_* */
	uint64_t mode;		/* for O_CREAT or O_TMPFILE */
	uint64_t resolve;	/* RESOLVE_* */
};

#define OPEN_HOW_SIZE_VER0	24	/* the first published struct */

#define RESOLVE_NO_XDEV		0x01	/* no mount crossing */
#define RESOLVE_NO_MAGICLINKS	0x02	/* no /proc/PID/fd/N style links */
#define RESOLVE_NO_SYMLINKS	0x04	/* no symlinks at all */
#define RESOLVE_BENEATH		0x08	/* stay below the dirfd */
#define RESOLVE_IN_ROOT		0x10	/* the dirfd as the root */
#define RESOLVE_CACHED		0x20	/* only what needs no I/O */
