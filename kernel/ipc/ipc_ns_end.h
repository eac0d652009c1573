/*
 * Private to kernel/ipc/: what each mechanism does when the last
 * reference to an IPC namespace goes (ipc_ns.c calls them in turn).
 * Process context; the caller need not be in @n.
 */
#pragma once
#include "ipc.h"

/* Remove every semaphore set of @n; sleepers cannot be (sem.c). */
void sem_ns_end(struct ipc_ns *n);
/* Remove every message queue of @n (msg.c). */
void msg_ns_end(struct ipc_ns *n);
/*
 * Remove every segment of @n: one still mapped somewhere lives on,
 * outside any namespace, until its last detach (shm.c).
 */
void shm_ns_end(struct ipc_ns *n);
/*
 * Drop @n's mount of its mqueue instance; a `mount -t mqueue` of it that
 * outlives @n keeps its queues, but makes no new ones (mqueue_fs.c).
 */
void mq_ns_end(struct ipc_ns *n);
