/*
 * /proc/<pid>/mem, auxv and pagemap: files bound at open to the address space the
 * task had then (Linux's proc_mem_open), with the ptrace access check
 * done once, at open. After the task execs or exits, reads and writes
 * find 0 bytes, as Linux's do once that address space has no users.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/errno.h>

/* file->priv of an open mem or auxv file. */
struct mem_file {
	pid_t pid;
	uint64_t serial;	/* of the mm opened on; 0 for none */
	bool show_pfn;		/* the opener had CAP_SYS_ADMIN (pagemap) */
};

/*
 * Linux's __mem_open: EACCES unless the caller may inspect the task in
 * @mode (its own address space always); a task without memory opens, and
 * reads as empty.
 */
static int mem_file_open_mode(struct inode *inode, struct file *file,
			      unsigned mode)
{
	struct task *t = proc_node_task(inode);
	struct mem_file *mf;

	if (!t)
		return -ESRCH;
	if (t->mm && t->mm != current->mm &&
	    !ptrace_may_access(t, mode | PTRACE_MODE_FSCREDS))
		return -EACCES;
	mf = kmalloc(sizeof(*mf));
	if (!mf)
		return -ENOMEM;
	mf->pid = t->pid;
	mf->serial = t->mm ? t->mm->serial : 0;
	mf->show_pfn = capable(CAP_SYS_ADMIN);
	file->priv = mf;
	return 0;
}

/* The address space @file was opened on, if it is still the task's. */
static struct mm *mem_file_mm(struct file *file)
{
	struct mem_file *mf = file->priv;
	struct task *t = task_find(mf->pid);

	if (!t || !t->mm || !mf->serial || t->mm->serial != mf->serial)
		return NULL;
	return t->mm;
}

static void mem_file_release(struct file *file)
{
	kfree(file->priv);
	file->priv = NULL;
}

static int proc_mem_open(struct inode *inode, struct file *file)
{
	return mem_file_open_mode(inode, file, PTRACE_MODE_ATTACH);
}

/*
 * Linux's mem_rw: the file offset is the address; a page at a time
 * through mm_access_remote (faulting pages in, writing read-only private
 * ones as ptrace may). EIO if nothing could be moved at an address that
 * is not mapped, EFAULT for the caller's buffer; else the bytes moved.
 */
static ssize_t mem_rw(struct file *file, struct uio *uio, off_t *pos,
		      bool write)
{
	char *page = kmalloc(PAGE_SIZE);
	size_t moved = 0;
	ssize_t err = 0;

	if (!page)
		return -ENOMEM;
	while (uio->resid) {
		uintptr_t addr = (uintptr_t)*pos;
		size_t n = MIN(uio->resid, (size_t)PAGE_SIZE), got;
		struct mm *mm = mem_file_mm(file);

		if (!mm)
			break;
		if (write && uiomove(page, n, uio)) {
			err = -EFAULT;
			break;
		}
		/* The lookup is redone: copying in may have slept. */
		mm = mem_file_mm(file);
		if (!mm)
			break;
		mm_get(mm);
		got = mm_access_remote(mm, addr, page, n, write);
		mm_put(mm);
		if (!got) {
			err = -EIO;
			break;
		}
		if (!write && uiomove(page, got, uio)) {
			err = -EFAULT;
			break;
		}
		*pos = (off_t)(addr + got);
		moved += got;
		if (got < n)
			break;
	}
	kfree(page);
	return moved ? (ssize_t)moved : err;
}

static ssize_t proc_mem_read(struct file *file, struct uio *uio, off_t *pos)
{
	return mem_rw(file, uio, pos, false);
}

static ssize_t proc_mem_write(struct file *file, struct uio *uio, off_t *pos)
{
	return mem_rw(file, uio, pos, true);
}

const struct file_ops proc_mem_fops = {
	.svc = &procfs_service,
	.open = proc_mem_open,
	.read = proc_mem_read,
	.write = proc_mem_write,
	.release = mem_file_release,
};

static int auxv_open(struct inode *inode, struct file *file)
{
	return mem_file_open_mode(inode, file, PTRACE_MODE_READ);
}

/* The vector exec saved, to its AT_NULL pair (Linux's auxv_read). */
static ssize_t auxv_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct mm *mm = mem_file_mm(file);
	uint64_t vec[MM_SAVED_AUXV];
	size_t words = 0, len, n;
	int err;

	if (!mm || *pos < 0)
		return 0;
	memcpy(vec, mm->saved_auxv, sizeof(vec));
	do {
		words += 2;
	} while (words < MM_SAVED_AUXV && vec[words - 2]);
	len = words * sizeof(vec[0]);
	if ((uint64_t)*pos >= len)
		return 0;
	n = MIN(uio->resid, len - (size_t)*pos);
	err = uiomove((char *)vec + *pos, n, uio);
	if (err)
		return err;
	*pos += (off_t)n;
	return (ssize_t)n;
}

const struct file_ops proc_auxv_fops = {
	.svc = &procfs_service,
	.open = auxv_open,
	.read = auxv_read,
	.release = mem_file_release,
};

static int pagemap_open(struct inode *inode, struct file *file)
{
	return mem_file_open_mode(inode, file, PTRACE_MODE_READ);
}

#define PM_ENTRY_BYTES	8
#define PM_CHUNK	(PAGE_SIZE / PM_ENTRY_BYTES)

/*
 * Linux's pagemap_read: the file offset over 8 is the virtual page
 * number; EINVAL unless the offset and the count are multiples of 8; the
 * entries end at the top of the user half (0 bytes from there on, and
 * for an address space that is gone). The frame numbers are there only
 * for an opener with CAP_SYS_ADMIN. Bytes read, or EFAULT for the
 * caller's buffer.
 */
static ssize_t pagemap_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct mem_file *mf = file->priv;
	uint64_t *buf, vpn;
	size_t want, copied = 0;
	ssize_t err = 0;

	if (!mem_file_mm(file))
		return 0;
	if (*pos % PM_ENTRY_BYTES || uio->resid % PM_ENTRY_BYTES)
		return -EINVAL;
	vpn = (uint64_t)*pos / PM_ENTRY_BYTES;
	if (!uio->resid || vpn >= TASK_SIZE / PAGE_SIZE)
		return 0;
	want = MIN(uio->resid / PM_ENTRY_BYTES,
		   (size_t)(TASK_SIZE / PAGE_SIZE - vpn));
	buf = kmalloc(PM_CHUNK * PM_ENTRY_BYTES);
	if (!buf)
		return -ENOMEM;
	while (copied < want) {
		size_t n = MIN(want - copied, (size_t)PM_CHUNK);
		struct mm *mm = mem_file_mm(file);	/* copying out may sleep */

		if (!mm)
			break;
		mm_pagemap(mm, (uintptr_t)(vpn + copied) * PAGE_SIZE, buf, n,
			   mf->show_pfn);
		if (uiomove(buf, n * PM_ENTRY_BYTES, uio)) {
			err = -EFAULT;
			break;
		}
		copied += n;
	}
	kfree(buf);
	if (err)
		return err;
	*pos += (off_t)(copied * PM_ENTRY_BYTES);
	return (ssize_t)(copied * PM_ENTRY_BYTES);
}

const struct file_ops proc_pagemap_fops = {
	.svc = &procfs_service,
	.open = pagemap_open,
	.read = pagemap_read,
	.release = mem_file_release,
};
