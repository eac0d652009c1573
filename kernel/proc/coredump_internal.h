/*
 * The parts of a core dump kernel/proc/coredump.c hands to core_name.c
 * (the file's name) and coredump_elf.c (its contents). Kernel lock held.
 */
#pragma once
#include <aramid/types.h>

struct file;

/*
 * kernel.core_pattern expanded for signal @sig of current, NUL-terminated
 * in @buf of @size: 0, -ENAMETOOLONG (it does not fit), or -EOPNOTSUPP
 * (a pipe to a program, which Aramid does not start).
 */
int core_name_format(char *buf, size_t size, int sig);

/*
 * Write current's process as an ELF core for signal @sig to @f, at most
 * @limit bytes (RLIMIT_CORE): true if the dump was made, however short
 * the limit cut it; false if memory ran out before it began. The other
 * threads must be parked (coredump_park).
 */
bool elf_core_dump(struct file *f, uint64_t limit, int sig);
