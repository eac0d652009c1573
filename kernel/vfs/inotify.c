/*
 * inotify, as Linux 6.1's: inotify_init/init1, inotify_add_watch,
 * inotify_rm_watch and the "anon_inode:inotify" files they work on, fed
 * by the fsnotify hooks of the VFS (include/kernel/fsnotify.h).
 *
 * A watch ties an instance to an inode and holds a reference to it (as
 * Linux's marks pin their inodes) and to its mount (so a watched
 * filesystem is busy: no IN_UNMOUNT); inode->watchers counts them, so a
 * hook on an unwatched inode costs one test, and with no watch anywhere
 * (inotify's or dnotify's) a read or write's hook costs two. All watches sit on one list,
 * scanned when a watched inode has an event. Each instance queues up to
 * fs.inotify.max_queued_events records (its value when the instance was
 * made), then one IN_Q_OVERFLOW; a record equal to the last one queued
 * (same wd, mask and name) is merged into it, as Linux does. A user (the
 * effective uid that made an instance) may have up to
 * fs.inotify.max_user_instances instances and max_user_watches watches.
 *
 * One CPU, no kernel preemption: no locks.
 */
#include "dnotify.h"
#include <kernel/fsnotify.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <svc/introspect.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>

#define IN_UNMOUNT		0x00002000
#define IN_Q_OVERFLOW		0x00004000
#define IN_IGNORED		0x00008000
#define IN_ONLYDIR		0x01000000
#define IN_DONT_FOLLOW		0x02000000
#define IN_EXCL_UNLINK		0x04000000
#define IN_MASK_CREATE		0x10000000
#define IN_MASK_ADD		0x20000000
#define IN_ISDIR		0x40000000
#define IN_ONESHOT		0x80000000
#define ALL_INOTIFY_BITS	(IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | \
				 IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | \
				 IN_EXCL_UNLINK | IN_MASK_CREATE | \
				 IN_MASK_ADD | IN_ISDIR | IN_ONESHOT)
#define IN_CLOEXEC		O_CLOEXEC
#define IN_NONBLOCK		O_NONBLOCK

#define FIONREAD		0x541B

/* The record read(2) returns; the name follows, NUL-padded. */
struct inotify_event {
	int32_t wd;
	uint32_t mask;
	uint32_t cookie;
	uint32_t len;
};

/* A queued record. */
struct inotify_rec {
	struct list_head link;
	int wd;
	uint32_t mask, cookie;
	uint32_t name_len;		/* 0: no name */
	char name[];
};

struct inotify_group {
	struct list_head link;		/* on all_groups */
	uid_t uid;			/* whose instance it is */
	unsigned max_events;		/* records it queues, at most */
	struct list_head watches;	/* struct inotify_watch.group_link */
	struct list_head queue;		/* struct inotify_rec.link */
	unsigned q_len;
	struct inotify_rec overflow;	/* queued when q_len reaches the max */
	int last_wd;
	struct wait_queue wq;		/* readers and pollers */
};

struct inotify_watch {
	struct list_head link;		/* all_watches */
	struct list_head group_link;
	struct inotify_group *group;
	struct inode *inode;		/* path.inode */
	struct path path;		/* holds references to both */
	int wd;
	uint32_t mask;			/* IN_ALL_EVENTS bits */
	uint32_t flags;			/* IN_ONESHOT, IN_EXCL_UNLINK */
};

static LIST_HEAD(all_watches);
static LIST_HEAD(all_groups);

/* See fsnotify.h. */
int inotify_max_queued_events = 16384;
int inotify_max_user_instances = 128;
int inotify_max_user_watches = 8192;
static uint32_t move_cookie;

static const struct file_ops inotify_fops;

static struct anon_inode_kind inotify_kind = {
	.name = "inotify",
	.fops = &inotify_fops,
};

/* The bytes a record takes in read(2): the name rounded up to 16. */
static size_t rec_size(const struct inotify_rec *r)
{
	size_t hdr = sizeof(struct inotify_event);

	return hdr + (r->name_len ? ALIGN_UP(r->name_len + 1, hdr) : 0);
}

/* Queue @r on @g as Linux's fsnotify_add_event: 0, or 1 if not used. */
static int queue_rec(struct inotify_group *g, struct inotify_rec *r)
{
	if (g->q_len >= g->max_events) {
		if (!list_empty(&g->overflow.link))
			return 1;
		r = &g->overflow;
	} else if (!list_empty(&g->queue)) {
		struct inotify_rec *last = list_entry(g->queue.prev,
						      struct inotify_rec, link);

		if (!(last->mask & IN_IGNORED) && last->mask == r->mask &&
		    last->wd == r->wd && last->name_len == r->name_len &&
		    (!r->name_len || !strcmp(last->name, r->name)))
			return 1;
	}
	g->q_len++;
	list_add_tail(&r->link, &g->queue);
	wq_wake_all(&g->wq);
	return 0;
}

/* Queue a record for @w; without memory, the overflow record instead. */
static void watch_queue(struct inotify_watch *w, uint32_t mask,
			const char *name, uint32_t cookie)
{
	size_t len = name ? strlen(name) : 0;
	struct inotify_rec *r = kmalloc(sizeof(*r) + len + 1);

	if (!r) {
		if (list_empty(&w->group->overflow.link)) {
			w->group->q_len++;
			list_add_tail(&w->group->overflow.link, &w->group->queue);
			wq_wake_all(&w->group->wq);
		}
		return;
	}
	/* inotify never reported IN_ISDIR with the _SELF events. */
	if (mask & (IN_MOVE_SELF | IN_DELETE_SELF))
		mask &= ~IN_ISDIR;
	r->wd = w->wd;
	r->mask = mask;
	r->cookie = cookie;
	r->name_len = (uint32_t)len;
	memcpy(r->name, name ? name : "", len + 1);
	if (queue_rec(w->group, r))
		kfree(r);
}

/*
 * End watch @w: off its inode and instance, with IN_IGNORED queued if
 * @ignored. Its inode reference is dropped by watch_free, which the
 * caller calls once it no longer walks any watch list.
 */
static void watch_detach(struct inotify_watch *w, bool ignored)
{
	if (ignored)
		watch_queue(w, IN_IGNORED, NULL, 0);
	list_del(&w->link);
	list_del(&w->group_link);
	w->inode->watchers--;
}

static void watch_free(struct inotify_watch *w)
{
	path_put(&w->path);
	kfree(w);
}

/*
 * Deliver @mask (one event, maybe with IN_ISDIR) to the watches on
 * @inode that want it, with @name; IN_ONESHOT watches end after one.
 */
static void deliver(struct inode *inode, uint32_t mask, const char *name,
		    uint32_t cookie, bool unlinked)
{
	struct inotify_watch *w, *n;
	LIST_HEAD(done);

	if (!inode)
		return;
	dnotify_event(inode, mask);
	if (!inode->watchers)
		return;
	list_for_each_entry_safe(w, n, &all_watches, link) {
		if (w->inode != inode || !(w->mask & mask & IN_ALL_EVENTS))
			continue;
		if ((w->flags & IN_EXCL_UNLINK) && unlinked)
			continue;
		watch_queue(w, mask, name, cookie);
		if (w->flags & IN_ONESHOT) {
			watch_detach(w, true);
			list_add_tail(&w->link, &done);
		}
	}
	list_for_each_entry_safe(w, n, &done, link)
		watch_free(w);
}

/*
 * No inotify or dnotify watch anywhere: the event points of every read
 * and write return before looking up a name or an inode's watches.
 */
static bool nobody_watches(void)
{
	return list_empty(&all_watches) && !dnotify_watching();
}

static uint32_t isdir(const struct inode *inode)
{
	return inode && S_ISDIR(inode->mode) ? IN_ISDIR : 0;
}

/* See fsnotify.h. */
void fsnotify_inode(struct inode *dir, const char *name, struct inode *inode,
		    uint32_t mask)
{
	bool unlinked = !inode->nlink;

	if (nobody_watches())
		return;
	mask |= isdir(inode);
	if (dir && name)
		deliver(dir, mask, name, 0, unlinked);
	deliver(inode, mask, NULL, 0, unlinked);
}

/* See fsnotify.h. */
void fsnotify_file(struct file *f, uint32_t mask)
{
	const char *last = NULL;
	struct inode *dir;

	if (nobody_watches())
		return;
	dir = file_name_dir(f, &last);
	fsnotify_inode(dir, last, f->inode, mask);
}

/* See fsnotify.h: the events of Linux's fsnotify_change. */
void fsnotify_change(struct inode *dir, const char *name, struct inode *inode,
		     const struct iattr *attr)
{
	unsigned v = attr->valid;
	uint32_t mask = 0;

	if (v & (ATTR_UID | ATTR_GID | ATTR_MODE))
		mask |= IN_ATTRIB;
	if (v & ATTR_SIZE)
		mask |= IN_MODIFY;
	if ((v & (ATTR_ATIME | ATTR_MTIME)) == (ATTR_ATIME | ATTR_MTIME))
		mask |= IN_ATTRIB;
	else if (v & ATTR_ATIME)
		mask |= IN_ACCESS;
	else if (v & ATTR_MTIME)
		mask |= IN_MODIFY;
	/* One event with every bit, as Linux sends it. */
	if (mask)
		fsnotify_inode(dir, name, inode, mask);
}

/* See fsnotify.h. */
void fsnotify_dirent(struct inode *dir, const char *name, struct inode *inode,
		     uint32_t mask)
{
	deliver(dir, mask | isdir(inode), name, 0, false);
}

/* See fsnotify.h. */
void fsnotify_move(struct inode *olddir, const char *oldname,
		   struct inode *newdir, const char *newname,
		   struct inode *inode, struct inode *target)
{
	uint32_t cookie;

	if (olddir == newdir)
		dnotify_rename(olddir);
	if (!olddir->watchers && !newdir->watchers && !inode->watchers &&
	    !(target && target->watchers))
		return;
	cookie = ++move_cookie;
	deliver(olddir, IN_MOVED_FROM | isdir(inode), oldname, cookie, false);
	deliver(newdir, IN_MOVED_TO | isdir(inode), newname, cookie, false);
	if (target)
		deliver(target, IN_ATTRIB | isdir(target), NULL, 0, false);
	deliver(inode, IN_MOVE_SELF, NULL, 0, false);
}

/* See fsnotify.h. */
void fsnotify_unlinked(struct inode *inode, int held)
{
	struct inotify_watch *w, *n;
	LIST_HEAD(done);

	if (!inode->watchers || inode->nlink ||
	    inode->refcount - held != inode->watchers)
		return;
	iget(inode);		/* the watches' iputs must not free it yet */
	deliver(inode, IN_DELETE_SELF, NULL, 0, false);
	list_for_each_entry_safe(w, n, &all_watches, link) {
		if (w->inode != inode)
			continue;
		watch_detach(w, true);
		list_add_tail(&w->link, &done);
	}
	list_for_each_entry_safe(w, n, &done, link)
		watch_free(w);
	iput(inode);
}

/*
 * read: whole records while they fit; EINVAL if the first does not,
 * EAGAIN (O_NONBLOCK) or a wait while none is queued.
 */
static ssize_t inotify_read(struct file *f, struct uio *uio, off_t *pos)
{
	struct inotify_group *g = f->priv;
	size_t start = uio->resid;
	int err = 0;

	for (;;) {
		struct inotify_rec *r;
		struct inotify_event ev;
		size_t size, pad;

		if (list_empty(&g->queue)) {
			if (start != uio->resid)
				break;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			err = wait_event_interruptible(g->wq,
						       !list_empty(&g->queue));
			if (err)
				return err;
			continue;
		}
		r = list_first_entry(&g->queue, struct inotify_rec, link);
		size = rec_size(r);
		if (size > uio->resid) {
			err = -EINVAL;
			break;
		}
		list_del(&r->link);
		list_init(&r->link);
		g->q_len--;
		ev = (struct inotify_event){
			.wd = r->wd, .mask = r->mask, .cookie = r->cookie,
			.len = (uint32_t)(size - sizeof(ev)),
		};
		err = uiomove(&ev, sizeof(ev), uio);
		if (!err && ev.len)
			err = uiomove(r->name, r->name_len, uio);
		for (pad = r->name_len; !err && ev.len && pad < ev.len; pad++)
			err = uiomove("", 1, uio);
		if (r != &g->overflow)
			kfree(r);
		if (err)
			return err;
	}
	return start != uio->resid ? (ssize_t)(start - uio->resid) : err;
}

static unsigned inotify_poll(struct file *f, struct poll_table *pt)
{
	struct inotify_group *g = f->priv;

	poll_wait(f, &g->wq, pt);
	return list_empty(&g->queue) ? 0 : POLLIN | POLLRDNORM;
}

/* FIONREAD: the bytes queued. */
static long inotify_ioctl(struct file *f, unsigned cmd, uptr_t arg)
{
	struct inotify_group *g = f->priv;
	struct inotify_rec *r;
	int n = 0;

	if (cmd != FIONREAD)
		return -ENOTTY;
	list_for_each_entry(r, &g->queue, link)
		n += (int)rec_size(r);
	return put_user(n, arg) ? -EFAULT : 0;
}

/* The last close: every watch ends, the queue goes. */
static void inotify_release(struct file *f)
{
	struct inotify_group *g = f->priv;
	struct inotify_watch *w, *n;
	struct inotify_rec *r, *rn;
	LIST_HEAD(done);

	list_for_each_entry_safe(w, n, &g->watches, group_link) {
		watch_detach(w, false);
		list_add_tail(&w->link, &done);
	}
	list_for_each_entry_safe(w, n, &done, link)
		watch_free(w);
	list_for_each_entry_safe(r, rn, &g->queue, link)
		if (r != &g->overflow)
			kfree(r);
	list_del(&g->link);
	kfree(g);
}

/* See svc/introspect.h. */
int inotify_watches_walk(const struct file *f,
			 int (*fn)(void *arg,
				   const struct inotify_watch_info *wi),
			 void *arg)
{
	const struct inotify_group *g = f->priv;
	const struct inotify_watch *w;
	struct inotify_watch_info wi;
	int len, err;

	if (f->fops != &inotify_fops)
		return 0;
	list_for_each_entry(w, &g->watches, group_link) {
		wi.wd = w->wd;
		wi.ino = w->inode->ino;
		wi.dev = w->inode->sb->dev;
		wi.mask = w->mask | w->flags;
		len = (int)sizeof(wi.fh) / 4;
		wi.fh_type = vop_encode_fh(w->inode, (uint32_t *)wi.fh, &len);
		if (wi.fh_type == FILEID_INVALID)
			wi.fh_type = -EOVERFLOW;
		wi.fh_bytes = wi.fh_type < 0 ? 0 : (unsigned)len * 4;
		err = fn(arg, &wi);
		if (err)
			return err;
	}
	return 0;
}

static const struct file_ops inotify_fops = {
	.release = inotify_release,
	.read = inotify_read,
	.poll = inotify_poll,
	.ioctl = inotify_ioctl,
};

/* The instances of user @uid. */
static int user_instances(uid_t uid)
{
	const struct inotify_group *g;
	int n = 0;

	list_for_each_entry(g, &all_groups, link)
		n += g->uid == uid;
	return n;
}

/* The watches of the instances of user @uid. */
static int user_watches(uid_t uid)
{
	const struct inotify_watch *w;
	int n = 0;

	list_for_each_entry(w, &all_watches, link)
		n += w->group->uid == uid;
	return n;
}

static long do_inotify_init(unsigned flags)
{
	uid_t uid = current->cred.euid;
	struct inotify_group *g;
	struct file *f;
	int fd;

	if (flags & ~(IN_CLOEXEC | IN_NONBLOCK))
		return -EINVAL;
	if (user_instances(uid) >= inotify_max_user_instances)
		return -EMFILE;
	g = kzalloc(sizeof(*g));
	if (!g)
		return -ENOMEM;
	list_init(&g->watches);
	list_init(&g->queue);
	list_init(&g->overflow.link);
	g->overflow.wd = -1;
	g->overflow.mask = IN_Q_OVERFLOW;
	wq_init(&g->wq);
	fd = fd_reserve(0, flags & IN_CLOEXEC);
	if (fd < 0)
		goto err_free;
	f = anon_inode_file(&inotify_kind, g, O_RDONLY | (flags & IN_NONBLOCK));
	if (!f) {
		fd_unreserve(fd);
		fd = -ENOMEM;
		goto err_free;
	}
	g->uid = uid;
	g->max_events = (unsigned)inotify_max_queued_events;
	list_add_tail(&g->link, &all_groups);
	fd_install_reserved(fd, f);
	return fd;

err_free:
	kfree(g);
	return fd;
}

SYSCALL(__NR_inotify_init, inotify_init)(SYSCALL_ARGS)
{
	return do_inotify_init(0);
}

SYSCALL(__NR_inotify_init1, inotify_init1)(SYSCALL_ARGS)
{
	return do_inotify_init((unsigned)a0);
}

/* The instance open at @fd, with the file's reference in *@fp. */
static long group_get(int fd, struct file **fp)
{
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	if (f->fops != &inotify_fops) {
		fput(f);
		return -EINVAL;
	}
	*fp = f;
	return 0;
}

static struct inotify_watch *find_watch(struct inotify_group *g,
					const struct inode *inode, int wd)
{
	struct inotify_watch *w;

	list_for_each_entry(w, &g->watches, group_link)
		if (inode ? w->inode == inode : w->wd == wd)
			return w;
	return NULL;
}

/* The next free watch descriptor, counting up from 1 as Linux's idr. */
static int next_wd(struct inotify_group *g)
{
	int wd = g->last_wd;

	do {
		wd = wd == INT32_MAX ? 1 : wd + 1;
	} while (find_watch(g, NULL, wd));
	g->last_wd = wd;
	return wd;
}

/* A new or updated watch of @p's inode in @g for @mask: its wd or -errno. */
static long update_watch(struct inotify_group *g, const struct path *p,
			 uint32_t mask)
{
	struct inotify_watch *w = find_watch(g, p->inode, 0);
	uint32_t flags = mask & (IN_ONESHOT | IN_EXCL_UNLINK);

	if (w) {
		if (mask & IN_MASK_CREATE)
			return -EEXIST;
		if (mask & IN_MASK_ADD) {
			w->mask |= mask & IN_ALL_EVENTS;
			w->flags |= flags;
		} else {
			w->mask = mask & IN_ALL_EVENTS;
			w->flags = flags;
		}
		return w->wd;
	}
	if (user_watches(g->uid) >= inotify_max_user_watches)
		return -ENOSPC;
	w = kzalloc(sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->group = g;
	w->inode = p->inode;
	w->path = *p;
	path_get(p);
	p->inode->watchers++;
	w->mask = mask & IN_ALL_EVENTS;
	w->flags = flags;
	w->wd = next_wd(g);
	list_add_tail(&w->link, &all_watches);
	list_add_tail(&w->group_link, &g->watches);
	return w->wd;
}

/* inotify_add_watch(fd, path, mask), checked in Linux's order. */
SYSCALL(__NR_inotify_add_watch, inotify_add_watch)(SYSCALL_ARGS)
{
	uint32_t mask = (uint32_t)a2;
	unsigned lookup = 0;
	struct file *f;
	struct path p;
	long ret;

	if (!(mask & ALL_INOTIFY_BITS))
		return -EINVAL;
	ret = group_get((int)a0, &f);
	if (ret)
		return ret;
	ret = -EINVAL;
	if ((mask & IN_MASK_ADD) && (mask & IN_MASK_CREATE))
		goto out;
	if (!(mask & IN_DONT_FOLLOW))
		lookup |= LOOKUP_FOLLOW;
	if (mask & IN_ONLYDIR)
		lookup |= LOOKUP_DIRECTORY;
	ret = user_path_at(AT_FDCWD, UPTR(a1), lookup, &p);
	if (!ret) {
		/* Watching needs read permission (inotify_find_inode). */
		ret = inode_permission(p.inode, MAY_READ);
		if (!ret)
			ret = update_watch(f->priv, &p, mask);
		path_put(&p);
	}
out:
	fput(f);
	return ret;
}

/* inotify_rm_watch(fd, wd): the watch ends with IN_IGNORED. */
SYSCALL(__NR_inotify_rm_watch, inotify_rm_watch)(SYSCALL_ARGS)
{
	struct inotify_watch *w;
	struct file *f;
	long ret;

	ret = group_get((int)a0, &f);
	if (ret)
		return ret;
	w = find_watch(f->priv, NULL, (int)a1);
	if (w) {
		watch_detach(w, true);
		watch_free(w);
	} else {
		ret = -EINVAL;
	}
	fput(f);
	return ret;
}
