/*
 * Private to kernel/ipc/: what System V shared memory, semaphores and
 * message queues share, as Linux 6.1's ipc/util.c: the id table of each
 * mechanism (ids, keys, sequence numbers), the permission checks, and the
 * ipc_perm structure user space sees. One CPU, no preemption inside the
 * kernel: the tables need no lock.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>
#include <kernel/ipc.h>
#include <kernel/ipc_ns.h>
#include <kernel/ns.h>
#include <kernel/vfs.h>

typedef int32_t key_t;

#define IPC_PRIVATE	((key_t)0)
#define IPC_CREAT	00001000
#define IPC_EXCL	00002000
#define IPC_NOWAIT	00004000
#define IPC_RMID	0
#define IPC_SET		1
#define IPC_STAT	2
#define IPC_INFO	3

#define S_IRUGO		0444
#define S_IWUGO		0222
#define S_IXUGO		0111
#define S_IRWXUGO	0777

#define IPCID_SEQ_MAX	(0x7fffffff >> IPCMNI_SHIFT)

/* struct ipc64_perm, x86_64's layout. */
struct ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;
	uint16_t seq;
	uint16_t pad2;
	uint64_t unused1, unused2;
};

/* One object's identity and permissions (Linux's kern_ipc_perm). */
struct kern_ipc_perm {
	struct list_head link;		/* ipc_ids.list, by index */
	int id;				/* seq << IPCMNI_SHIFT | idx */
	int idx;
	key_t key;
	uid_t uid, cuid;
	gid_t gid, cgid;
	unsigned mode;			/* permission bits and SHM_* flags */
	unsigned short seq;
	bool deleted;			/* removed: waiters see EIDRM */
	struct ipc_ns *ns;		/* its namespace (no reference) */
};

/* One mechanism's objects. */
struct ipc_ids {
	struct list_head list;		/* kern_ipc_perm.link, by index */
	int in_use;
	int last_idx;			/* the cyclic allocator's last */
	int seq;
	int *next_id;			/* its kernel.*_next_id */
};

/*
 * An IPC namespace (Linux's ipc_namespace): its own id tables, tunables
 * and counters, and its own mqueue super block. Each object points back
 * at its namespace; the namespace's end removes them all (a segment still
 * mapped lives on, orphaned, until its last detach).
 */
struct ipc_ns {
	struct ns_common ns;
	struct ipc_limits limits;
	struct mq_limits mq_limits;
	struct ipc_ids shm_ids, sem_ids, msg_ids;
	size_t shm_tot;			/* pages of all its segments */
	int used_sems;			/* semaphores of all its sets */
	size_t msg_hdrs, msg_bytes;	/* messages in all its queues */
	/* Its mqueue instance: the super block while one lives (no
	 * reference), the kernel's mount of it once mq_open needed it, and
	 * its queues alive, for queues_max. */
	struct super_block *mq_sb;
	struct path mq_root;
	int mq_queues;
};

/* The caller's IPC namespace (current's). */
struct ipc_ns *ipc_ns_cur(void);

/* How ipc_get makes and checks one mechanism's objects. */
struct ipc_ops {
	/* A new object for @key and @flg: its id or -errno. */
	int (*getnew)(key_t key, int flg, long arg);
	/* The mechanism's own checks of an existing object: 0 or -errno. */
	int (*more_checks)(struct kern_ipc_perm *p, long arg);
};

/*
 * Linux's ipcget: the id of @key's object, made by @ops->getnew for
 * IPC_PRIVATE or an absent key with IPC_CREAT; -ENOENT (absent),
 * -EEXIST (IPC_CREAT|IPC_EXCL), @ops->more_checks's error or -EACCES
 * (ipcperms on @flg) for an existing one.
 */
int ipc_get(struct ipc_ids *ids, key_t key, int flg, const struct ipc_ops *ops,
	    long arg);
/*
 * Enter @p in @ids with @key, the caller's effective ids as owner and
 * creator, @flg's permission bits and the caller's namespace: its new id, or -ENOSPC with @limit
 * objects in use already. The index is the next free one cyclically
 * below max(64, 3/2 of those in use), as Linux's idr_alloc_cyclic; or,
 * once, what the mechanism's kernel.*_next_id asks (the free index at
 * or above its own, with its sequence number).
 */
int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, key_t key,
	      int flg, int limit);
/* Take @p out of @ids and mark it deleted. */
void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p);
/* The object at index @idx (any sequence number), or NULL. */
struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int idx);
/* The object whose id is @id (index and sequence), or NULL. */
struct kern_ipc_perm *ipc_obtain_check(struct ipc_ids *ids, int id);
/*
 * Linux's ipcctl_obtain_check for IPC_SET and IPC_RMID: @id's object if
 * the caller's euid is its owner's or creator's or it has CAP_SYS_ADMIN;
 * ERR_PTR -EINVAL (no such id) or -EPERM.
 */
struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id);
/*
 * Linux's ipcperms: 0 if the caller may have the access of @flg's
 * permission bits (owner, then group, then other class; CAP_IPC_OWNER
 * overrides), else -EACCES.
 */
int ipcperms(const struct kern_ipc_perm *p, int flg);
/* The highest index in use, or -1 with none (Linux's ipc_get_maxidx). */
int ipc_maxidx(const struct ipc_ids *ids);
/* @p as user space sees it. */
void ipc_perm_to_user(const struct kern_ipc_perm *p, struct ipc64_perm *out);
/*
 * IPC_SET's new owner and permission bits from @in: 0, or -EINVAL for
 * an invalid uid or gid (-1).
 */
int ipc_update_perm(const struct ipc64_perm *in, struct kern_ipc_perm *p);
/* The wall clock in seconds, for the objects' times. */
int64_t ipc_now(void);
