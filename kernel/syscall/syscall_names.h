/* The syscall name table (kernel/syscall/syscall_names.c). */
#pragma once
#include <uapi/syscalls.h>

extern const char *const syscall_names[NR_SYSCALLS];
