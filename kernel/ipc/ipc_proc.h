/*
 * Private to kernel/ipc/: what each mechanism tells /proc/sysvipc of its
 * objects (ipc_proc.c formats it). The pointers live until the caller's
 * next IPC call; nothing sleeps in between.
 */
#pragma once
#include "ipc.h"

struct ipc_shm_info {
	const struct kern_ipc_perm *perm;
	unsigned long segsz, nattch, rss;	/* rss in bytes */
	pid_t cpid, lpid;
	int64_t atime, dtime, ctime;
};

struct ipc_sem_info {
	const struct kern_ipc_perm *perm;
	unsigned nsems;
	int64_t otime, ctime;
};

struct ipc_msg_info {
	const struct kern_ipc_perm *perm;
	unsigned long cbytes, qnum;
	pid_t lspid, lrpid;
	int64_t stime, rtime, ctime;
};

/* The @n-th object in index order into @out: false past the last. */
bool shm_proc_info(int n, struct ipc_shm_info *out);
bool sem_proc_info(int n, struct ipc_sem_info *out);
bool msg_proc_info(int n, struct ipc_msg_info *out);
/* The @n-th object of @ids in index order, or NULL (util.c). */
struct kern_ipc_perm *ipc_nth(struct ipc_ids *ids, int n);
