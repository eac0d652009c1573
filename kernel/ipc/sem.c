/*
 * System V semaphores, as Linux 6.1's ipc/sem.c: semget, semop,
 * semtimedop and semctl. A semop applies all its operations or none; one
 * that cannot yet sleeps on its set and retries after every change,
 * until a signal (EINTR), its timeout (EAGAIN) or the set's removal
 * (EIDRM). Process context.
 */
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <kernel/ktimer.h>
#include <kernel/ipc.h>
#include <svc/task.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "sem.h"
#include "ipc_proc.h"
#include "ipc_ns_end.h"

#define GETPID		11
#define GETVAL		12
#define GETALL		13
#define GETNCNT		14
#define GETZCNT		15
#define SETVAL		16
#define SETALL		17
#define SEM_STAT	18
#define SEM_INFO	19
#define SEM_STAT_ANY	20
#define SEMUSZ		20

struct sembuf {
	uint16_t sem_num;
	int16_t sem_op;
	int16_t sem_flg;
};

struct semid64_ds {
	struct ipc64_perm sem_perm;
	int64_t sem_otime;
	uint64_t unused1;
	int64_t sem_ctime;
	uint64_t unused2;
	uint64_t sem_nsems;
	uint64_t unused3, unused4;
};

struct seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume;
	int32_t semusz, semvmx, semaem;
};


static struct sem_array *sem_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct sem_array, perm);
}

static void sem_put(struct sem_array *sma)
{
	if (!--sma->refs)
		kfree(sma);
}

/* Linux's newary. */
static int sem_newary(key_t key, int flg, long nsems)
{
	struct ipc_ns *ns = ipc_ns_cur();
	struct sem_array *sma;
	int id;

	if (!nsems)
		return -EINVAL;
	if (ns->used_sems + nsems > ns->limits.semmns)
		return -ENOSPC;
	sma = kzalloc(sizeof(*sma) + nsems * sizeof(struct sem));
	if (!sma)
		return -ENOMEM;
	id = ipc_addid(&ns->sem_ids, &sma->perm, key, flg, ns->limits.semmni);
	if (id < 0) {
		kfree(sma);
		return id;
	}
	sma->refs = 1;
	sma->nsems = (int)nsems;
	sma->ctime = ipc_now();
	wq_init(&sma->wq);
	list_init(&sma->sleepers);
	list_init(&sma->undos);
	ns->used_sems += (int)nsems;
	return id;
}

static int sem_more_checks(struct kern_ipc_perm *p, long nsems)
{
	return nsems > sem_of(p)->nsems ? -EINVAL : 0;
}

static const struct ipc_ops sem_ops = {
	.getnew = sem_newary,
	.more_checks = sem_more_checks,
};

SYSCALL(__NR_semget, semget)(SYSCALL_ARGS)
{
	int nsems = (int)a1;

	if (nsems < 0 || nsems > ipc_ns_cur()->limits.semmsl)
		return -EINVAL;
	return ipc_get(&ipc_ns_cur()->sem_ids, (key_t)a0, (int)a2, &sem_ops,
		       nsems);
}

/*
 * Apply @sops in order, or none of them: 0 done; 1 must wait (@blk
 * the operation that could not proceed); -EAGAIN if that one has
 * IPC_NOWAIT; -ERANGE past SEMVMX or the undo range.
 */
static int sem_try(struct sem_array *sma, const struct sembuf *sops,
		   int nsops, struct sem_undo *un, int *blk)
{
	int i, err;

	for (i = 0; i < nsops; i++) {
		const struct sembuf *op = &sops[i];
		struct sem *s = &sma->sems[op->sem_num];
		int res = s->semval;

		if ((!op->sem_op && res) || res + op->sem_op < 0) {
			*blk = i;
			err = (op->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
			goto undo;
		}
		res += op->sem_op;
		err = -ERANGE;
		if (res > SEMVMX)
			goto undo;
		if (op->sem_flg & SEM_UNDO) {
			int adj = un->semadj[op->sem_num] - op->sem_op;

			if (adj < -SEMAEM - 1 || adj > SEMAEM)
				goto undo;
			un->semadj[op->sem_num] = (short)adj;
		}
		s->semval = res;
	}
	for (i = 0; i < nsops; i++)
		sma->sems[sops[i].sem_num].sempid = current->tgid;
	sma->otime = ipc_now();
	return 0;
undo:
	while (--i >= 0) {
		sma->sems[sops[i].sem_num].semval -= sops[i].sem_op;
		if (sops[i].sem_flg & SEM_UNDO)
			un->semadj[sops[i].sem_num] += sops[i].sem_op;
	}
	return err;
}

/* Sleep until @sops apply, as Linux's do_semtimedop's wait. */
static long sem_wait(struct sem_array *sma, const struct sembuf *sops,
		     int nsops, struct sem_undo *un, uint64_t deadline)
{
	struct sem_sleeper w;
	long err;
	int blk = 0, r;

	for (;;) {
		err = sem_try(sma, sops, nsops, un, &blk);
		if (err <= 0)
			return err;
		if (deadline && clock_monotonic_ns() >= deadline)
			return -EAGAIN;
		w.num = sops[blk].sem_num;
		w.zero = !sops[blk].sem_op;
		list_add_tail(&w.link, &sma->sleepers);
		sma->refs++;
		irqflags_t fl = irq_save();

		r = wq_sleep(&sma->wq, deadline);
		irq_restore(fl);
		list_del(&w.link);
		if (sma->perm.deleted) {
			sem_put(sma);
			return -EIDRM;
		}
		sem_put(sma);
		if (r)
			return -EINTR;
	}
}

/* The monotonic deadline of semtimedop's relative @uts: 0 or -errno. */
static int sem_deadline(uptr_t uts, uint64_t *deadline)
{
	return timeout_from_user(uts, CLOCK_MONOTONIC, false, deadline);
}

/* Linux's do_semtimedop. */
static long sem_timedop(int semid, uptr_t usops, unsigned nsops, uptr_t uts)
{
	struct sem_undo *un = NULL;
	struct kern_ipc_perm *p;
	struct sem_array *sma;
	struct sembuf *sops;
	bool undos = false, alter = false;
	unsigned max = 0;
	uint64_t deadline;
	long err;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > (unsigned)ipc_ns_cur()->limits.semopm)
		return -E2BIG;
	sops = kmalloc(nsops * sizeof(*sops));
	if (!sops)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(sops, usops, nsops * sizeof(*sops)))
		goto out;
	err = sem_deadline(uts, &deadline);
	if (err)
		goto out;
	for (unsigned i = 0; i < nsops; i++) {
		if (sops[i].sem_num >= max)
			max = sops[i].sem_num;
		if (sops[i].sem_flg & SEM_UNDO)
			undos = true;
		if (sops[i].sem_op)
			alter = true;
	}
	if (undos) {
		un = sem_find_alloc_undo(semid);
		if (IS_ERR(un)) {
			err = PTR_ERR(un);
			goto out;
		}
	}
	err = -EINVAL;
	p = ipc_obtain_check(&ipc_ns_cur()->sem_ids, semid);
	if (!p)
		goto out;
	sma = sem_of(p);
	err = -EFBIG;
	if (max >= (unsigned)sma->nsems)
		goto out;
	err = ipcperms(p, alter ? S_IWUGO : S_IRUGO);
	if (err)
		goto out;
	err = sem_wait(sma, sops, (int)nsops, un, deadline);
	if (!err && alter)
		wq_wake_all(&sma->wq);
out:
	kfree(sops);
	return err;
}

SYSCALL(__NR_semop, semop)(SYSCALL_ARGS)
{
	return sem_timedop((int)a0, UPTR(a1), (unsigned)a2, UPTR(0));
}

SYSCALL(__NR_semtimedop, semtimedop)(SYSCALL_ARGS)
{
	return sem_timedop((int)a0, UPTR(a1), (unsigned)a2, UPTR(a3));
}

/* Linux's freeary: sleepers wake to EIDRM. */
static void sem_freeary(struct sem_array *sma)
{
	sem_free_undos(sma);
	struct ipc_ns *ns = sma->perm.ns;

	ipc_rmid(&ns->sem_ids, &sma->perm);
	ns->used_sems -= sma->nsems;
	wq_wake_all(&sma->wq);
	sem_put(sma);
}

/* See ipc_proc.h. */
bool sem_proc_info(int n, struct ipc_sem_info *out)
{
	struct kern_ipc_perm *p = ipc_nth(&ipc_ns_cur()->sem_ids, n);

	if (!p)
		return false;
	*out = (struct ipc_sem_info){
		.perm = p, .nsems = (unsigned)sem_of(p)->nsems,
		.otime = sem_of(p)->otime, .ctime = sem_of(p)->ctime,
	};
	return true;
}

static long sem_info_cmd(int cmd, uptr_t buf)
{
	struct ipc_ns *ns = ipc_ns_cur();
	struct seminfo si = {
		.semmni = ns->limits.semmni, .semmns = ns->limits.semmns,
		.semmsl = ns->limits.semmsl, .semopm = ns->limits.semopm,
		.semvmx = SEMVMX, .semmnu = SEMMNS, .semmap = SEMMNS,
		.semume = SEMOPM, .semusz = SEMUSZ, .semaem = SEMAEM,
	};
	int max = ipc_maxidx(&ns->sem_ids);

	if (cmd == SEM_INFO) {
		si.semusz = ns->sem_ids.in_use;
		si.semaem = ns->used_sems;
	}
	if (copy_to_user(buf, &si, sizeof(si)))
		return -EFAULT;
	return max < 0 ? 0 : max;
}

static long sem_stat_cmd(int id, int cmd, uptr_t buf)
{
	struct kern_ipc_perm *p;
	struct semid64_ds ds;

	p = cmd == IPC_STAT ? ipc_obtain_check(&ipc_ns_cur()->sem_ids, id) :
			      ipc_obtain(&ipc_ns_cur()->sem_ids, id);
	if (!p)
		return -EINVAL;
	if (cmd != SEM_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	memset(&ds, 0, sizeof(ds));
	ipc_perm_to_user(p, &ds.sem_perm);
	ds.sem_otime = sem_of(p)->otime;
	ds.sem_ctime = sem_of(p)->ctime;
	ds.sem_nsems = (uint64_t)sem_of(p)->nsems;
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

/* Sleepers waiting on semaphore @num to grow (@zero false) or be zero. */
static long sem_count(struct sem_array *sma, int num, bool zero)
{
	struct sem_sleeper *w;
	long n = 0;

	list_for_each_entry(w, &sma->sleepers, link)
		n += w->num == num && w->zero == zero;
	return n;
}

static long sem_getall(struct sem_array *sma, uptr_t buf)
{
	uint16_t *vals = kmalloc(sma->nsems * sizeof(*vals) + 1);
	long err = 0;

	if (!vals)
		return -ENOMEM;
	for (int i = 0; i < sma->nsems; i++)
		vals[i] = (uint16_t)sma->sems[i].semval;
	if (copy_to_user(buf, vals, sma->nsems * sizeof(*vals)))
		err = -EFAULT;
	kfree(vals);
	return err;
}

static long sem_setall(struct sem_array *sma, uptr_t buf)
{
	uint16_t *vals = kmalloc(sma->nsems * sizeof(*vals) + 1);
	long err = -EFAULT;

	if (!vals)
		return -ENOMEM;
	if (copy_from_user(vals, buf, sma->nsems * sizeof(*vals)))
		goto out;
	err = -ERANGE;
	for (int i = 0; i < sma->nsems; i++)
		if (vals[i] > SEMVMX)
			goto out;
	for (int i = 0; i < sma->nsems; i++) {
		sma->sems[i].semval = vals[i];
		sma->sems[i].sempid = current->tgid;
	}
	sem_clear_undos(sma, -1);
	sma->ctime = ipc_now();
	wq_wake_all(&sma->wq);
	err = 0;
out:
	kfree(vals);
	return err;
}

/* Linux's semctl_main: GETALL, SETALL and the one-semaphore reads. */
static long sem_main(int id, int num, int cmd, uptr_t buf)
{
	struct kern_ipc_perm *p = ipc_obtain_check(&ipc_ns_cur()->sem_ids,
						   id);
	struct sem_array *sma;

	if (!p)
		return -EINVAL;
	sma = sem_of(p);
	if (ipcperms(p, cmd == SETALL ? S_IWUGO : S_IRUGO))
		return -EACCES;
	if (cmd == GETALL)
		return sem_getall(sma, buf);
	if (cmd == SETALL)
		return sem_setall(sma, buf);
	if (num < 0 || num >= sma->nsems)
		return -EINVAL;
	switch (cmd) {
	case GETVAL:
		return sma->sems[num].semval;
	case GETPID:
		return pid_vnr(sma->sems[num].sempid);
	case GETNCNT:
		return sem_count(sma, num, false);
	default:
		return sem_count(sma, num, true);
	}
}

static long sem_setval(int id, int num, int val)
{
	struct kern_ipc_perm *p;
	struct sem_array *sma;

	if (val > SEMVMX || val < 0)
		return -ERANGE;
	p = ipc_obtain_check(&ipc_ns_cur()->sem_ids, id);
	if (!p)
		return -EINVAL;
	sma = sem_of(p);
	if (num < 0 || num >= sma->nsems)
		return -EINVAL;
	if (ipcperms(p, S_IWUGO))
		return -EACCES;
	sma->sems[num].semval = val;
	sma->sems[num].sempid = current->tgid;
	sem_clear_undos(sma, num);
	sma->ctime = ipc_now();
	wq_wake_all(&sma->wq);
	return 0;
}

/* Linux's semctl_down: IPC_SET and IPC_RMID. */
static long sem_down(int id, int cmd, const struct semid64_ds *ds)
{
	struct kern_ipc_perm *p = ipcctl_obtain_check(&ipc_ns_cur()->sem_ids,
						      id);
	int err;

	if (IS_ERR(p))
		return PTR_ERR(p);
	if (cmd == IPC_RMID) {
		sem_freeary(sem_of(p));
		return 0;
	}
	err = ipc_update_perm(&ds->sem_perm, p);
	if (!err)
		sem_of(p)->ctime = ipc_now();
	return err;
}

SYSCALL(__NR_semctl, semctl)(SYSCALL_ARGS)
{
	int id = (int)a0, num = (int)a1, cmd = (int)a2;
	uptr_t buf = UPTR(a3);
	struct semid64_ds ds;

	if (id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return sem_info_cmd(cmd, buf);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return sem_stat_cmd(id, cmd, buf);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETALL:
		return sem_main(id, num, cmd, buf);
	case SETVAL:
		return sem_setval(id, num, (int)a3);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return sem_down(id, cmd, &ds);
	case IPC_RMID:
		return sem_down(id, cmd, NULL);
	default:
		return -EINVAL;
	}
}

/* See ipc_ns_end.h. */
void sem_ns_end(struct ipc_ns *n)
{
	struct kern_ipc_perm *p, *q;

	list_for_each_entry_safe(p, q, &n->sem_ids.list, link)
		sem_freeary(sem_of(p));
}
