/*
 * The I/O ports a thread may use in user mode (kernel/proc/sys_ioperm.c):
 * ioperm(2)'s bitmap and iopl(2)'s level 3, as Linux 5.5+ keeps them per
 * thread in the TSS's I/O bitmap (EFLAGS.IOPL stays 0).
 */
#pragma once
#include <aramid/types.h>

struct task;
struct trapframe;

/*
 * Give child @c (not running yet) the ports and level of @p, as Linux's
 * copy_thread: kept across fork and clone, and across exec.
 */
void ioport_fork(struct task *c, const struct task *p);
/* Drop @t's ports: it is freed and never runs again. */
void ioport_release(struct task *t);
/*
 * A #GP from user mode at @tf: under iopl(3) a cli or sti is skipped as
 * Linux's fixup_iopl_exception does (its line in the log once a thread):
 * true, @tf moved past it; false for any other fault.
 */
bool ioport_fixup_cli(struct trapframe *tf);
