/*
 * The id tables and permission checks System V shared memory, semaphores
 * and message queues share (Linux 6.1's ipc/util.c). Indices are handed
 * out cyclically below IPCMNI; each wrap bumps the table's sequence
 * number, so a removed object's id is not soon reused. Process context.
 */
#include <kernel/task.h>
#include <svc/task.h>
#include <svc/vfs.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "ipc.h"
#include "ipc_proc.h"

#define ipcid_to_idx(id)	((id) & (IPCMNI - 1))
#define ipcid_to_seq(id)	((id) >> IPCMNI_SHIFT)

int64_t ipc_now(void)
{
	return current_time().sec;
}

/* The object with @key (not IPC_PRIVATE), or NULL. */
static struct kern_ipc_perm *ipc_findkey(struct ipc_ids *ids, key_t key)
{
	struct kern_ipc_perm *p;

	list_for_each_entry(p, &ids->list, link)
		if (p->key == key)
			return p;
	return NULL;
}

struct kern_ipc_perm *ipc_obtain(struct ipc_ids *ids, int idx)
{
	struct kern_ipc_perm *p;

	list_for_each_entry(p, &ids->list, link)
		if (p->idx == idx)
			return p;
	return NULL;
}

struct kern_ipc_perm *ipc_obtain_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p = ipc_obtain(ids, ipcid_to_idx(id));

	if (!p || ipcid_to_seq(id) != p->seq)
		return NULL;
	return p;
}

#define IPC_MIN_CYCLE	64	/* Linux's RADIX_TREE_MAP_SIZE */

/* The first free index in [from, end), or -1. */
static int free_idx(struct ipc_ids *ids, int from, int end)
{
	for (int idx = from; idx < end; idx++)
		if (!ipc_obtain(ids, idx))
			return idx;
	return -1;
}

/* Linux's ipc_idr_alloc: @p's index and sequence number, or -ENOSPC. */
static int ipc_idx_alloc(struct ipc_ids *ids, struct kern_ipc_perm *p)
{
	int next = *ids->next_id, idx, end;

	*ids->next_id = -1;
	if (next >= 0) {
		idx = free_idx(ids, ipcid_to_idx(next), IPCMNI);
		p->seq = (unsigned short)ipcid_to_seq(next);
		return idx < 0 ? -ENOSPC : idx;
	}
	end = MIN(MAX(ids->in_use * 3 / 2, IPC_MIN_CYCLE), IPCMNI);
	idx = ids->last_idx + 1 < end ?
	      free_idx(ids, ids->last_idx + 1, end) : -1;
	if (idx < 0)
		idx = free_idx(ids, 0, end);
	if (idx < 0)
		return -ENOSPC;
	if (idx <= ids->last_idx && ++ids->seq >= IPCID_SEQ_MAX)
		ids->seq = 0;
	ids->last_idx = idx;
	p->seq = (unsigned short)ids->seq;
	return idx;
}

int ipc_addid(struct ipc_ids *ids, struct kern_ipc_perm *p, key_t key,
	      int flg, int limit)
{
	struct kern_ipc_perm *q;
	int idx;

	if (ids->in_use >= limit)
		return -ENOSPC;
	idx = ipc_idx_alloc(ids, p);
	if (idx < 0)
		return idx;
	p->idx = idx;
	p->id = (p->seq << IPCMNI_SHIFT) | idx;
	p->key = key;
	p->uid = p->cuid = current->cred.euid;
	p->gid = p->cgid = current->cred.egid;
	p->mode = flg & S_IRWXUGO;
	p->deleted = false;
	p->ns = ipc_ns_cur();
	list_for_each_entry(q, &ids->list, link)
		if (q->idx > idx)
			break;
	list_add_tail(&p->link, &q->link);
	ids->in_use++;
	return p->id;
}

void ipc_rmid(struct ipc_ids *ids, struct kern_ipc_perm *p)
{
	list_del(&p->link);
	ids->in_use--;
	p->deleted = true;
}

int ipcperms(const struct kern_ipc_perm *p, int flg)
{
	const struct cred *c = &current->cred;
	int requested = (flg >> 6) | (flg >> 3) | flg;
	int granted = (int)p->mode;

	if (c->euid == p->cuid || c->euid == p->uid)
		granted >>= 6;
	else if (in_group_p(p->cgid) || in_group_p(p->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && !capable(CAP_IPC_OWNER))
		return -EACCES;
	return 0;
}

struct kern_ipc_perm *ipcctl_obtain_check(struct ipc_ids *ids, int id)
{
	struct kern_ipc_perm *p = ipc_obtain_check(ids, id);
	uid_t euid = current->cred.euid;

	if (!p)
		return ERR_PTR(-EINVAL);
	if (euid == p->cuid || euid == p->uid || capable(CAP_SYS_ADMIN))
		return p;
	return ERR_PTR(-EPERM);
}

int ipc_get(struct ipc_ids *ids, key_t key, int flg, const struct ipc_ops *ops,
	    long arg)
{
	struct kern_ipc_perm *p;
	int err;

	if (key == IPC_PRIVATE)
		return ops->getnew(key, flg, arg);
	p = ipc_findkey(ids, key);
	if (!p)
		return (flg & IPC_CREAT) ? ops->getnew(key, flg, arg) : -ENOENT;
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		return -EEXIST;
	err = ops->more_checks ? ops->more_checks(p, arg) : 0;
	if (!err)
		err = ipcperms(p, flg);
	return err ? err : p->id;
}

/* See ipc_proc.h. */
struct kern_ipc_perm *ipc_nth(struct ipc_ids *ids, int n)
{
	struct kern_ipc_perm *p;

	list_for_each_entry(p, &ids->list, link)
		if (!n--)
			return p;
	return NULL;
}

int ipc_maxidx(const struct ipc_ids *ids)
{
	if (!ids->in_use)
		return -1;
	return list_entry(ids->list.prev, struct kern_ipc_perm, link)->idx;
}

void ipc_perm_to_user(const struct kern_ipc_perm *p, struct ipc64_perm *out)
{
	memset(out, 0, sizeof(*out));
	out->key = p->key;
	out->uid = p->uid;
	out->gid = p->gid;
	out->cuid = p->cuid;
	out->cgid = p->cgid;
	out->mode = p->mode;
	out->seq = p->seq;
}

int ipc_update_perm(const struct ipc64_perm *in, struct kern_ipc_perm *p)
{
	if (in->uid == (uid_t)-1 || in->gid == (gid_t)-1)
		return -EINVAL;
	p->uid = in->uid;
	p->gid = in->gid;
	p->mode = (p->mode & ~S_IRWXUGO) | (in->mode & S_IRWXUGO);
	return 0;
}
