/* Linux directory entry records for getdents64(2) and getdents(2). */
#pragma once
#include <aramid/types.h>

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

/* getdents(2): d_type is the last byte of the record, after the name. */
struct linux_dirent {
	unsigned long d_ino;
	unsigned long d_off;
	uint16_t d_reclen;
	char d_name[];
};
