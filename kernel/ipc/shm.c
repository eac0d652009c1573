/*
 * System V shared memory, as Linux 6.1's ipc/shm.c: shmget, shmat, shmdt
 * and shmctl. A segment's pages are a shared anonymous object (the one
 * behind MAP_SHARED|MAP_ANONYMOUS); each vma over it is an attach, told
 * to the segment through the object's user hook, so fork keeps
 * attachments and exec and exit drop them. A removed segment lives,
 * under the private key, until its last detach. Each IPC namespace has
 * its own segments; its end removes them, and one still mapped lives on
 * outside any namespace until its last detach. A creator's exit orphans
 * the segments it made, or with kernel.shm_rmid_forced removes those not
 * mapped (Linux's exit_shm). Process context.
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <kernel/syscall.h>
#include <kernel/ipc.h>
#include <svc/task.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include "ipc.h"
#include "ipc_proc.h"
#include "ipc_ns_end.h"

#define SHM_RDONLY	010000
#define SHM_RND		020000
#define SHM_REMAP	040000
#define SHM_EXEC	0100000
#define SHM_DEST	01000		/* mode: removed, still attached */
#define SHM_LOCKED	02000
#define SHM_HUGETLB	04000
#define SHM_LOCK	11
#define SHM_UNLOCK	12
#define SHM_STAT	13
#define SHM_INFO	14
#define SHM_STAT_ANY	15
#define SHMMIN		1
#define SHMLBA		PAGE_SIZE

struct shmid64_ds {
	struct ipc64_perm shm_perm;
	uint64_t shm_segsz;
	int64_t shm_atime, shm_dtime, shm_ctime;
	int32_t shm_cpid, shm_lpid;
	uint64_t shm_nattch;
	uint64_t unused4, unused5;
};

struct shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused1, unused2, unused3, unused4;
};

struct shm_info {
	int32_t used_ids;
	uint64_t shm_tot, shm_rss, shm_swp;
	uint64_t swap_attempts, swap_successes;
};

struct shm_seg {
	struct kern_ipc_perm perm;	/* first */
	struct shared_anon_user user;
	struct shared_anon *pages;
	size_t segsz;
	int64_t atime, dtime, ctime;
	pid_t cpid, lpid;
	unsigned long nattch;
	/* Its creating thread, or NULL once it has exited (an orphan). */
	struct task *creator;
	struct list_head created_link;	/* task.shm_created */
};

static struct shm_seg *seg_of(struct kern_ipc_perm *p)
{
	return container_of(p, struct shm_seg, perm);
}

static size_t seg_pages(const struct shm_seg *s)
{
	return ALIGN_UP(s->segsz, PAGE_SIZE) / PAGE_SIZE;
}

/*
 * Free @s, out of its namespace's table already or taken out here (an
 * orphan of an ended namespace has none).
 */
static void shm_destroy(struct shm_seg *s)
{
	struct ipc_ns *ns = s->perm.ns;

	if (ns && !s->perm.deleted)
		ipc_rmid(&ns->shm_ids, &s->perm);
	if (ns)
		ns->shm_tot -= seg_pages(s);
	if (s->creator)
		list_del(&s->created_link);
	shared_anon_set_user(s->pages, NULL);
	shared_anon_put(s->pages);
	kfree(s);
}

/*
 * Linux's shm_may_destroy, of a segment no longer attached: removed, or
 * with kernel.shm_rmid_forced set in its namespace.
 */
static bool shm_may_destroy(const struct shm_seg *s)
{
	return (s->perm.mode & SHM_DEST) ||
	       (s->perm.ns && s->perm.ns->limits.shm_rmid_forced);
}

/* A vma took or dropped its hold: Linux's shm_open and shm_close. */
static void shm_attach(struct shared_anon_user *u, int delta)
{
	struct shm_seg *s = container_of(u, struct shm_seg, user);

	s->lpid = current->tgid;
	if (delta > 0) {
		s->atime = ipc_now();
		s->nattch++;
		return;
	}
	s->dtime = ipc_now();
	if (!--s->nattch && shm_may_destroy(s))
		shm_destroy(s);
}

/* Linux's newseg. */
static int shm_newseg(key_t key, int flg, long arg)
{
	size_t size = (size_t)arg;
	size_t npages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	struct ipc_ns *ns = ipc_ns_cur();
	struct frame_stats st;
	struct shm_seg *s;
	int id;

	if (size < SHMMIN || size > ns->limits.shmmax)
		return -EINVAL;
	if (npages < size / PAGE_SIZE || ns->shm_tot + npages < ns->shm_tot ||
	    ns->shm_tot + npages > ns->limits.shmall)
		return -ENOSPC;
	frame_stats(&st);
	if (npages > st.total)	/* the overcommit heuristic's refusal */
		return -ENOMEM;
	s = kzalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->pages = shared_anon_new(npages);
	if (!s->pages) {
		kfree(s);
		return -ENOMEM;
	}
	id = ipc_addid(&ns->shm_ids, &s->perm, key, flg, ns->limits.shmmni);
	if (id < 0) {
		shared_anon_put(s->pages);
		kfree(s);
		return id;
	}
	s->user.attach = shm_attach;
	shared_anon_set_user(s->pages, &s->user);
	s->segsz = size;
	s->cpid = current->tgid;
	s->ctime = ipc_now();
	s->creator = current;
	list_add_tail(&s->created_link, &current->shm_created);
	ns->shm_tot += npages;
	return id;
}

static int shm_more_checks(struct kern_ipc_perm *p, long arg)
{
	return seg_of(p)->segsz < (size_t)arg ? -EINVAL : 0;
}

static const struct ipc_ops shm_ops = {
	.getnew = shm_newseg,
	.more_checks = shm_more_checks,
};

SYSCALL(__NR_shmget, shmget)(SYSCALL_ARGS)
{
	return ipc_get(&ipc_ns_cur()->shm_ids, (key_t)a0, (int)a2, &shm_ops,
		       a1);
}

/* True if some vma of @mm overlaps [start, end). */
static bool range_used(struct mm *mm, uintptr_t start, uintptr_t end)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link)
		if (v->start < end && v->end > start)
			return true;
	return false;
}

/* Linux's do_shmat: the attach address or -errno. */
static long shm_do_attach(int id, uintptr_t addr, int flg)
{
	struct mm *mm = current->mm;
	unsigned prot = PROT_READ | PROT_WRITE, flags = 0;
	int acc = S_IRUGO | S_IWUGO;
	struct kern_ipc_perm *p;
	struct shm_seg *s;
	size_t len;
	long err;

	if (id < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(flg & SHM_RND))
				return -EINVAL;
			addr &= ~(uintptr_t)(SHMLBA - 1);
			if (!addr && (flg & SHM_REMAP))
				return -EINVAL;
		}
	} else if (flg & SHM_REMAP) {
		return -EINVAL;
	}
	if (flg & SHM_RDONLY) {
		prot = PROT_READ;
		acc = S_IRUGO;
		flags = VMA_NOWRITE;
	}
	if (flg & SHM_EXEC) {
		prot |= PROT_EXEC;
		acc |= S_IXUGO;
	}
	p = ipc_obtain_check(&ipc_ns_cur()->shm_ids, id);
	if (!p)
		return -EINVAL;
	if (ipcperms(p, acc))
		return -EACCES;
	s = seg_of(p);
	len = seg_pages(s) * PAGE_SIZE;
	if (addr) {
		int err = addr + len < addr ? -EINVAL :
			  mm_fixed_range_check(addr, len);

		if (err)
			return err;
		if (!(flg & SHM_REMAP) && range_used(mm, addr, addr + len))
			return -EINVAL;
	} else {
		addr = mm_find_gap(mm, len);
		if (!addr)
			return -ENOMEM;
	}
	err = mm_map_shared_anon(mm, addr, len, prot, flags, s->pages);
	return err ? err : (long)addr;
}

SYSCALL(__NR_shmat, shmat)(SYSCALL_ARGS)
{
	return shm_do_attach((int)a0, (uintptr_t)a1, (int)a2);
}

/* @v maps a segment from its page (@v->start - @addr) / PAGE_SIZE. */
static struct shm_seg *shm_vma_seg(const struct vma *v, uintptr_t addr)
{
	struct shared_anon_user *u = v->anon ? shared_anon_user(v->anon) : NULL;

	if (!u || u->attach != shm_attach ||
	    (v->start - addr) / PAGE_SIZE != v->pgoff)
		return NULL;
	return container_of(u, struct shm_seg, user);
}

/*
 * Linux's shmdt: unmap the first attach found at or above @addr whose
 * offset matches, and the rest of that segment's vmas within its size.
 */
SYSCALL(__NR_shmdt, shmdt)(SYSCALL_ARGS)
{
	uintptr_t addr = (uintptr_t)a0;
	struct mm *mm = current->mm;
	struct vma *v, *n;
	struct shm_seg *s = NULL;
	size_t size = 0;
	int err;

	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	list_for_each_entry_safe(v, n, &mm->vmas, link) {
		if (v->end <= addr)
			continue;
		if (!s) {
			s = shm_vma_seg(v, addr);
			if (!s)
				continue;
			size = seg_pages(s) * PAGE_SIZE;
		} else if (v->end - addr > size) {
			break;
		} else if (shm_vma_seg(v, addr) != s) {
			continue;
		}
		err = mm_unmap_region(mm, v->start, v->end - v->start);
		if (err)
			return err;
	}
	return s ? 0 : -EINVAL;
}

static void shm_to_user(const struct shm_seg *s, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_perm_to_user(&s->perm, &ds->shm_perm);
	ds->shm_segsz = s->segsz;
	ds->shm_atime = s->atime;
	ds->shm_dtime = s->dtime;
	ds->shm_ctime = s->ctime;
	ds->shm_cpid = pid_vnr(s->cpid);	/* in the caller's namespace */
	ds->shm_lpid = pid_vnr(s->lpid);
	ds->shm_nattch = s->nattch;
}

/* Linux's shm_get_stat: resident pages of every segment. */
static uint64_t shm_rss(struct ipc_ns *ns)
{
	struct kern_ipc_perm *p;
	uint64_t rss = 0;

	list_for_each_entry(p, &ns->shm_ids.list, link)
		rss += shared_anon_resident(seg_of(p)->pages);
	return rss;
}

/* See ipc_proc.h. */
bool shm_proc_info(int n, struct ipc_shm_info *out)
{
	struct kern_ipc_perm *p = ipc_nth(&ipc_ns_cur()->shm_ids, n);
	struct shm_seg *s;

	if (!p)
		return false;
	s = seg_of(p);
	*out = (struct ipc_shm_info){
		.perm = p, .segsz = s->segsz, .nattch = s->nattch,
		.rss = shared_anon_resident(s->pages) * PAGE_SIZE,
		.cpid = pid_vnr(s->cpid), .lpid = pid_vnr(s->lpid),
		.atime = s->atime,
		.dtime = s->dtime, .ctime = s->ctime,
	};
	return true;
}

static long shm_info_cmd(int cmd, uptr_t buf)
{
	struct ipc_ns *ns = ipc_ns_cur();
	int max = ipc_maxidx(&ns->shm_ids);

	if (cmd == IPC_INFO) {
		struct shminfo64 si = {
			.shmmax = ns->limits.shmmax, .shmmin = SHMMIN,
			.shmmni = ns->limits.shmmni, .shmseg = SHMMNI,
			.shmall = ns->limits.shmall,
		};

		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	} else {
		struct shm_info si = {
			.used_ids = ns->shm_ids.in_use, .shm_tot = ns->shm_tot,
			.shm_rss = shm_rss(ns),
		};

		if (copy_to_user(buf, &si, sizeof(si)))
			return -EFAULT;
	}
	return max < 0 ? 0 : max;
}

static long shm_stat_cmd(int id, int cmd, uptr_t buf)
{
	struct kern_ipc_perm *p;
	struct shmid64_ds ds;

	if (cmd == IPC_STAT)
		p = ipc_obtain_check(&ipc_ns_cur()->shm_ids, id);
	else
		p = ipc_obtain(&ipc_ns_cur()->shm_ids, id);
	if (!p)
		return -EINVAL;
	if (cmd != SHM_STAT_ANY && ipcperms(p, S_IRUGO))
		return -EACCES;
	shm_to_user(seg_of(p), &ds);
	if (copy_to_user(buf, &ds, sizeof(ds)))
		return -EFAULT;
	return cmd == IPC_STAT ? 0 : p->id;
}

/*
 * Linux's do_shm_rmid: free @s now if nothing maps it, else mark it
 * removed and give it the private key until its last detach.
 */
static void shm_rmid(struct shm_seg *s)
{
	if (!s->nattch) {
		shm_destroy(s);
		return;
	}
	s->perm.mode |= SHM_DEST;
	s->perm.key = IPC_PRIVATE;
}

/* Linux's shmctl_down: IPC_SET and IPC_RMID. */
static long shm_down(int id, int cmd, const struct shmid64_ds *ds)
{
	struct kern_ipc_perm *p = ipcctl_obtain_check(&ipc_ns_cur()->shm_ids,
						      id);
	struct shm_seg *s;
	int err;

	if (IS_ERR(p))
		return PTR_ERR(p);
	s = seg_of(p);
	if (cmd == IPC_SET) {
		err = ipc_update_perm(&ds->shm_perm, p);
		if (!err)
			s->ctime = ipc_now();
		return err;
	}
	shm_rmid(s);
	return 0;
}

/* Linux's SHM_LOCK and SHM_UNLOCK: only the flag, nothing swaps here. */
static long shm_lock_cmd(int id, int cmd)
{
	struct kern_ipc_perm *p = ipc_obtain_check(&ipc_ns_cur()->shm_ids, id);
	uid_t euid = current->cred.euid;

	if (!p)
		return -EINVAL;
	if (!capable(CAP_IPC_LOCK)) {
		if (euid != p->uid && euid != p->cuid)
			return -EPERM;
		if (cmd == SHM_LOCK && !rlimit(RLIMIT_MEMLOCK))
			return -EPERM;
	}
	if (cmd == SHM_LOCK)
		p->mode |= SHM_LOCKED;
	else
		p->mode &= ~SHM_LOCKED;
	return 0;
}

SYSCALL(__NR_shmctl, shmctl)(SYSCALL_ARGS)
{
	int id = (int)a0, cmd = (int)a1;
	uptr_t buf = UPTR(a2);
	struct shmid64_ds ds;

	if (cmd < 0 || id < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shm_info_cmd(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shm_stat_cmd(id, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return shm_down(id, cmd, &ds);
	case IPC_RMID:
		return shm_down(id, cmd, NULL);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shm_lock_cmd(id, cmd);
	default:
		return -EINVAL;
	}
}

/* See ipc_ns_end.h. */
void shm_ns_end(struct ipc_ns *n)
{
	struct kern_ipc_perm *p, *q;

	list_for_each_entry_safe(p, q, &n->shm_ids.list, link) {
		struct shm_seg *s = seg_of(p);

		if (!s->nattch) {
			shm_destroy(s);
			continue;
		}
		/* Still mapped: it lives on, in no namespace. */
		s->perm.mode |= SHM_DEST;
		ipc_rmid(&n->shm_ids, &s->perm);
		n->shm_tot -= seg_pages(s);
		s->perm.ns = NULL;
	}
}

/* See include/kernel/ipc.h. */
void shm_exit(struct task *t)
{
	struct shm_seg *s, *n;

	list_for_each_entry_safe(s, n, &t->shm_created, created_link) {
		list_del(&s->created_link);
		s->creator = NULL;
		if (!s->nattch && s->perm.ns &&
		    s->perm.ns->limits.shm_rmid_forced)
			shm_destroy(s);
	}
}

/* See include/kernel/ipc.h. */
void shm_destroy_orphaned(void)
{
	struct ipc_ns *ns = ipc_ns_cur();
	struct kern_ipc_perm *p, *q;

	list_for_each_entry_safe(p, q, &ns->shm_ids.list, link) {
		struct shm_seg *s = seg_of(p);

		if (!s->creator && !s->nattch)
			shm_destroy(s);
	}
}
