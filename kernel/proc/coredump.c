/*
 * Core dumps, as Linux 6.1's do_coredump: a dumpable process killed by
 * a signal whose default action is core stops its other threads (they
 * park in their exit, registers saved), names the file by
 * kernel.core_pattern, and writes it unless RLIMIT_CORE is below a page
 * or the name cannot be made (kernel/vfs/core_file.c). The process's
 * wait status gets 0x80 if the dump was made. Pipes to a program in the
 * pattern are not run.
 */
#include <kernel/coredump.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/vfs.h>
#include <kernel/signal.h>
#include <platform/heap.h>
#include <uapi/resource.h>
#include "coredump_internal.h"
#include "proc_internal.h"

/* Linux's binfmt min_coredump: a smaller RLIMIT_CORE writes nothing. */
#define CORE_MIN_LIMIT	PAGE_SIZE

/* Dumpers wait for threads to park, parked threads for the dump. */
static struct wait_queue core_wq = WAIT_QUEUE_INIT(core_wq);

static bool fatal_pending(void)
{
	return (current->sig.pending & sigmask(SIGKILL)) != 0;
}

/* Every other living thread of current's process is parked. */
static bool others_parked(void)
{
	struct task *t;

	for_each_task(t)
		if (task_live_sibling(t) && !t->core_parked)
			return false;
	return true;
}

/*
 * Linux's coredump_wait: the process ends with @sig, its other threads
 * are killed and waited for until parked. False if a SIGKILL for current
 * cut the wait short (no dump then).
 */
static bool coredump_wait(int sig)
{
	struct task *leader = task_leader(current);
	irqflags_t fl;

	leader->group_exiting = true;
	leader->group_exit_status = sig;
	leader->core_dumper = current;
	task_kill_siblings();
	fl = irq_save();
	while (!others_parked() && !fatal_pending())
		wq_sleep_nosignal(&core_wq);
	irq_restore(fl);
	return !fatal_pending();
}

/* Linux's coredump_finish: the status tells of the dump; threads go on. */
static void coredump_finish(bool dumped)
{
	struct task *leader = task_leader(current);

	if (dumped && !fatal_pending())
		leader->group_exit_status |= 0x80;
	leader->core_dumper = NULL;
	wq_wake_all(&core_wq);
}

/* See include/kernel/coredump.h. */
bool do_coredump(int sig)
{
	struct task *leader = task_leader(current);
	uint64_t limit = rlimit(RLIMIT_CORE);
	bool dumped = false;
	struct file *f;
	char *name;

	/* Not dumpable, or the process is already ending otherwise. */
	if (!current->mm || !current->mm->dumpable || leader->group_exiting)
		return false;
	if (!coredump_wait(sig))
		goto finish;
	name = kmalloc(PATH_MAX);
	if (!name)
		goto finish;
	if (core_name_format(name, PATH_MAX, sig) || limit < CORE_MIN_LIMIT)
		goto free_name;
	f = vfs_core_create(name);
	if (IS_ERR(f))
		goto free_name;
	if (!fatal_pending())
		dumped = elf_core_dump(f, limit, sig);
	fput(f);
free_name:
	kfree(name);
finish:
	coredump_finish(dumped);
	return dumped;
}

/* See include/kernel/coredump.h. */
void coredump_park(void)
{
	struct task *leader = task_leader(current);
	irqflags_t fl;

	if (!leader->core_dumper || leader->core_dumper == current)
		return;
	fl = irq_save();
	current->core_parked = true;
	wq_wake_all(&core_wq);
	while (leader->core_dumper)
		wq_sleep_nosignal(&core_wq);
	current->core_parked = false;
	irq_restore(fl);
}
