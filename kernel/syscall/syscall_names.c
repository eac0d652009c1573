/* Names of Linux x86-64 system calls, for the unimplemented-call log. */
#include "syscall_names.h"

const char *const syscall_names[NR_SYSCALLS] = {
#define SYSCALL_NAME(name, nr)	[nr] = #name,
	LINUX_SYSCALLS(SYSCALL_NAME)
#undef SYSCALL_NAME
};
