/*
 * Pipes and FIFOs: a ring of lazily allocated pages between readers and
 * writers, 64 KiB unless F_SETPIPE_SZ changes it, pipe(2)/pipe2(2), and
 * the open of named FIFOs.
 *
 * A pipe made by pipe(2) lives on an inode of an internal pseudo
 * superblock, whose inode->priv is the pipe. A named FIFO's inode belongs
 * to its filesystem (priv is the filesystem's), so those pipes are found
 * through a list, by inode. A pipe is freed when its last reader and
 * writer are gone; an opener waiting in fifo_open counts as one. Each open
 * file has a struct pipe_end of its own in file->priv.
 *
 * No locks: one CPU, no kernel preemption, and no interrupt handler
 * touches a pipe; a task only loses the CPU where it sleeps, and rechecks
 * the pipe when it wakes.
 */
#include <kernel/pipe.h>
#include <svc/uio.h>
#include <kernel/task.h>
#include <kernel/signal.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/frame.h>
#include <platform/usercopy.h>
#include <uapi/fcntl.h>
#include <uapi/errno.h>
#include <svc/task.h>
#include <aramid/string.h>

#define PIPE_PAGES	16			/* Linux's default: 16 pages */
#define PIPEFS_MAGIC	0x50495045
#define FIONREAD	0x541B			/* Linux ioctl number */

struct pipe {
	char **page;			/* the ring; NULL until first used */
	unsigned npages;		/* its size in pages, a power of 2 */
	size_t head;			/* ring offset of the oldest byte */
	size_t len;			/* bytes buffered */
	unsigned readers, writers;	/* open ends, and openers waiting */
	unsigned r_counter, w_counter;	/* reader / writer opens, ever */
	struct wait_queue rd_wait;	/* readers: data, EOF, a partner */
	struct wait_queue wr_wait;	/* writers: room, no more readers */
	struct inode *inode;		/* no reference: its files hold one */
	struct list_head fifo_link;	/* on fifo_pipes if a named FIFO */
};

/* The state of one open file of a pipe. */
struct pipe_end {
	struct pipe *pipe;
	/*
	 * For a reader that opened a FIFO with O_NONBLOCK while it had no
	 * writer: the writer count then. POLLHUP waits for a later writer
	 * to come and go, as on Linux.
	 */
	unsigned w_counter;
};

static struct super_block pipe_sb = {
	.magic = PIPEFS_MAGIC,
};

static LIST_HEAD(fifo_pipes);

/* fs.pipe-max-size: a power-of-two number of pages, 1 MiB at boot. */
static unsigned pipe_max_size = 1048576;

static const struct file_ops pipe_fops;

static bool is_anon_pipe(const struct inode *inode)
{
	return inode->sb == &pipe_sb;
}

static size_t pipe_size(const struct pipe *p)
{
	return (size_t)p->npages * PAGE_SIZE;
}

/* A new empty pipe for @inode, registered so fifo_open finds it. */
static struct pipe *pipe_alloc(struct inode *inode)
{
	struct pipe *p = kzalloc(sizeof(*p));
	unsigned npages = PIPE_PAGES;

	if (!p)
		return NULL;
	/* Linux's alloc_pipe_info: no more than fs.pipe-max-size, unless. */
	if ((size_t)npages * PAGE_SIZE > pipe_max_size &&
	    !capable(CAP_SYS_RESOURCE))
		npages = pipe_max_size / PAGE_SIZE;
	p->page = kzalloc(npages * sizeof(*p->page));
	if (!p->page) {
		kfree(p);
		return NULL;
	}
	p->npages = npages;
	wq_init(&p->rd_wait);
	wq_init(&p->wr_wait);
	p->inode = inode;
	list_init(&p->fifo_link);
	if (is_anon_pipe(inode))
		inode->priv = p;
	else
		list_add(&p->fifo_link, &fifo_pipes);
	return p;
}

/* The pipe of FIFO or pipe @inode, or NULL if it has none now. */
static struct pipe *pipe_find(struct inode *inode)
{
	struct pipe *p;

	if (is_anon_pipe(inode))
		return inode->priv;
	list_for_each_entry(p, &fifo_pipes, fifo_link) {
		if (p->inode == inode)
			return p;
	}
	return NULL;
}

/*
 * After a reader or writer went away: free the pipe if it was the last,
 * else wake everyone so they see the change.
 */
static void pipe_drop_end(struct pipe *p)
{
	if (p->readers || p->writers) {
		wq_wake_all(&p->rd_wait);
		wq_wake_all(&p->wr_wait);
		return;
	}
	if (is_anon_pipe(p->inode))
		p->inode->priv = NULL;
	list_del(&p->fifo_link);
	for (unsigned i = 0; i < p->npages; i++)
		kfree(p->page[i]);
	kfree(p->page);
	kfree(p);
}

static struct pipe *file_pipe(const struct file *file)
{
	const struct pipe_end *end = file->priv;

	return end->pipe;
}

/* Make sure the pages under ring bytes [off, off + n) exist. */
static int pipe_alloc_pages(struct pipe *p, size_t off, size_t n)
{
	size_t first = off / PAGE_SIZE;
	size_t count = DIV_ROUND_UP(off % PAGE_SIZE + n, PAGE_SIZE);

	for (size_t i = 0; i < count; i++) {
		size_t pg = (first + i) % p->npages;

		if (!p->page[pg])
			p->page[pg] = kmalloc(PAGE_SIZE);
		if (!p->page[pg])
			return -ENOMEM;
	}
	return 0;
}

/*
 * Move up to @n bytes between ring offset @off and @uio (its direction
 * says which way). Returns the bytes moved; *@err is 0 or -EFAULT.
 */
static size_t pipe_move(struct pipe *p, size_t off, size_t n, struct uio *uio,
			int *err)
{
	size_t done = 0;

	*err = 0;
	while (done < n) {
		size_t pos = (off + done) % pipe_size(p);
		size_t chunk = MIN(n - done, PAGE_SIZE - pos % PAGE_SIZE);
		size_t before = uio->resid;

		*err = uiomove(p->page[pos / PAGE_SIZE] + pos % PAGE_SIZE,
			       chunk, uio);
		done += before - uio->resid;
		if (*err)
			break;
	}
	return done;
}

/*
 * read: what is buffered, up to the request, without waiting for more
 * once something was read. 0 at EOF (no writers), -EAGAIN for
 * O_NONBLOCK, -ERESTARTSYS if a signal comes first.
 */
static ssize_t pipe_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct pipe *p = file_pipe(file);
	size_t start = uio->resid;
	int err;

	if (!start)
		return 0;
	for (;;) {
		if (p->len) {
			size_t n = MIN(p->len, uio->resid);
			size_t moved = pipe_move(p, p->head, n, uio, &err);

			p->head = (p->head + moved) % pipe_size(p);
			p->len -= moved;
			if (!p->len)
				p->head = 0;
			if (moved)
				wq_wake_all(&p->wr_wait);
			if (err)
				return start > uio->resid ?
					(ssize_t)(start - uio->resid) : err;
			return (ssize_t)(start - uio->resid);
		}
		if (!p->writers)
			return 0;
		if (file->flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(p->rd_wait,
					       p->len || !p->writers);
		if (err)
			return err;
	}
}

/*
 * write: writes of at most PIPE_BUF bytes go in whole or not at all;
 * longer ones as room appears. With no reader: SIGPIPE and -EPIPE (or
 * the count written before the last reader left).
 */
static ssize_t pipe_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct pipe *p = file_pipe(file);
	size_t start = uio->resid;
	bool atomic = start <= PIPE_BUF;
	int err = 0;

	if (!start)
		return 0;
	for (;;) {
		size_t room = pipe_size(p) - p->len;

		if (!p->readers) {
			err = (int)sigpipe_on_epipe(-EPIPE, false);
			break;
		}
		if (room && (!atomic || room >= uio->resid)) {
			size_t tail = (p->head + p->len) % pipe_size(p);
			size_t n = MIN(room, uio->resid);

			err = pipe_alloc_pages(p, tail, n);
			if (err)
				break;
			p->len += pipe_move(p, tail, n, uio, &err);
			wq_wake_all(&p->rd_wait);
			if (err || !uio->resid)
				break;
			continue;
		}
		if (file->flags & O_NONBLOCK) {
			err = -EAGAIN;
			break;
		}
		err = wait_event_interruptible(p->wr_wait, !p->readers ||
			pipe_size(p) - p->len >= (atomic ? uio->resid : 1));
		if (err)
			break;
	}
	if (start > uio->resid)
		return (ssize_t)(start - uio->resid);
	return err;
}

/* Readiness exactly as Linux's pipe_poll. */
static unsigned pipe_poll(struct file *file, struct poll_table *pt)
{
	const struct pipe_end *end = file->priv;
	struct pipe *p = end->pipe;
	unsigned mask = 0;

	if (file->mode & FMODE_READ)
		poll_wait(file, &p->rd_wait, pt);
	if (file->mode & FMODE_WRITE)
		poll_wait(file, &p->wr_wait, pt);
	if (file->mode & FMODE_READ) {
		if (p->len)
			mask |= POLLIN | POLLRDNORM;
		if (!p->writers && end->w_counter != p->w_counter)
			mask |= POLLHUP;
	}
	if (file->mode & FMODE_WRITE) {
		if (p->len < pipe_size(p))
			mask |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			mask |= POLLERR;
	}
	return mask;
}

/* FIONREAD: the bytes buffered, as an int. Others: -ENOTTY. */
static long pipe_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	int count;

	if (cmd != FIONREAD)
		return -ENOTTY;
	count = (int)file_pipe(file)->len;
	return put_user(count, arg);
}

static void pipe_release(struct file *file)
{
	struct pipe_end *end = file->priv;
	struct pipe *p = end->pipe;

	if (file->mode & FMODE_READ)
		p->readers--;
	if (file->mode & FMODE_WRITE)
		p->writers--;
	kfree(end);
	file->priv = NULL;
	pipe_drop_end(p);
}

static const struct file_ops pipe_fops = {
	.release = pipe_release,
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.ioctl = pipe_ioctl,
};

/* Wait until *@counter moves on from its value now: 0 or -ERESTARTSYS. */
static int fifo_wait_partner(struct pipe *p, unsigned *counter)
{
	unsigned seen = *counter;

	return wait_event_interruptible(p->rd_wait, *counter != seen);
}

static void fifo_wake_partner(struct pipe *p)
{
	wq_wake_all(&p->rd_wait);
}

/* Open FIFO @inode as @file; the rules are in kernel/pipe.h. May sleep. */
int fifo_open(struct inode *inode, struct file *file)
{
	struct pipe *p = pipe_find(inode);
	struct pipe_end *end = kzalloc(sizeof(*end));
	bool anon = is_anon_pipe(inode);
	int err;

	if (!end)
		return -ENOMEM;
	if (!p)
		p = pipe_alloc(inode);
	if (!p) {
		err = -ENOMEM;
		goto err_free_end;
	}
	end->pipe = p;

	switch (file->mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		p->r_counter++;
		if (p->readers++ == 0)
			fifo_wake_partner(p);
		if (!anon && !p->writers) {
			if (file->flags & O_NONBLOCK) {
				end->w_counter = p->w_counter;
			} else if (fifo_wait_partner(p, &p->w_counter)) {
				p->readers--;
				err = -ERESTARTSYS;
				goto err_drop;
			}
		}
		break;
	case FMODE_WRITE:
		if ((file->flags & O_NONBLOCK) && !p->readers) {
			err = -ENXIO;
			goto err_drop;
		}
		p->w_counter++;
		if (p->writers++ == 0)
			fifo_wake_partner(p);
		if (!anon && !p->readers &&
		    fifo_wait_partner(p, &p->r_counter)) {
			p->writers--;
			err = -ERESTARTSYS;
			goto err_drop;
		}
		break;
	case FMODE_READ | FMODE_WRITE:
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		if (p->readers == 1 || p->writers == 1)
			fifo_wake_partner(p);
		break;
	default:
		err = -EINVAL;
		goto err_drop;
	}
	file->priv = end;
	file->fops = &pipe_fops;
	return 0;

err_drop:
	pipe_drop_end(p);
err_free_end:
	kfree(end);
	return err;
}

/*
 * A new pipe: its inode and two open files, read end in *@rd and write
 * end in *@wr, with status flags @flags. 0, or -ENFILE when memory is
 * short (Linux's errno for a failed pipe inode or file).
 */
static int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct inode *inode;
	struct pipe *p;
	struct pipe_end *rend, *wend;

	if (!pipe_sb.dev)
		pipe_sb.dev = anon_dev_alloc();
	inode = inode_new(&pipe_sb);
	if (!inode)
		return -ENFILE;
	/* Owned by the creator, as Linux's get_pipe_inode. */
	inode_init_owner(inode, NULL, S_IFIFO | 0600);
	inode->fops = &pipe_fops;
	p = pipe_alloc(inode);
	if (!p)
		goto err_put_inode;
	rend = kzalloc(sizeof(*rend));
	wend = kzalloc(sizeof(*wend));
	if (!rend || !wend)
		goto err_free_ends;
	*rd = file_alloc(inode, NULL, O_RDONLY | flags);
	if (!*rd)
		goto err_free_ends;
	rend->pipe = p;
	(*rd)->priv = rend;
	p->readers = p->r_counter = 1;

	*wr = file_alloc(inode, NULL, O_WRONLY | flags);
	if (!*wr)
		goto err_put_rd;
	wend->pipe = p;
	(*wr)->priv = wend;
	p->writers = p->w_counter = 1;
	iput(inode);		/* the files hold it now */
	return 0;

err_put_rd:
	fput(*rd);		/* its release frees the pipe and rend */
	kfree(wend);
	goto err_put_inode;
err_free_ends:
	kfree(rend);
	kfree(wend);
	pipe_drop_end(p);
err_put_inode:
	iput(inode);
	return -ENFILE;
}

/*
 * pipe2(fds, flags): flags O_CLOEXEC, O_NONBLOCK, O_DIRECT; any other bit
 * is -EINVAL. Both descriptors are reserved and @ufds is checked writable
 * before the pipe is made; on failure @ufds is left unchanged, as Linux.
 */
static long do_pipe2(uptr_t ufds, int flags)
{
	bool cloexec = flags & O_CLOEXEC;
	struct file *rd, *wr;
	int fds[2];
	int err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	err = fd_reserve_pair(fds, cloexec, ufds);
	if (err)
		return err;
	err = pipe_create(flags & (O_NONBLOCK | O_DIRECT), &rd, &wr);
	if (err)
		goto err_unreserve;
	/* Only a racing munmap from another thread can fail this now. */
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		err = -EFAULT;
		goto err_put;
	}
	fd_install_reserved(fds[0], rd);
	fd_install_reserved(fds[1], wr);
	return 0;

err_put:
	fput(wr);
	fput(rd);
err_unreserve:
	fd_unreserve_pair(fds);
	return err;
}

SYSCALL(__NR_pipe2, pipe2)(SYSCALL_ARGS)
{
	return do_pipe2(UPTR(a0), (int)a1);
}

SYSCALL(__NR_pipe, pipe)(SYSCALL_ARGS)
{
	return do_pipe2(UPTR(a0), 0);
}

/* The splice interface (include/kernel/pipe.h). */

struct pipe *pipe_of_file(struct file *f)
{
	return f->fops == &pipe_fops ? file_pipe(f) : NULL;
}

int pipe_wait_data(struct pipe *p, bool nonblock)
{
	int err;

	if (p->len)
		return 1;
	if (!p->writers)
		return 0;
	if (nonblock)
		return -EAGAIN;
	err = wait_event_interruptible(p->rd_wait, p->len || !p->writers);
	if (err)
		return err;
	return p->len ? 1 : 0;
}

size_t pipe_room(const struct pipe *p)
{
	return pipe_size(p) - p->len;
}

int pipe_wait_room(struct pipe *p, bool nonblock)
{
	int err;

	for (;;) {
		if (!p->readers)
			return (int)sigpipe_on_epipe(-EPIPE, false);
		if (pipe_room(p))
			return 0;
		if (nonblock)
			return -EAGAIN;
		err = wait_event_interruptible(p->wr_wait, !p->readers ||
					       pipe_room(p));
		if (err)
			return err;
	}
}

size_t pipe_buffered(const struct pipe *p)
{
	return p->len;
}

size_t pipe_peek(struct pipe *p, size_t skip, void *buf, size_t n)
{
	size_t done = 0;

	if (skip >= p->len)
		return 0;
	n = MIN(n, p->len - skip);
	while (done < n) {
		size_t pos = (p->head + skip + done) % pipe_size(p);
		size_t chunk = MIN(n - done, PAGE_SIZE - pos % PAGE_SIZE);

		memcpy((char *)buf + done, p->page[pos / PAGE_SIZE] +
		       pos % PAGE_SIZE, chunk);
		done += chunk;
	}
	return n;
}

void pipe_consume(struct pipe *p, size_t n)
{
	n = MIN(n, p->len);
	p->head = (p->head + n) % pipe_size(p);
	p->len -= n;
	if (!p->len)
		p->head = 0;
	if (n)
		wq_wake_all(&p->wr_wait);
}

ssize_t pipe_fill(struct pipe *p, const void *buf, size_t n)
{
	size_t tail = (p->head + p->len) % pipe_size(p), done = 0;
	int err;

	n = MIN(n, pipe_room(p));
	err = pipe_alloc_pages(p, tail, n);
	if (err)
		return err;
	while (done < n) {
		size_t pos = (tail + done) % pipe_size(p);
		size_t chunk = MIN(n - done, PAGE_SIZE - pos % PAGE_SIZE);

		memcpy(p->page[pos / PAGE_SIZE] + pos % PAGE_SIZE,
		       (const char *)buf + done, chunk);
		done += chunk;
	}
	p->len += n;
	if (n)
		wq_wake_all(&p->rd_wait);
	return (ssize_t)n;
}

/*
 * Give @p a ring of @n pages holding what it buffers, the oldest byte at
 * the same offset in its page. -EBUSY if the data spans more than @n
 * pages (Linux's count of occupied buffers), -ENOMEM.
 */
static int pipe_resize(struct pipe *p, unsigned n)
{
	size_t start = p->head % PAGE_SIZE;
	size_t used = p->len ? DIV_ROUND_UP(start + p->len, PAGE_SIZE) : 0;
	struct pipe old = *p;
	char **page;

	if (used > n)
		return -EBUSY;
	page = kzalloc(n * sizeof(*page));
	if (!page)
		return -ENOMEM;
	for (size_t i = 0; i < used; i++) {
		page[i] = kmalloc(PAGE_SIZE);
		if (!page[i])
			goto err_free;
	}
	for (size_t done = 0; done < p->len;) {
		size_t from = (old.head + done) % pipe_size(&old);
		size_t to = start + done;
		size_t chunk = MIN(p->len - done,
				   MIN(PAGE_SIZE - from % PAGE_SIZE,
				       PAGE_SIZE - to % PAGE_SIZE));

		memcpy(page[to / PAGE_SIZE] + to % PAGE_SIZE,
		       old.page[from / PAGE_SIZE] + from % PAGE_SIZE, chunk);
		done += chunk;
	}
	for (unsigned i = 0; i < old.npages; i++)
		kfree(old.page[i]);
	kfree(old.page);
	p->page = page;
	p->npages = n;
	p->head = start;
	wq_wake_all(&p->wr_wait);
	return 0;

err_free:
	for (size_t i = 0; i < used; i++)
		kfree(page[i]);
	kfree(page);
	return -ENOMEM;
}

/* F_SETPIPE_SZ's size in pages, as Linux's round_pipe_size; 0 if absurd. */
static unsigned pipe_pages_for(unsigned size)
{
	unsigned n = 1;

	if (size > 1U << 31)
		return 0;
	while ((size_t)n * PAGE_SIZE < size)
		n <<= 1;
	return n;
}

/* See pipe.h. */
unsigned pipe_max_size_get(void)
{
	return pipe_max_size;
}

/* See pipe.h. */
int pipe_max_size_set(unsigned long size)
{
	unsigned n = size > UINT32_MAX ? 0 : pipe_pages_for((unsigned)size);

	if (!n)
		return -EINVAL;
	pipe_max_size = n * PAGE_SIZE;
	return 0;
}

long pipe_fcntl(struct file *file, unsigned cmd, unsigned long arg)
{
	struct pipe *p;
	unsigned n;
	int err;

	if (file->fops != &pipe_fops)
		return -EBADF;
	p = file_pipe(file);
	if (cmd == F_SETPIPE_SZ) {
		n = pipe_pages_for((unsigned)arg);
		if (!n)
			return -EINVAL;
		if (n > p->npages && (size_t)n * PAGE_SIZE > pipe_max_size &&
		    !capable(CAP_SYS_RESOURCE))
			return -EPERM;
		err = n == p->npages ? 0 : pipe_resize(p, n);
		if (err)
			return err;
	}
	return (long)pipe_size(p);
}
