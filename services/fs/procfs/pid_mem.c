/*
 * The per-task files that look into a task's address space:
 * /proc/<pid>/cmdline and environ (read from the task's own pages by
 * mm_read_remote, never through the caller's user-copy path), maps (and
 * the snapshot of the areas smaps shares), and comm.
 */
#include "procfs.h"
#include <svc/introspect.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* Which part of the address space a read shows. */
enum mem_area { AREA_ARGS, AREA_ENV };

/*
 * Where cmdline ends, as Linux's get_mm_cmdline decides: at arg_end while
 * the last byte of the arguments is still their NUL; once a program has
 * overwritten it (setproctitle), the title runs on into the environment
 * strings, if they follow the arguments, to its first NUL (kept), within
 * a page.
 */
static uintptr_t cmdline_end(struct mm *mm)
{
	uintptr_t limit = mm->arg_end, at;
	char c = 0, chunk[64];

	if (mm->arg_end <= mm->arg_start ||
	    mm_read_remote(mm, mm->arg_end - 1, &c, 1) != 1 || !c)
		return mm->arg_end;
	if (mm->env_start == mm->arg_end && mm->env_end >= mm->env_start)
		limit = mm->env_end;
	limit = MIN(limit, mm->arg_start + PAGE_SIZE);
	for (at = mm->arg_start; at < limit;) {
		size_t got = mm_read_remote(mm, at, chunk,
					    MIN(sizeof(chunk), limit - at));
		size_t n = strnlen(chunk, got);

		if (n < got)
			return at + n + 1;
		if (!got)
			break;
		at += got;
	}
	return at;
}

/*
 * Read [*@pos, ...) of the task's argument or environment strings. The
 * task is looked up again after each copy to the reader, which may sleep
 * on a page fault while the task exits. Bytes read, 0 at the end (and
 * for a zombie), or -errno if nothing could be copied.
 */
static ssize_t area_read(pid_t pid, enum mem_area area, struct uio *uio,
			 off_t *pos)
{
	size_t start = uio->resid;
	char chunk[256];
	int err = 0;

	while (uio->resid) {
		struct task *t = task_find(pid);
		struct mm *mm = t ? t->mm : NULL;
		uintptr_t lo, hi;
		size_t want, got, before = uio->resid;

		if (!mm)
			break;
		lo = area == AREA_ARGS ? mm->arg_start : mm->env_start;
		hi = area == AREA_ARGS ? cmdline_end(mm) : mm->env_end;
		if (hi <= lo || (uint64_t)*pos >= hi - lo)
			break;
		want = MIN(MIN(uio->resid, sizeof(chunk)),
			   (size_t)(hi - lo - (uint64_t)*pos));
		got = mm_read_remote(mm, lo + (uintptr_t)*pos, chunk, want);
		if (!got)
			break;
		err = uiomove(chunk, got, uio);
		*pos += (off_t)(before - uio->resid);
		if (err || got < want)
			break;
	}
	if (start - uio->resid)
		return (ssize_t)(start - uio->resid);
	return err;
}

/* NUL-separated argv, as the task's exec laid it out. */
ssize_t proc_pid_cmdline_read(struct task *t, struct uio *uio, off_t *pos)
{
	return area_read(t->pid, AREA_ARGS, uio, pos);
}

/* NUL-separated environment strings. */
ssize_t proc_pid_environ_read(struct task *t, struct uio *uio, off_t *pos)
{
	return area_read(t->pid, AREA_ENV, uio, pos);
}

int proc_pid_comm_show(struct proc_buf *b, struct task *t)
{
	pb_printf(b, "%.*s\n", TASK_COMM_LEN, t->comm);
	return 0;
}

/*
 * As Linux's comm_write: the first 15 bytes become the name (up to a NUL;
 * a trailing newline is kept, as Linux keeps it). Only the task itself
 * may rename itself: EINVAL otherwise.
 */
int proc_pid_comm_write(struct task *t, const char *buf, size_t len)
{
	size_t n = strnlen(buf, MIN(len, (size_t)TASK_COMM_LEN - 1));

	if (t != current)
		return -EINVAL;
	memset(t->comm, 0, TASK_COMM_LEN);
	memcpy(t->comm, buf, n);
	return 0;
}

void proc_maps_line(struct proc_buf *b, const struct map_line *l, char *name)
{
	struct inode *inode = l->file ? l->file->inode : NULL;
	dev_t dev = inode && inode->sb ? inode->sb->dev : 0;
	size_t line_start = b->len;
	const char *label = NULL;

	pb_printf(b, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu ",
		  l->start, l->end, l->prot & PROT_READ ? 'r' : '-',
		  l->prot & PROT_WRITE ? 'w' : '-',
		  l->prot & PROT_EXEC ? 'x' : '-',
		  l->flags & VMA_SHARED ? 's' : 'p',
		  inode ? l->pgoff << PAGE_SHIFT : 0UL,
		  MAJOR(dev), MINOR(dev), inode ? inode->ino : 0UL);
	if (l->file) {
		label = file_path_string(l->file, name, PATH_MAX) >= 0 ?
			name : "";
	} else if (l->heap) {
		label = "[heap]";
	} else if (l->flags & VMA_GROWSDOWN) {
		label = "[stack]";
	} else if (l->flags & VMA_VVAR) {
		label = "[vvar]";
	} else if (l->flags & VMA_VDSO) {
		label = "[vdso]";
	} else if (l->flags & VMA_AIO) {
		label = "/[aio] (deleted)";	/* Linux's aio_ring_file */
	} else if (l->shared_anon) {
		label = "/dev/zero (deleted)";
	}
	if (label) {
		while (!b->error && b->len - line_start < PROC_MAPS_NAME_COL)
			pb_write(b, " ", 1);
		pb_printf(b, " %s", label);
	}
	pb_write(b, "\n", 1);
}

int proc_map_lines(struct task *t, bool pages, struct map_line **out,
		   size_t *count)
{
	struct map_line *lines;
	struct vma *vma;
	size_t n = 0, i = 0;

	*out = NULL;
	*count = 0;
	if (!t->mm)
		return 0;
	list_for_each_entry(vma, &t->mm->vmas, link)
		n++;
	lines = kzalloc((n ? n : 1) * sizeof(*lines));
	if (!lines)
		return -ENOMEM;
	list_for_each_entry(vma, &t->mm->vmas, link) {
		struct map_line *l = &lines[i++];
		struct file *f = vma->file ? vma->file : vma->zero_file;

		*l = (struct map_line){
			.start = vma->start, .end = vma->end,
			.prot = vma->prot, .flags = vma->flags,
			.pgoff = vma->pgoff, .file = f,
			.shared_anon = vma->anon != NULL,
			/* Linux's show_map_vma: by address, not by origin. */
			.heap = !f && !vma->anon &&
				!(vma->flags & (VMA_VVAR | VMA_VDSO)) &&
				vma->start <= t->mm->brk &&
				vma->end >= t->mm->brk_start,
		};
		if (f)
			fget(f);
		if (pages)
			mm_vma_pages(t->mm, vma, &l->pages);
	}
	*out = lines;
	*count = n;
	return 0;
}

void proc_map_lines_free(struct map_line *lines, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lines[i].file)
			fput(lines[i].file);
	}
	kfree(lines);
}

int proc_pid_maps_show(struct proc_buf *b, struct task *t)
{
	struct map_line *lines;
	size_t n, i;
	char *name = kmalloc(PATH_MAX);
	int err = name ? proc_map_lines(t, false, &lines, &n) : -ENOMEM;

	if (err)
		goto out_free;
	for (i = 0; i < n; i++)
		proc_maps_line(b, &lines[i], name);
	proc_map_lines_free(lines, n);
out_free:
	kfree(name);
	return err;
}
