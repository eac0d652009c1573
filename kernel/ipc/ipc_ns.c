/*
 * IPC namespaces (include/kernel/ipc_ns.h), as Linux 6.1's
 * ipc/namespace.c: the initial one, the empty ones CLONE_NEWIPC makes,
 * what setns(2) does with them, and the end of one: every object of its
 * three id tables goes (shm_ns_end, sem_ns_end, msg_ns_end) and its
 * mqueue instance is cut loose (mq_ns_end). Process context.
 */
#include <kernel/task.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>
#include "ipc.h"
#include "ipc_ns_end.h"

/* Linux's proc_ns.h: PROC_IPC_INIT_INO. */
#define NS_INIT_IPC_INO	0xEFFFFFFFU

static const struct ns_ops ipc_ns_ops;

#define IDS_INIT(n, ids, next) \
	{ LIST_HEAD_INIT((n).ids.list), 0, -1, 0, &(n).limits.next }

struct ipc_ns init_ipc_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_IPC_INO, .ops = &ipc_ns_ops },
	.limits = IPC_LIMITS_DEFAULT,
	.mq_limits = MQ_LIMITS_DEFAULT,
	.shm_ids = IDS_INIT(init_ipc_ns, shm_ids, shm_next_id),
	.sem_ids = IDS_INIT(init_ipc_ns, sem_ids, sem_next_id),
	.msg_ids = IDS_INIT(init_ipc_ns, msg_ids, msg_next_id),
};

static struct ipc_ns *to_ipc(struct ns_common *ns)
{
	return container_of(ns, struct ipc_ns, ns);
}

/* See ipc.h. */
struct ipc_ns *ipc_ns_cur(void)
{
	return current->ipc_ns;
}

/* See include/kernel/ipc.h. */
struct ipc_limits *current_ipc_limits(void)
{
	return &current->ipc_ns->limits;
}

/* See include/kernel/ipc.h. */
struct mq_limits *current_mq_limits(void)
{
	return &current->ipc_ns->mq_limits;
}

/* See include/kernel/ipc_ns.h. */
struct ipc_ns *ipc_ns_get(struct ipc_ns *n)
{
	ns_get(&n->ns);
	return n;
}

/* See include/kernel/ipc_ns.h. */
void ipc_ns_put(struct ipc_ns *n)
{
	if (n)
		ns_put(&n->ns);
}

/* See include/kernel/ipc_ns.h. */
struct ns_common *ipc_ns_common(struct ipc_ns *n)
{
	return &n->ns;
}

static void ids_init(struct ipc_ids *ids, int *next_id)
{
	list_init(&ids->list);
	ids->last_idx = -1;
	ids->next_id = next_id;
}

/* See include/kernel/ipc_ns.h. */
struct ipc_ns *ipc_ns_new(void)
{
	struct ipc_ns *n = kzalloc(sizeof(*n));

	if (!n)
		return NULL;
	ns_init(&n->ns, &ipc_ns_ops);
	n->limits = (struct ipc_limits)IPC_LIMITS_DEFAULT;
	n->mq_limits = (struct mq_limits)MQ_LIMITS_DEFAULT;
	ids_init(&n->shm_ids, &n->limits.shm_next_id);
	ids_init(&n->sem_ids, &n->limits.sem_next_id);
	ids_init(&n->msg_ids, &n->limits.msg_next_id);
	return n;
}

/* ns_ops.free: Linux's free_ipc_ns; the initial one is never freed. */
static void ipc_ns_free(struct ns_common *ns)
{
	struct ipc_ns *n = to_ipc(ns);

	sem_ns_end(n);
	msg_ns_end(n);
	shm_ns_end(n);
	mq_ns_end(n);
	kfree(n);
}

/*
 * Linux's ipcns_install: CAP_SYS_ADMIN. The caller's semaphore undo
 * list, of the namespace it leaves, goes first (applied, as at exit).
 */
static int ipc_ns_may_install(struct ns_common *ns)
{
	(void)ns;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static void ipc_ns_install(struct ns_common *ns)
{
	struct ipc_ns *old = current->ipc_ns;

	sem_exit(current);
	current->ipc_ns = ipc_ns_get(to_ipc(ns));
	ipc_ns_put(old);
}

static const struct ns_ops ipc_ns_ops = {
	.name = "ipc",
	.type = CLONE_NEWIPC,
	.free = ipc_ns_free,
	.may_install = ipc_ns_may_install,
	.install = ipc_ns_install,
};
