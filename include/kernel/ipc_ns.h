/*
 * IPC namespaces (kernel/ipc/ipc_ns.c): System V semaphores, shared
 * memory and message queues, their tunables and /proc/sysvipc, and the
 * POSIX message queues of the mqueue instance each namespace has, as
 * Linux's. A task points at its namespace (task->ipc_ns, a reference);
 * fork shares it, clone and unshare with CLONE_NEWIPC give a new empty
 * one, setns(2) moves a task into another. When its last reference goes
 * (its last task and nsfs file) its objects are removed. One CPU, no
 * kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

struct ipc_ns;

/* The namespace the kernel starts in; init's. */
extern struct ipc_ns init_ipc_ns;

/* Take a reference to @n and return it. */
struct ipc_ns *ipc_ns_get(struct ipc_ns *n);
/* Drop a reference to @n (NULL is ignored); the last removes its objects. */
void ipc_ns_put(struct ipc_ns *n);
/*
 * A new empty namespace with Linux's default tunables, one reference for
 * the caller, or NULL when memory is short.
 */
struct ipc_ns *ipc_ns_new(void);
/* @n's common part (for task_ns and nsfs). */
struct ns_common *ipc_ns_common(struct ipc_ns *n);
