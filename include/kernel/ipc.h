/*
 * System V IPC and POSIX message queues (kernel/ipc/): the tunables
 * /proc/sys/kernel and /proc/sys/fs/mqueue show and set, what a
 * process's life does to its semaphore undo list, and the mqueue
 * filesystem's start.
 */
#pragma once
#include <aramid/types.h>

struct task;

#define IPCMNI_SHIFT	15
#define IPCMNI		(1 << IPCMNI_SHIFT)	/* ids per mechanism */

/* Linux 6.1's defaults (include/uapi/linux/shm.h, sem.h, msg.h). */
#define SHMMAX		(~0UL - (1UL << 24))
#define SHMALL		(~0UL - (1UL << 24))
#define SHMMNI		4096
#define SEMMSL		32000
#define SEMMNI		32000
#define SEMMNS		(SEMMNI * SEMMSL)
#define SEMOPM		500
#define SEMVMX		32767
#define MSGMNI		32000
#define MSGMAX		8192
#define MSGMNB		16384

/* The tunables (kernel.shm*, kernel.sem, kernel.msg*). */
struct ipc_limits {
	unsigned long shmmax, shmall;
	int shmmni;
	int semmsl, semmns, semopm, semmni;	/* kernel.sem's order */
	int msgmax, msgmnb, msgmni;
	int shm_rmid_forced;		/* kernel.shm_rmid_forced */
	/* The id the next new object gets (kernel.*_next_id), or -1. */
	int shm_next_id, sem_next_id, msg_next_id;
};

#define IPC_LIMITS_DEFAULT { SHMMAX, SHMALL, SHMMNI, SEMMSL, SEMMNS, \
			     SEMOPM, SEMMNI, MSGMAX, MSGMNB, MSGMNI, 0, \
			     -1, -1, -1 }

/* The caller's namespace's tunables (kernel/ipc/ipc_ns.c). */
struct ipc_limits *current_ipc_limits(void);

/*
 * fork or clone of @child: with CLONE_SYSVSEM it shares its creator's
 * undo list, else it starts with none (kernel/ipc/sem_undo.c).
 */
void sem_fork(struct task *child, bool share);
/*
 * @t exits: the last holder of its undo list applies and frees it (Linux's
 * exit_sem). Process context, @t current.
 */
void sem_exit(struct task *t);

/*
 * @t exits: the segments it made become orphans, and with
 * kernel.shm_rmid_forced those not mapped go (Linux's exit_shm;
 * kernel/ipc/shm.c). Process context, after @t's mm is gone.
 */
void shm_exit(struct task *t);
/*
 * kernel.shm_rmid_forced was set: remove the caller's namespace's
 * orphaned segments that nothing maps (Linux's shm_destroy_orphaned).
 */
void shm_destroy_orphaned(void);

/* POSIX message queues' tunables (fs.mqueue.*), Linux 6.1's defaults. */
struct mq_limits {
	int queues_max, msg_max, msgsize_max, msg_default, msgsize_default;
};

#define MQ_LIMITS_DEFAULT { 256, 10, 8192, 10, 8192 }

#define MQ_HARD_MSGMAX		65536
#define MQ_HARD_MSGSIZEMAX	(16 * 1024 * 1024)
#define MQ_MIN_MSGSIZEMAX	128

/* The caller's namespace's fs.mqueue tunables (kernel/ipc/ipc_ns.c). */
struct mq_limits *current_mq_limits(void);

/*
 * Register the mqueue filesystem (kernel/ipc/mqueue_fs.c). Boot.
 */
void mqueue_init(void);
