/*
 * Fault containment, the C half: the chain of armed points per thread,
 * and the routing of kernel-mode exceptions and panics to the innermost
 * point instead of stopping the machine.
 */
#include <platform/contain.h>
#include <platform/cpu.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include "x86.h"
#include "cpu_internal.h"
#include "contain_internal.h"

void contain_push(struct contain_point *p)
{
	p->prev = cpu_running->contain;
	p->fault = NULL;
	p->nallocs = 0;
	p->untracked = 0;
	cpu_running->contain = p;
}

/* The heap tells us of each block it hands out or takes back. */
void contain_note_alloc(void *block)
{
	struct contain_point *p = cpu_running ? cpu_running->contain : NULL;

	if (!p)
		return;
	if (p->nallocs < CONTAIN_MAX_ALLOCS)
		p->allocs[p->nallocs++] = block;
	else
		p->untracked++;
}

void contain_note_free(const void *block)
{
	struct contain_point *p = cpu_running ? cpu_running->contain : NULL;

	if (!p)
		return;
	for (unsigned i = 0; i < p->nallocs; i++) {
		if (p->allocs[i] == block) {
			p->allocs[i] = p->allocs[--p->nallocs];
			return;
		}
	}
}

void contain_free_allocs(struct contain_point *p)
{
	while (p->nallocs)
		kfree(p->allocs[--p->nallocs]);
}

struct contain_point *contain_current(void)
{
	return cpu_running ? cpu_running->contain : NULL;
}

void contain_exit(struct contain_point *p)
{
	KASSERT(cpu_running->contain == p);
	cpu_running->contain = p->prev;
}

/* The innermost point of the running thread, unlinked; NULL if none. */
static struct contain_point *contain_pop(void)
{
	struct contain_point *p = cpu_running ? cpu_running->contain : NULL;

	if (p)
		cpu_running->contain = p->prev;
	return p;
}

/*
 * A kernel-mode exception @what in @tf: if a point is armed, make the
 * trap return into it (the iret lands in contain_resume) and say true.
 */
bool contain_trap(struct trapframe *tf, const char *what, uint64_t addr)
{
	struct contain_point *p = contain_pop();

	if (!p)
		return false;
	p->fault = what;
	p->panicked = false;
	p->fault_rip = tf->rip;
	p->fault_addr = addr;
	tf->rip = (uint64_t)contain_resume;
	tf->rdi = (uint64_t)p;
	tf->rflags &= ~RFLAGS_IF;	/* contain_resume restores the saved IF */
	return true;
}

/* A panic with message @msg: resume at the armed point, if any. */
void contain_panic(const char *msg, uint64_t rip)
{
	struct contain_point *p = contain_pop();

	if (!p)
		return;
	p->fault = "panic";
	p->panicked = true;
	p->fault_rip = rip;
	p->fault_addr = 0;
	strlcpy(p->panic_msg, msg, sizeof(p->panic_msg));
	contain_resume(p);
}
