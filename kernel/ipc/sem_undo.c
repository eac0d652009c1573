/*
 * SEM_UNDO's bookkeeping, as Linux 6.1's: each process (or the processes
 * that share it through CLONE_SYSVSEM) has a list with one entry per set
 * it operated on with SEM_UNDO; the last to exit applies the entries,
 * each semaphore kept within 0..SEMVMX. Process context.
 */
#include <kernel/task.h>
#include <kernel/ipc.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sem.h"

void sem_fork(struct task *child, bool share)
{
	struct sem_undo_list *ulp = share ? current->sysvsem : NULL;

	if (ulp)
		ulp->refs++;
	child->sysvsem = ulp;
}

/* The caller's undo list, made if missing: NULL without memory. */
static struct sem_undo_list *undo_list(void)
{
	struct sem_undo_list *ulp = current->sysvsem;

	if (ulp)
		return ulp;
	ulp = kzalloc(sizeof(*ulp));
	if (!ulp)
		return NULL;
	ulp->refs = 1;
	list_init(&ulp->undos);
	current->sysvsem = ulp;
	return ulp;
}

struct sem_undo *sem_find_alloc_undo(int semid)
{
	struct sem_undo_list *ulp = undo_list();
	struct kern_ipc_perm *p;
	struct sem_array *sma;
	struct sem_undo *un;

	if (!ulp)
		return ERR_PTR(-ENOMEM);
	list_for_each_entry(un, &ulp->undos, list_link)
		if (un->semid == semid)
			return un;
	p = ipc_obtain_check(&ipc_ns_cur()->sem_ids, semid);
	if (!p)
		return ERR_PTR(-EINVAL);
	sma = container_of(p, struct sem_array, perm);
	un = kzalloc(sizeof(*un) + sma->nsems * sizeof(short));
	if (!un)
		return ERR_PTR(-ENOMEM);
	un->semid = semid;
	list_add(&un->list_link, &ulp->undos);
	list_add(&un->array_link, &sma->undos);
	return un;
}

static void undo_free(struct sem_undo *un)
{
	list_del(&un->list_link);
	list_del(&un->array_link);
	kfree(un);
}

void sem_free_undos(struct sem_array *sma)
{
	struct sem_undo *un, *n;

	list_for_each_entry_safe(un, n, &sma->undos, array_link)
		undo_free(un);
}

void sem_clear_undos(struct sem_array *sma, int num)
{
	struct sem_undo *un;

	list_for_each_entry(un, &sma->undos, array_link) {
		if (num < 0)
			memset(un->semadj, 0, sma->nsems * sizeof(short));
		else
			un->semadj[num] = 0;
	}
}

/* Apply @un to its set, as Linux's exit_sem. */
static void undo_apply(struct sem_undo *un)
{
	struct kern_ipc_perm *p = ipc_obtain_check(&ipc_ns_cur()->sem_ids,
						   un->semid);
	struct sem_array *sma;

	if (!p)
		return;
	sma = container_of(p, struct sem_array, perm);
	for (int i = 0; i < sma->nsems; i++) {
		struct sem *s = &sma->sems[i];

		if (!un->semadj[i])
			continue;
		s->semval += un->semadj[i];
		if (s->semval < 0)
			s->semval = 0;
		if (s->semval > SEMVMX)
			s->semval = SEMVMX;
		s->sempid = current->tgid;
	}
	wq_wake_all(&sma->wq);
}

void sem_exit(struct task *t)
{
	struct sem_undo_list *ulp = t->sysvsem;
	struct sem_undo *un, *n;

	t->sysvsem = NULL;
	if (!ulp || --ulp->refs)
		return;
	list_for_each_entry_safe(un, n, &ulp->undos, list_link) {
		undo_apply(un);
		undo_free(un);
	}
	kfree(ulp);
}
