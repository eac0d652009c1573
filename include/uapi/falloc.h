/* fallocate(2)'s mode flags, as Linux's ABI (linux/falloc.h). */
#pragma once

#define FALLOC_FL_KEEP_SIZE		0x01
#define FALLOC_FL_PUNCH_HOLE		0x02
#define FALLOC_FL_NO_HIDE_STALE		0x04
#define FALLOC_FL_COLLAPSE_RANGE	0x08
#define FALLOC_FL_ZERO_RANGE		0x10
#define FALLOC_FL_INSERT_RANGE		0x20
#define FALLOC_FL_UNSHARE_RANGE		0x40
/* Every flag some filesystem knows (Linux's FALLOC_FL_SUPPORTED_MASK). */
#define FALLOC_FL_SUPPORTED_MASK	0x7f

