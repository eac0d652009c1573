/* linux/audit.h's architecture tags: seccomp_data.arch, ptrace's syscall info. */
#pragma once

/* EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE */
#define AUDIT_ARCH_X86_64		0xc000003eU
