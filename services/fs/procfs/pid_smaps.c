/*
 * /proc/<pid>/smaps and smaps_rollup, in Linux 6.1's fields and order
 * (fs/proc/task_mmu.c show_smap, __show_smap, show_smaps_rollup). Pages
 * are counted from the page tables (mm_vma_pages): the task's own
 * anonymous pages as dirty, shared where fork left them shared with
 * another process (Pss splits them), the rest as clean and this
 * process's alone. What Aramid does not have (huge pages, swap,
 * lazy free) prints as zero, as Linux prints it without them.
 */
#include "procfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

/* The figures of one area or of the rollup, in pages. */
struct smap_sum {
	size_t size, resident, anon;
	size_t shared_clean, shared_dirty, private_clean, private_dirty;
	size_t file, shmem, locked;
	uint64_t pss, pss_dirty, pss_anon;	/* << VMA_PSS_SHIFT */
};

static void smap_add(struct smap_sum *s, const struct map_line *l)
{
	const struct vma_pages *p = &l->pages;
	size_t clean = p->resident - p->anon;
	/* Dirty pages are anonymous ones: theirs is the share beyond the
	   clean pages', which count whole. */
	uint64_t anon_pss = p->pss - ((uint64_t)clean << VMA_PSS_SHIFT);

	s->size += (l->end - l->start) / PAGE_SIZE;
	s->resident += p->resident;
	s->anon += p->anon;
	s->pss += p->pss;
	s->pss_dirty += anon_pss;
	s->pss_anon += anon_pss;
	if (l->flags & VMA_SHARED) {
		s->shared_clean += clean;
		s->shared_dirty += p->anon;
	} else {
		s->private_clean += clean;
		s->shared_dirty += p->anon_shared;
		s->private_dirty += p->anon - p->anon_shared;
	}
	if (l->shared_anon)
		s->shmem += p->resident;
	else
		s->file += clean;
	if (l->flags & VMA_LOCKED)
		s->locked += p->resident;
}

/* Linux's SEQ_PUT_DEC: the label, then kB right-aligned in 8 columns. */
static void kb(struct proc_buf *b, const char *label, size_t pages)
{
	pb_printf(b, "%s%8lu kB\n", label, pages * (PAGE_SIZE / 1024));
}

/* A proportional figure, in kB as Linux rounds it down. */
static void kb_pss(struct proc_buf *b, const char *label, uint64_t pss)
{
	pb_printf(b, "%s%8lu kB\n", label,
		  (unsigned long)((pss * PAGE_SIZE) >> (VMA_PSS_SHIFT + 10)));
}

/* __show_smap: the rollup adds the Pss split after Pss_Dirty. */
static void smap_figures(struct proc_buf *b, const struct smap_sum *s,
			 bool rollup)
{
	kb(b, "Rss:            ", s->resident);
	kb_pss(b, "Pss:            ", s->pss);
	kb_pss(b, "Pss_Dirty:      ", s->pss_dirty);
	if (rollup) {
		kb_pss(b, "Pss_Anon:       ", s->pss_anon);
		kb(b, "Pss_File:       ", s->file);
		kb(b, "Pss_Shmem:      ", s->shmem);
	}
	kb(b, "Shared_Clean:   ", s->shared_clean);
	kb(b, "Shared_Dirty:   ", s->shared_dirty);
	kb(b, "Private_Clean:  ", s->private_clean);
	kb(b, "Private_Dirty:  ", s->private_dirty);
	kb(b, "Referenced:     ", s->resident);
	kb(b, "Anonymous:      ", s->anon);
	kb(b, "LazyFree:       ", 0);
	kb(b, "AnonHugePages:  ", 0);
	kb(b, "ShmemPmdMapped: ", 0);
	kb(b, "FilePmdMapped:  ", 0);
	kb(b, "Shared_Hugetlb: ", 0);
	pb_printf(b, "Private_Hugetlb: %7lu kB\n", 0UL);
	kb(b, "Swap:           ", 0);
	kb(b, "SwapPss:        ", 0);
	kb(b, "Locked:         ", s->locked);
}

/*
 * Whether the area may be written through its mapping: Linux keeps
 * VM_SHARED and VM_MAYWRITE off a shared mapping of a file not open for
 * writing, or sealed against it.
 */
static bool may_write(const struct map_line *l)
{
	if (!(l->flags & VMA_SHARED))
		return true;
	if (l->flags & VMA_NOWRITE)
		return false;
	return !l->file || (l->file->mode & FMODE_WRITE);
}

/* Linux's VmFlags mnemonics, in its bit order, for what a vma records. */
static void vm_flags(struct proc_buf *b, const struct map_line *l)
{
	bool special = l->flags & (VMA_VVAR | VMA_VDSO);
	bool shared = l->flags & VMA_SHARED;
	struct { bool on; const char *name; } f[] = {
		{ l->prot & PROT_READ, "rd" },
		{ l->prot & PROT_WRITE, "wr" },
		{ l->prot & PROT_EXEC, "ex" },
		{ shared && may_write(l), "sh" },
		{ !(l->flags & VMA_VVAR), "mr" },
		{ !(l->flags & VMA_VVAR) && may_write(l), "mw" },
		{ !(l->flags & (VMA_VVAR | VMA_NOEXEC)), "me" },
		{ shared, "ms" },
		{ l->flags & VMA_GROWSDOWN, "gd" },
		{ l->flags & VMA_VVAR, "pf" },
		{ l->flags & VMA_LOCKED, "lo" },
		{ l->flags & VMA_VVAR, "io" },
		{ l->flags & VMA_SEQ_READ, "sr" },
		{ l->flags & VMA_RAND_READ, "rr" },
		{ l->flags & VMA_DONTFORK, "dc" },
		{ special, "de" },
		{ l->flags & VMA_ACCOUNT, "ac" },
		{ l->flags & VMA_NORESERVE, "nr" },
		{ l->flags & VMA_WIPEONFORK, "wf" },
		{ l->flags & (VMA_VVAR | VMA_DONTDUMP), "dd" },
		{ l->flags & VMA_HUGEPAGE, "hg" },
		{ l->flags & VMA_NOHUGEPAGE, "nh" },
	};

	pb_printf(b, "VmFlags: ");
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		if (f[i].on)
			pb_printf(b, "%s ", f[i].name);
	}
	pb_write(b, "\n", 1);
}

int proc_pid_smaps_show(struct proc_buf *b, struct task *t)
{
	struct map_line *lines;
	size_t n, i;
	char *name = kmalloc(PATH_MAX);
	int err = name ? proc_map_lines(t, true, &lines, &n) : -ENOMEM;

	if (err)
		goto out_free;
	for (i = 0; i < n; i++) {
		struct smap_sum s = { 0 };

		smap_add(&s, &lines[i]);
		proc_maps_line(b, &lines[i], name);
		kb(b, "Size:           ", s.size);
		kb(b, "KernelPageSize: ", 1);
		kb(b, "MMUPageSize:    ", 1);
		smap_figures(b, &s, false);
		pb_printf(b, "THPeligible:    %d\n", 0);
		vm_flags(b, &lines[i]);
	}
	proc_map_lines_free(lines, n);
out_free:
	kfree(name);
	return err;
}

/* One line over all areas, then their sums (no Size nor VmFlags). */
int proc_pid_smaps_rollup_show(struct proc_buf *b, struct task *t)
{
	struct smap_sum s = { 0 };
	struct map_line *lines;
	size_t n, i, line_start = b->len;
	int err = t->mm ? proc_map_lines(t, true, &lines, &n) : -ESRCH;

	if (err)
		return err;
	for (i = 0; i < n; i++)
		smap_add(&s, &lines[i]);
	pb_printf(b, "%08lx-%08lx ---p 00000000 00:00 0",
		  n ? lines[0].start : 0UL, n ? lines[n - 1].end : 0UL);
	while (!b->error && b->len - line_start < PROC_MAPS_NAME_COL)
		pb_write(b, " ", 1);
	pb_printf(b, " [rollup]\n");
	smap_figures(b, &s, true);
	proc_map_lines_free(lines, n);
	return 0;
}
