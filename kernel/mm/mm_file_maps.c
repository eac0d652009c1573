/*
 * Which address spaces map a file: the walk F_SEAL_WRITE makes (Linux
 * keeps a count, i_mmap_writable; sealing is rare, so a walk over every
 * task's areas does here).
 */
#include <kernel/mm.h>
#include <kernel/task.h>
#include <kernel/vfs.h>

/*
 * True if some vma of @mm maps @inode shared through a writable file and
 * may become writable (VM_SHARED and VM_MAYWRITE, as Linux counts).
 */
static bool mm_maps_shared(struct mm *mm, const struct inode *inode)
{
	struct vma *v;

	list_for_each_entry(v, &mm->vmas, link) {
		if (v->file && v->file->inode == inode &&
		    (v->flags & VMA_SHARED) && !(v->flags & VMA_NOWRITE) &&
		    (v->file->mode & FMODE_WRITE))
			return true;
	}
	return false;
}

/* See include/kernel/mm.h. */
bool mm_inode_mapped_shared(const struct inode *inode)
{
	struct task *t;

	for_each_task(t) {
		if (t->mm && mm_maps_shared(t->mm, inode))
			return true;
	}
	return false;
}
