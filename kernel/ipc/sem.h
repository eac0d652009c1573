/*
 * Private to kernel/ipc/: semaphore sets and the per-process undo lists
 * (sem.c, sem_undo.c), as Linux 6.1's ipc/sem.c.
 */
#pragma once
#include <svc/wait.h>
#include "ipc.h"

#define SEM_UNDO	0x1000
#define SEMAEM		SEMVMX

struct sem {
	int semval;
	pid_t sempid;
};

struct sem_array {
	struct kern_ipc_perm perm;	/* first */
	int refs;			/* the table's and each sleeper's */
	int64_t otime, ctime;
	int nsems;
	struct wait_queue wq;		/* sleepers retry after each change */
	struct list_head sleepers;	/* struct sem_sleeper.link */
	struct list_head undos;		/* struct sem_undo.array_link */
	struct sem sems[];
};

/* One blocked semop: the operation it waits on, for GETNCNT/GETZCNT. */
struct sem_sleeper {
	struct list_head link;
	unsigned short num;
	bool zero;
};

/* A process's adjustments of one set, applied at its exit. */
struct sem_undo {
	struct list_head list_link;	/* sem_undo_list.undos */
	struct list_head array_link;	/* sem_array.undos */
	int semid;
	short semadj[];
};

/* The undo list of the processes that share it (CLONE_SYSVSEM). */
struct sem_undo_list {
	int refs;
	struct list_head undos;
};

/*
 * The caller's undo entry for the set @semid, made if missing: the entry,
 * ERR_PTR -EINVAL (no such set) or -ENOMEM (sem_undo.c).
 */
struct sem_undo *sem_find_alloc_undo(int semid);
/* Forget every process's adjustments of @sma (IPC_RMID). */
void sem_free_undos(struct sem_array *sma);
/* Zero every process's adjustment of @sma's semaphore @num (-1: all). */
void sem_clear_undos(struct sem_array *sma, int num);
