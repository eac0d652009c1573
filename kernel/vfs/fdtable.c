/*
 * Per-process descriptor tables: a growable array of file pointers with
 * flags each (close-on-exec, reserved), up to RLIMIT_NOFILE descriptors.
 *
 * A descriptor number is had in two steps, as on Linux
 * (get_unused_fd_flags, fd_install, put_unused_fd): fd_reserve() takes
 * the lowest free number and marks it reserved, so that nothing else
 * takes it while the caller validates and builds its file;
 * fd_install_reserved() then fills it (it cannot fail), or
 * fd_unreserve() gives it back. A reserved slot holds no file: it reads
 * as closed (EBADF) to everything but dup2/dup3 (EBUSY, as on Linux),
 * and fork does not copy it.
 */
#include "dnotify.h"
#include "file_lock.h"
#include <kernel/task.h>
#include <kernel/vfs_ops.h>
#include <aramid/string.h>
#include <aramid/checked.h>
#include <platform/panic.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define FILES_INITIAL	16

int nr_open = 1048576;

/*
 * A descriptor of @files for @f was closed: the file's flush op runs,
 * its dnotify watches and its POSIX locks on the file go (whichever
 * descriptor set them; none of it for O_PATH, as Linux's filp_close),
 * then the descriptor's reference.
 */
static void fd_release(struct files *files, struct file *f)
{
	if (!(f->flags & O_PATH)) {
		vop_flush(f);
		dnotify_flush(f, files);
		locks_remove_posix(f, files);
	}
	fput(f);
}

static struct files *files_alloc(int size)
{
	struct files *files = kzalloc(sizeof(*files));

	if (!files)
		return NULL;
	files->fd = kzalloc(size * sizeof(*files->fd));
	files->flags = kzalloc(size * sizeof(*files->flags));
	if (!files->fd || !files->flags) {
		kfree(files->fd);
		kfree(files->flags);
		kfree(files);
		return NULL;
	}
	files->size = size;
	files->refcount = 1;
	return files;
}

/* An empty descriptor table (refcount 1), or NULL when memory is short. */
struct files *files_new(void)
{
	return files_alloc(FILES_INITIAL);
}

/* Descriptor count @n in whole 64-bit words, as Linux's fdtables hold them. */
static long words_of(long n)
{
	return (n + 63) / 64 * 64;
}

/* See include/kernel/vfs.h. */
struct files *files_dup(struct files *src)
{
	struct files *files;
	int i, top = 0;

	for (i = 0; i < src->size; i++)
		if (src->fd[i])
			top = i + 1;
	if (words_of(top) > words_of(nr_open))
		return ERR_PTR(-EMFILE);
	files = files_alloc(src->size);
	if (!files)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < src->size; i++) {
		files->fd[i] = src->fd[i];
		if (files->fd[i]) {
			files->flags[i] = src->flags[i] & FDF_CLOEXEC;
			fget(files->fd[i]);
		}
	}
	return files;
}

/* Share @files with a new thread (CLONE_FILES). */
void files_get(struct files *files)
{
	files->refcount++;
}

/* See include/kernel/vfs.h. */
bool files_shared(const struct files *files)
{
	return files->refcount > 1;
}

/* Drop a reference to @files; the last one closes every descriptor. */
void files_put(struct files *files)
{
	int i;

	if (!files)
		return;
	KASSERT(files->refcount > 0);
	if (--files->refcount > 0)
		return;
	for (i = 0; i < files->size; i++) {
		if (files->fd[i])
			fd_release(files, files->fd[i]);
	}
	kfree(files->fd);
	kfree(files->flags);
	kfree(files);
}

/* Close every descriptor marked close-on-exec (execve). */
void files_close_on_exec(struct files *files)
{
	int i;

	for (i = 0; i < files->size; i++) {
		if (files->fd[i] && (files->flags[i] & FDF_CLOEXEC)) {
			struct file *f = files->fd[i];

			files->fd[i] = NULL;
			files->flags[i] = 0;
			fd_release(files, f);
		}
	}
}

/* Grow @files so that @fd is a valid slot: 0 or -ENOMEM. */
static int files_expand(struct files *files, int fd)
{
	int size = files->size;
	struct file **nfd;
	uint8_t *nflags;

	if (fd < size)
		return 0;
	if (fd >= nr_open)
		return -EMFILE;
	while (size <= fd)
		size *= 2;
	size = MIN(size, nr_open);
	nfd = kzalloc(size * sizeof(*nfd));
	nflags = kzalloc(size * sizeof(*nflags));
	if (!nfd || !nflags) {
		kfree(nfd);
		kfree(nflags);
		return -ENOMEM;
	}
	memcpy(nfd, files->fd, files->size * sizeof(*nfd));
	memcpy(nflags, files->flags, files->size * sizeof(*nflags));
	kfree(files->fd);
	kfree(files->flags);
	files->fd = nfd;
	files->flags = nflags;
	files->size = size;
	return 0;
}

/* The RLIMIT_NOFILE of the current task, as an int. */
int fd_limit(void)
{
	uint64_t lim = rlimit(RLIMIT_NOFILE);

	return lim < NR_OPEN_MAX ? (int)lim : NR_OPEN_MAX;
}

/*
 * The lowest descriptor >= @start neither open nor reserved, the table
 * grown to hold it; or -EMFILE (-ENOMEM).
 */
static int fd_find_free(int start)
{
	struct files *files = current->files;
	int fd, err, limit = fd_limit();

	if (!files || start < 0)
		return -EMFILE;
	for (fd = start; fd < files->size && fd < limit; fd++) {
		if (!files->fd[fd] && !(files->flags[fd] & FDF_RESERVED))
			return fd;
	}
	if (fd >= limit)
		return -EMFILE;
	err = files_expand(files, fd);
	return err ? err : fd;
}

/* The file for @fd with a new reference, or NULL. */
struct file *fd_get(int fd)
{
	struct files *files = current->files;
	struct file *f;

	if (!files || fd < 0 || fd >= files->size)
		return NULL;
	f = CHECKED_INDEX_N(files->fd, fd, files->size);
	if (f)
		fget(f);
	return f;
}

/* The file for @fd unless it is an O_PATH descriptor; else NULL. */
struct file *fd_get_io(int fd)
{
	struct file *f = fd_get(fd);

	if (f && (f->flags & O_PATH)) {
		fput(f);
		return NULL;
	}
	return f;
}

/*
 * Reserve the lowest free descriptor >= @start, honouring RLIMIT_NOFILE,
 * with close-on-exec set if @cloexec. Process context, current task's
 * table. Returns the descriptor, or -EMFILE (-ENOMEM); the caller fills
 * it with fd_install_reserved() or gives it back with fd_unreserve().
 */
int fd_reserve(int start, bool cloexec)
{
	int fd = fd_find_free(start);

	if (fd < 0)
		return fd;
	current->files->flags[fd] = FDF_RESERVED | (cloexec ? FDF_CLOEXEC : 0);
	return fd;
}

/*
 * Fill the descriptor @fd reserved by fd_reserve() with @f (the caller's
 * reference moves in). Process context, same task as the reservation.
 * Cannot fail.
 */
void fd_install_reserved(int fd, struct file *f)
{
	struct files *files = current->files;

	KASSERT(files && fd >= 0 && fd < files->size);
	KASSERT((files->flags[fd] & FDF_RESERVED) && !files->fd[fd]);
	files->fd[fd] = f;
	files->flags[fd] &= (uint8_t)~FDF_RESERVED;
}

/*
 * Give back a descriptor @fd reserved by fd_reserve() and never filled.
 * Process context, same task as the reservation.
 */
void fd_unreserve(int fd)
{
	struct files *files = current->files;

	KASSERT(files && fd >= 0 && fd < files->size);
	KASSERT((files->flags[fd] & FDF_RESERVED) && !files->fd[fd]);
	files->flags[fd] = 0;
}

/*
 * Reserve the two lowest free descriptors into @fds, for a call that
 * hands both to user space at @ufds (pipe2, socketpair), and check that
 * @ufds can take them: 0, or -EMFILE or -EFAULT with nothing reserved.
 * Process context.
 */
int fd_reserve_pair(int fds[2], bool cloexec, uptr_t ufds)
{
	int err;

	fds[0] = fd_reserve(0, cloexec);
	if (fds[0] < 0)
		return fds[0];
	fds[1] = fd_reserve(0, cloexec);
	if (fds[1] < 0) {
		err = fds[1];
		goto err_unreserve0;
	}
	err = user_probe_write(ufds, 2 * sizeof(int));
	if (err)
		goto err_unreserve1;
	return 0;

err_unreserve1:
	fd_unreserve(fds[1]);
err_unreserve0:
	fd_unreserve(fds[0]);
	return err;
}

/* Give back both descriptors of fd_reserve_pair(). */
void fd_unreserve_pair(const int fds[2])
{
	fd_unreserve(fds[1]);
	fd_unreserve(fds[0]);
}

/*
 * Install @f (taking over the caller's reference) at the lowest free
 * descriptor. Process context. Returns the descriptor, or -EMFILE
 * (-ENOMEM) and the reference is dropped.
 */
int fd_install(struct file *f, bool cloexec)
{
	int fd = fd_reserve(0, cloexec);

	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install_reserved(fd, f);
	return fd;
}

/*
 * Install @f (the caller's reference moves in) at exactly @fd, closing
 * what was there (dup2). Returns @fd, -EBADF for an out-of-range @fd
 * (past RLIMIT_NOFILE or fs.nr_open), -EBUSY if @fd is reserved (as
 * Linux), or -ENOMEM; on error the reference is dropped.
 */
int fd_install_at(int fd, struct file *f, bool cloexec)
{
	struct files *files = current->files;
	struct file *old;
	int err;

	if (!files || fd < 0 || fd >= fd_limit()) {
		fput(f);
		return -EBADF;
	}
	err = files_expand(files, fd);
	if (err == -EMFILE)
		err = -EBADF;	/* at or past fs.nr_open: dup2's EBADF */
	if (!err && (files->flags[fd] & FDF_RESERVED))
		err = -EBUSY;
	if (err) {
		fput(f);
		return err;
	}
	old = CHECKED_INDEX_N(files->fd, fd, files->size);
	files->fd[fd] = f;
	files->flags[fd] = cloexec ? FDF_CLOEXEC : 0;
	if (old)
		fd_release(files, old);
	return fd;
}

/* Close @fd: 0 or -EBADF. */
int fd_close(int fd)
{
	struct files *files = current->files;
	struct file *f;

	if (!files || fd < 0 || fd >= files->size || !files->fd[fd])
		return -EBADF;
	f = CHECKED_INDEX_N(files->fd, fd, files->size);
	files->fd[fd] = NULL;
	files->flags[fd] = 0;
	fd_release(files, f);
	return 0;
}

/* The close-on-exec flag of @fd open in @files (false if not open). */
bool files_peek_cloexec(struct files *files, int fd)
{
	if (!files || fd < 0 || fd >= files->size || !files->fd[fd])
		return false;
	return files->flags[fd] & FDF_CLOEXEC;
}

/* The close-on-exec flag of an open @fd (false if not open). */
bool fd_get_cloexec(int fd)
{
	return files_peek_cloexec(current->files, fd);
}

/* Set or clear close-on-exec on @fd: 0 or -EBADF. */
int fd_set_cloexec(int fd, bool on)
{
	struct files *files = current->files;

	if (!files || fd < 0 || fd >= files->size || !files->fd[fd])
		return -EBADF;
	if (on)
		files->flags[fd] |= FDF_CLOEXEC;
	else
		files->flags[fd] &= (uint8_t)~FDF_CLOEXEC;
	return 0;
}

/* One more than the highest open descriptor of @files (0 if none). */
int files_max_fd(struct files *files)
{
	int fd;

	for (fd = files->size; fd > 0; fd--) {
		if (files->fd[fd - 1])
			break;
	}
	return fd;
}

/* The file at @fd of @files without a reference (for /proc), or NULL. */
struct file *files_peek(struct files *files, int fd)
{
	if (fd < 0 || fd >= files->size)
		return NULL;
	return files->fd[fd];
}

/* See include/kernel/vfs.h. */
void files_for_each_file(void (*fn)(struct file *f, void *arg), void *arg)
{
	struct task *t;

	for_each_task(t) {
		struct files *files = t->files;

		for (int fd = 0; files && fd < files->size; fd++)
			if (files->fd[fd] && !(files->flags[fd] & FDF_RESERVED))
				fn(files->fd[fd], arg);
	}
}
