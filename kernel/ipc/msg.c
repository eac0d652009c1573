/*
 * System V message queues, as Linux 6.1's ipc/msg.c: msgget, msgsnd,
 * msgrcv and msgctl. A sender waits while the queue is full, a receiver
 * while no message matches; both retry after every change and see EIDRM
 * when the queue is removed. Process context.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <kernel/ipc.h>
#include <svc/task.h>
#include <svc/wait.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "ipc.h"
#include "ipc_proc.h"
#include "ipc_ns_end.h"

#define MSG_NOERROR	010000
#define MSG_EXCEPT	020000
#define MSG_COPY	040000
#define MSG_STAT	11
#define MSG_INFO	12
#define MSG_STAT_ANY	13
#define MSGSSZ		16
#define MSGPOOL		(MSGMNI * MSGMNB / 1024)
#define MSGTQL		MSGMNB
#define MSGMAP		MSGMNB
#define MSGSEG		0xffff

struct msqid64_ds {
	struct ipc64_perm msg_perm;
	int64_t msg_stime, msg_rtime, msg_ctime;
	uint64_t msg_cbytes, msg_qnum, msg_qbytes;
	int32_t msg_lspid, msg_lrpid;
	uint64_t unused4, unused5;
};

struct msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
};

struct msg_msg {
	struct list_head link;
	long type;
	size_t size;
	char text[];
};

struct msg_queue {
	struct kern_ipc_perm perm;	/* first */
	int refs;			/* the table's and each sleeper's */
	int64_t stime, rtime, ctime;
	size_t cbytes, qnum, qbytes;
	pid_t lspid, lrpid;
	struct list_head messages;	/* struct msg_msg.link, oldest first */
	struct wait_queue wq;		/* senders and receivers */
};

/* How msgrcv picks (Linux's convert_mode). */
enum msg_search { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL,
		  SEARCH_LESSEQUAL, SEARCH_NUMBER };


static struct msg_queue *msq_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct msg_queue, perm);
}

static void msq_put(struct msg_queue *q)
{
	if (!--q->refs)
		kfree(q);
}

static int msg_newque(key_t key, int flg, long arg)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	struct ipc_ns *ns = ipc_ns_cur();
	int id;

	(void)arg;
	if (!q)
		return -ENOMEM;
	id = ipc_addid(&ns->msg_ids, &q->perm, key, flg, ns->limits.msgmni);
	if (id < 0) {
		kfree(q);
		return id;
	}
	q->refs = 1;
	q->qbytes = (size_t)ns->limits.msgmnb;
	q->ctime = ipc_now();
	list_init(&q->messages);
	wq_init(&q->wq);
	return id;
}

static const struct ipc_ops msg_ops = { .getnew = msg_newque };

SYSCALL(__NR_msgget, msgget)(SYSCALL_ARGS)
{
	return ipc_get(&ipc_ns_cur()->msg_ids, (key_t)a0, (int)a1, &msg_ops, 0);
}

/*
 * Sleep on @q once: 0, -EIDRM if it was removed meanwhile, or
 * -ERESTARTNOHAND for a signal.
 */
static int msq_sleep(struct msg_queue *q)
{
	irqflags_t fl;
	int r;

	q->refs++;
	fl = irq_save();
	r = wq_sleep(&q->wq, 0);
	irq_restore(fl);
	if (q->perm.deleted) {
		msq_put(q);
		return -EIDRM;
	}
	msq_put(q);
	return r ? -ERESTARTNOHAND : 0;
}

static void msg_unlink(struct msg_queue *q, struct msg_msg *m)
{
	list_del(&m->link);
	q->qnum--;
	q->cbytes -= m->size;
	q->perm.ns->msg_hdrs--;
	q->perm.ns->msg_bytes -= m->size;
}

/* Linux's do_msgsnd. */
static long msg_send(int id, long type, uptr_t text, size_t size, int flg)
{
	struct kern_ipc_perm *p;
	struct msg_queue *q;
	struct msg_msg *m;
	long err;

	if (size > (size_t)ipc_ns_cur()->limits.msgmax || (long)size < 0 ||
	    id < 0)
		return -EINVAL;
	if (type < 1)
		return -EINVAL;
	m = kmalloc(sizeof(*m) + size);
	if (!m)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(m->text, text, size))
		goto out;
	m->type = type;
	m->size = size;
	err = -EINVAL;
	p = ipc_obtain_check(&ipc_ns_cur()->msg_ids, id);
	if (!p)
		goto out;
	q = msq_of(p);
	for (;;) {
		err = ipcperms(p, S_IWUGO);
		if (err)
			goto out;
		if (q->cbytes + size <= q->qbytes && q->qnum + 1 <= q->qbytes)
			break;
		err = -EAGAIN;
		if (flg & IPC_NOWAIT)
			goto out;
		err = msq_sleep(q);
		if (err)
			goto out;
	}
	q->lspid = current->tgid;
	q->stime = ipc_now();
	list_add_tail(&m->link, &q->messages);
	q->qnum++;
	q->cbytes += size;
	q->perm.ns->msg_hdrs++;
	q->perm.ns->msg_bytes += size;
	wq_wake_all(&q->wq);
	return 0;
out:
	kfree(m);
	return err;
}

SYSCALL(__NR_msgsnd, msgsnd)(SYSCALL_ARGS)
{
	long type;

	if (get_user(type, UPTR(a1)))
		return -EFAULT;
	return msg_send((int)a0, type, uptr_add(UPTR(a1), sizeof(long)),
			(size_t)a2, (int)a3);
}

static bool msg_matches(const struct msg_msg *m, long type,
			enum msg_search mode)
{
	switch (mode) {
	case SEARCH_ANY:
	case SEARCH_NUMBER:
		return true;
	case SEARCH_LESSEQUAL:
		return m->type <= type;
	case SEARCH_EQUAL:
		return m->type == type;
	default:
		return m->type != type;
	}
}

/* Linux's find_msg: the message @mode and @type pick, or NULL. */
static struct msg_msg *msg_find(struct msg_queue *q, long type,
				enum msg_search mode)
{
	struct msg_msg *m, *found = NULL;
	long count = 0;

	list_for_each_entry(m, &q->messages, link) {
		if (!msg_matches(m, type, mode))
			continue;
		if (mode == SEARCH_NUMBER) {
			if (count++ == type)
				return m;
			continue;
		}
		if (mode != SEARCH_LESSEQUAL)
			return m;
		if (!found || m->type < found->type) {
			found = m;
			if (m->type == 1)
				break;
		}
	}
	return found;
}

static enum msg_search msg_mode(long *type, int flg)
{
	if (flg & MSG_COPY)
		return SEARCH_NUMBER;
	if (!*type)
		return SEARCH_ANY;
	if (*type < 0) {
		*type = *type == INT64_MIN ? INT64_MAX : -*type;
		return SEARCH_LESSEQUAL;
	}
	return (flg & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

/* Copy @m's type and up to @size bytes of text out: the bytes, or -EFAULT. */
static long msg_fill(uptr_t buf, const struct msg_msg *m, size_t size)
{
	size_t n = MIN(size, m->size);

	if (put_user(m->type, buf) ||
	    copy_to_user(uptr_add(buf, sizeof(long)), m->text, n))
		return -EFAULT;
	return (long)n;
}

/* Linux's do_msgrcv. */
static long msg_recv(int id, uptr_t buf, size_t size, long type, int flg)
{
	enum msg_search mode = msg_mode(&type, flg);
	struct kern_ipc_perm *p;
	struct msg_queue *q;
	struct msg_msg *m;
	long err;

	if (id < 0 || (long)size < 0)
		return -EINVAL;
	if ((flg & MSG_COPY) &&
	    ((flg & MSG_EXCEPT) || !(flg & IPC_NOWAIT)))
		return -EINVAL;
	p = ipc_obtain_check(&ipc_ns_cur()->msg_ids, id);
	if (!p)
		return -EINVAL;
	q = msq_of(p);
	for (;;) {
		err = ipcperms(p, S_IRUGO);
		if (err)
			return err;
		m = msg_find(q, type, mode);
		if (m)
			break;
		if (flg & IPC_NOWAIT)
			return -ENOMSG;
		err = msq_sleep(q);
		if (err)
			return err;
	}
	if (size < m->size && !(flg & MSG_NOERROR))
		return -E2BIG;
	if (flg & MSG_COPY) {
		if (MIN(size, (size_t)ipc_ns_cur()->limits.msgmax) < m->size)
			return -EINVAL;
		return msg_fill(buf, m, size);
	}
	msg_unlink(q, m);
	q->rtime = ipc_now();
	q->lrpid = current->tgid;
	wq_wake_all(&q->wq);
	err = msg_fill(buf, m, size);
	kfree(m);
	return err;
}

SYSCALL(__NR_msgrcv, msgrcv)(SYSCALL_ARGS)
{
	return msg_recv((int)a0, UPTR(a1), (size_t)a2, a3, (int)a4);
}

/* Linux's freeque: sleepers wake to EIDRM, the messages go. */
static void msg_freeque(struct msg_queue *q)
{
	struct msg_msg *m, *n;

	ipc_rmid(&q->perm.ns->msg_ids, &q->perm);
	list_for_each_entry_safe(m, n, &q->messages, link) {
		msg_unlink(q, m);
		kfree(m);
	}
	wq_wake_all(&q->wq);
	msq_put(q);
}

/* See ipc_proc.h. */
bool msg_proc_info(int n, struct ipc_msg_info *out)
{
	struct kern_ipc_perm *p = ipc_nth(&ipc_ns_cur()->msg_ids, n);
	struct msg_queue *q;

	if (!p)
		return false;
	q = msq_of(p);
	*out = (struct ipc_msg_info){
		.perm = p, .cbytes = q->cbytes, .qnum = q->qnum,
		.lspid = pid_vnr(q->lspid), .lrpid = pid_vnr(q->lrpid),
		.stime = q->stime,
		.rtime = q->rtime, .ctime = q->ctime,
	};
	return true;
}

static long msg_info_cmd(int cmd, uptr_t buf)
{
	struct ipc_ns *ns = ipc_ns_cur();
	struct msginfo mi = {
		.msgmni = ns->limits.msgmni, .msgmax = ns->limits.msgmax,
		.msgmnb = ns->limits.msgmnb, .msgssz = MSGSSZ,
		.msgseg = MSGSEG, .msgpool = MSGPOOL, .msgmap = MSGMAP,
		.msgtql = MSGTQL,
	};
	int max = ipc_maxidx(&ns->msg_ids);

	if (cmd == MSG_INFO) {
		mi.msgpool = ns->msg_ids.in_use;
		mi.msgmap = (int32_t)ns->msg_hdrs;
		mi.msgtql = (int32_t)ns->msg_bytes;
	}
	if (copy_to_user(buf, &mi, sizeof(mi)))
		return -EFAULT;
	return max < 0 ? 0 : max;
}

static long msg_stat_cmd(int id, int cmd, uptr_t buf)
{
	struct kern_ipc_perm *p;
	struct msqid64_ds ds;
	struct msg_queue *q;

	p = cmd == IPC_STAT ? ipc_obtain_check(&ipc_ns_cur()->msg_ids, id) :
			      ipc_obtain(&ipc_ns_cur()->msg_ids, id);
	if (!p)
		return -EINVAL;
	if (cmd != MSG_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	q = msq_of(p);
	memset(&ds, 0, sizeof(ds));
	ipc_perm_to_user(p, &ds.msg_perm);
	ds.msg_stime = q->stime;
	ds.msg_rtime = q->rtime;
	ds.msg_ctime = q->ctime;
	ds.msg_cbytes = q->cbytes;
	ds.msg_qnum = q->qnum;
	ds.msg_qbytes = q->qbytes;
	ds.msg_lspid = pid_vnr(q->lspid);	/* in the caller's namespace */
	ds.msg_lrpid = pid_vnr(q->lrpid);
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

/* Linux's msgctl_down: IPC_SET and IPC_RMID. */
static long msg_down(int id, int cmd, const struct msqid64_ds *ds)
{
	struct kern_ipc_perm *p = ipcctl_obtain_check(&ipc_ns_cur()->msg_ids,
						      id);
	struct msg_queue *q;
	int err;

	if (IS_ERR(p))
		return PTR_ERR(p);
	q = msq_of(p);
	if (cmd == IPC_RMID) {
		msg_freeque(q);
		return 0;
	}
	if (ds->msg_qbytes > (uint64_t)ipc_ns_cur()->limits.msgmnb &&
	    !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	err = ipc_update_perm(&ds->msg_perm, p);
	if (err)
		return err;
	q->qbytes = ds->msg_qbytes;
	q->ctime = ipc_now();
	wq_wake_all(&q->wq);
	return 0;
}

SYSCALL(__NR_msgctl, msgctl)(SYSCALL_ARGS)
{
	int id = (int)a0, cmd = (int)a1;
	uptr_t buf = UPTR(a2);
	struct msqid64_ds ds;

	if (id < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msg_info_cmd(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msg_stat_cmd(id, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return msg_down(id, cmd, &ds);
	case IPC_RMID:
		return msg_down(id, cmd, NULL);
	default:
		return -EINVAL;
	}
}

/* See ipc_ns_end.h. */
void msg_ns_end(struct ipc_ns *n)
{
	struct kern_ipc_perm *p, *q;

	list_for_each_entry_safe(p, q, &n->msg_ids.list, link)
		msg_freeque(msq_of(p));
}
