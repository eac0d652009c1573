/*
 * Process address spaces (kernel/mm/): areas (vmas) over the platform's
 * page tables, demand paging, copy-on-write, mmap and brk.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/rbtree.h>
#include <platform/mmu.h>

struct file;
struct inode;
struct super_block;

/* vma.flags */
#define VMA_SHARED	0x1	/* MAP_SHARED: writes reach the object */
#define VMA_GROWSDOWN	0x2	/* the stack */
/* Private and writable, charged to the commit (Linux's VM_ACCOUNT): set
 * by mmap, brk and exec, gained by mprotect, never lost. */
#define VMA_ACCOUNT	0x4
#define VMA_VVAR	0x8	/* the vDSO's data page */
#define VMA_VDSO	0x10	/* the vDSO's code */
/* Shared, made under a write seal or (/dev/zero) from a read-only
 * descriptor: never writable (no VM_MAYWRITE). */
#define VMA_NOWRITE	0x20
#define VMA_LOCKED	0x40	/* mlock: counts against RLIMIT_MEMLOCK */
/* A file's on a noexec mount: never executable (no VM_MAYEXEC). */
#define VMA_NOEXEC	0x80
#define VMA_AIO		0x100	/* an AIO context's ring (kernel/aio/) */
#define VMA_DONTFORK	0x200	/* MADV_DONTFORK: not in a fork's copy */
#define VMA_DONTDUMP	0x400	/* MADV_DONTDUMP: left out of core dumps */
#define VMA_WIPEONFORK	0x800	/* MADV_WIPEONFORK: a fork's copy is empty */
#define VMA_NORESERVE	0x1000	/* MAP_NORESERVE: never VMA_ACCOUNT */
/* With VMA_LOCKED: MLOCK_ONFAULT or MCL_ONFAULT, faulted in as used. */
#define VMA_LOCKONFAULT	0x2000
#define VMA_SEQ_READ	0x4000	/* MADV_SEQUENTIAL */
#define VMA_RAND_READ	0x8000	/* MADV_RANDOM */
#define VMA_HUGEPAGE	0x10000	/* MADV_HUGEPAGE (no huge pages here) */
#define VMA_NOHUGEPAGE	0x20000	/* MADV_NOHUGEPAGE */

struct shared_anon;
struct uffd_ctx;

/* Words of the auxiliary vector an mm keeps (Linux's AT_VECTOR_SIZE). */
#define MM_SAVED_AUXV	52

/*
 * The owner of a shared anonymous object that wants to know when a vma
 * takes (@delta 1: mmap, a split, fork) or drops (-1: munmap, exec,
 * exit) a hold on it, as Linux's vm_ops open and close: System V shared
 * memory counts its attaches so. Called in the context of the task
 * whose address space changes.
 */
struct shared_anon_user {
	void (*attach)(struct shared_anon_user *u, int delta);
};

struct vma {
	uintptr_t start, end;	/* page aligned, end exclusive */
	unsigned prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	unsigned flags;		/* VMA_* */
	struct file *file;	/* file mapping, with a reference; or NULL */
	uint64_t pgoff;		/* page offset into file or shared object */
	struct shared_anon *anon; /* MAP_SHARED|MAP_ANONYMOUS object */
	/* A private /dev/zero mapping's file, with a reference: its memory
	 * is anonymous, but Linux keeps the file (maps names it, merging
	 * compares it). */
	struct file *zero_file;
	struct uffd_ctx *uffd;	/* the userfaultfd it is registered with */
	uint64_t uffd_modes;	/* ... UFFDIO_REGISTER_MODE_* (0: none) */
	/*
	 * Private: which of Linux's anon_vmas its anonymous pages would be
	 * in (0 until the first is made: vma_anon_prepare), and whether
	 * fork gave it that one (Linux's anon_vma_chain not singular):
	 * what decides whether two anonymous vmas merge.
	 */
	uint64_t anon_vma;
	bool anon_forked;
	struct list_head link;	/* mm.vmas, sorted by address */
	struct rb_node node;	/* mm.vma_tree, by address */
};

struct mm {
	int refcount;
	uint64_t serial;	/* unique since boot: open /proc/PID/mem */		/* vfork children share their parent's */
	struct mmu_space *space;
	struct list_head vmas;
	struct rb_root vma_tree; /* the same vmas, for lookups by address */
	int map_count;		/* how many: at most vm.max_map_count (+1) */
	struct vma *vma_cache;	/* vma_find's last find, or NULL; cleared when freed */
	uintptr_t brk_start, brk;
	uintptr_t start_code, end_code, start_data, end_data;
	uintptr_t start_stack, arg_start, arg_end, env_start, env_end;
	uintptr_t stack_top;	/* where exec put the stack's top */
	uintptr_t mmap_base;	/* mmap allocates top-down below this */
	uintptr_t vdso_base;	/* the vDSO's data page; its code follows */
	struct file *exe_file;	/* the program (/proc/PID/exe): not writable */
	bool randomized;	/* exec randomised this layout (mm_layout.c) */
	bool dumpable;		/* PR_GET_DUMPABLE; false after a set-id exec */
	unsigned coredump_filter; /* /proc/PID/coredump_filter; kept by fork and exec */
	unsigned membarrier_registered;	/* MEMBARRIER_CMD_REGISTER_* done */
	bool lock_future;	/* mlockall(MCL_FUTURE): new mappings locked */
	bool lock_future_onfault; /* ... MCL_ONFAULT: and not populated */
	size_t rss_pages;	/* pages this mm faulted in (approximate) */
	size_t hiwater_rss_pages; /* the most rss_pages has been (VmHWM) */
	struct aio_table *aio;	/* io_setup's contexts (kernel/aio/), or NULL */
	bool uffd_used;		/* a userfaultfd has registered a range here */
	/* exec's auxiliary vector, to AT_NULL (/proc/PID/auxv) */
	uint64_t saved_auxv[MM_SAVED_AUXV];
};

#define PROT_NONE	0
#define PROT_READ	1
#define PROT_WRITE	2
#define PROT_EXEC	4

/*
 * The top of the user half, as Linux's DEFAULT_MAP_WINDOW: exec puts the
 * stack just below it and the mmap area below the stack's 128 MiB or more
 * (mm_layout.c).
 */
#define TASK_SIZE	0x00007ffffffff000UL
#define MMAP_MIN	0x0000000000010000UL	/* vm.mmap_min_addr */

/* Linux's default coredump_filter: private and shared anonymous memory,
 * ELF headers, private huge pages. */
#define COREDUMP_FILTER_DEFAULT	0x33
#define COREDUMP_FILTER_BITS	9	/* MMF_DUMP_FILTER_BITS */

/*
 * A new, empty address space, one reference. Its coredump_filter is the
 * caller's (exec keeps it, as Linux's mm_init), or the default at boot.
 */
struct mm *mm_new(void);
/*
 * Make @f the program @mm runs (no program yet): a reference, and writing
 * @f is refused while @mm lives. 0 or -ETXTBSY (@f is open for writing).
 */
int mm_set_exe_file(struct mm *mm, struct file *f);
/* A copy of @src for fork: private pages become copy-on-write. */
struct mm *mm_fork(struct mm *src);
void mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* Make @mm the address space on the CPU. */
void mm_activate(struct mm *mm);

/*
 * A shared anonymous object of @npages zero pages, one reference held by
 * the caller (no vma): NULL without memory. Process context.
 */
struct shared_anon *shared_anon_new(size_t npages);
/* Drop the caller's own reference (not a vma's); the last frees it. */
void shared_anon_put(struct shared_anon *a);
/* Tell @u of every vma hold on @a from now on (NULL: nobody). */
void shared_anon_set_user(struct shared_anon *a, struct shared_anon_user *u);
/* The user @a tells, or NULL. */
struct shared_anon_user *shared_anon_user(const struct shared_anon *a);
/* Pages of @a that have a frame (touched at least once). */
size_t shared_anon_resident(const struct shared_anon *a);
/*
 * Map @a's pages from its first at [start, start+len) of @mm, shared,
 * replacing what was there; the vma takes a hold on @a. 0 or -ENOMEM.
 */
int mm_map_shared_anon(struct mm *mm, uintptr_t start, size_t len,
		       unsigned prot, unsigned flags, struct shared_anon *a);

/* The vma containing @addr, or NULL. O(log n). */
struct vma *vma_find(struct mm *mm, uintptr_t addr);
/* The first vma that ends above @addr (contains it or lies above), or
 * NULL. O(log n). */
struct vma *vma_first_from(struct mm *mm, uintptr_t addr);
/* The vma after @v in @mm, or NULL. */
static inline struct vma *vma_next(struct mm *mm, struct vma *v)
{
	return v->link.next == &mm->vmas ? NULL :
	       list_entry(v->link.next, struct vma, link);
}
/* The vma before @v in @mm, or NULL. */
static inline struct vma *vma_prev(struct mm *mm, struct vma *v)
{
	return v->link.prev == &mm->vmas ? NULL :
	       list_entry(v->link.prev, struct vma, link);
}
/* Each vma of @mm that ends above @addr, in order; stop when you like. */
#define vma_for_each_from(v, mm, addr) \
	for ((v) = vma_first_from((mm), (addr)); (v); (v) = vma_next((mm), (v)))
/*
 * vm.max_map_count: the vmas an address space may have. mmap and brk
 * refuse (ENOMEM) once there are more; a split (mprotect, mlock,
 * madvise, mremap, munmap of a middle part) once there are as many.
 */
extern int max_map_count;
/*
 * Map [start, start+len) in @mm (both page aligned), replacing what was
 * there. @file gains a reference. 0 or -ENOMEM.
 */
int mm_map_region(struct mm *mm, uintptr_t start, size_t len, unsigned prot,
		  unsigned flags, struct file *file, uint64_t pgoff);
/*
 * The frame of page @idx of @a, allocated zeroed on first use, with a
 * reference for the caller: 0, -EFAULT past its end, or -ENOMEM.
 */
int shared_anon_page(struct shared_anon *a, size_t idx, paddr_t *out);
/* Unmap [start, start+len). 0 or -ENOMEM (vma split failed). */
int mm_unmap_region(struct mm *mm, uintptr_t start, size_t len);
/* The highest free gap of @len below mm->mmap_base; 0 if none. */
uintptr_t mm_find_gap(struct mm *mm, size_t len);
/*
 * May the caller map [@start, @start+@len) at that fixed address (Linux's
 * get_unmapped_area and cap_mmap_addr)? 0; -ENOMEM if it leaves the user
 * range; -EPERM below vm.mmap_min_addr without CAP_SYS_RAWIO.
 */
int mm_fixed_range_check(uintptr_t start, size_t len);
/*
 * Lay out a new @mm for exec as Linux does (mm_layout.c): the stack top
 * and the mmap base, each moved down by a random number of pages if
 * @randomize (16 GiB and 1 TiB at most).
 */
void mm_layout_init(struct mm *mm, bool randomize);
/*
 * A random page-aligned offset below 2^@bits pages if @mm's layout is
 * randomised, else 0.
 */
uintptr_t mm_random_offset(struct mm *mm, unsigned bits);
/*
 * True if exec should randomise the layout of a program that will run
 * with @personality: randomisation is on (no norandmaps) and the
 * personality lacks ADDR_NO_RANDOMIZE.
 */
bool exec_randomize(unsigned personality);
/*
 * kernel.randomize_va_space, as Linux's: 0 none (norandmaps), 1 the
 * stack, mmap area, program and vDSO, 2 also the brk (the default).
 */
void mm_set_randomize(int level);
int mm_randomize_level(void);

/*
 * True if some address space maps @inode MAP_SHARED through a file open
 * for writing, not VMA_NOWRITE (what Linux counts in i_mmap_writable), for
 * F_SEAL_WRITE (kernel/mm/mm_file_maps.c). Process context.
 */
bool mm_inode_mapped_shared(const struct inode *inode);
/*
 * Unmap pages [@first, @last] of @inode from every address space's
 * mappings of it, the private copies made from them included (Linux's
 * unmap_mapping_range for a truncate); with @only not 0, only the
 * mappings of that frame. A later access faults the page in again.
 * Process context.
 */
void mm_unmap_file_pages(const struct inode *inode, uint64_t first,
			 uint64_t last, paddr_t only);
/*
 * Unmap frame @frame, page @idx of @inode, from every mapping of it, as
 * mm_unmap_file_pages with @only, unless a locked (mlock) vma maps that
 * page: then nothing changes and the answer is false. Reclaim's call.
 * Process context, the kernel lock; does not sleep.
 */
bool mm_unmap_file_page(const struct inode *inode, uint64_t idx,
			paddr_t frame);
/*
 * Make every shared mapping of page @idx of @inode that maps @frame
 * read-only (the page cache cleaned it: the next store faults).
 * Process context.
 */
void mm_wrprotect_file_page(const struct inode *inode, uint64_t idx,
			    paddr_t frame);
/*
 * A file through which some address space maps MAP_SHARED a file of @sb
 * (of any filesystem for NULL) whose page cache has dirty pages that
 * sync pass @pass has not taken yet (page_cache_sync_pending, which
 * marks them taken), with a reference for the caller; NULL when there
 * is none left. Process context; does not sleep.
 */
struct file *mm_dirty_shared_file(const struct super_block *sb,
				  uint64_t pass);
/*
 * A file through which some address space maps @inode MAP_SHARED, with
 * a reference for the caller (the file reclaim writes a dirty page of
 * @inode back through); NULL if none does. Process context, the kernel
 * lock; does not sleep.
 */
struct file *mm_shared_file(const struct inode *inode);

/* Memory events since boot (kernel/mm/fault.c), for /proc/vmstat. */
struct mm_events {
	uint64_t pgfault;	/* page faults taken */
	uint64_t oom_kill;	/* tasks the OOM path killed */
};
void mm_events(struct mm_events *e);

/*
 * Resolve a fault at @addr (see kernel_page_fault): 0; -EFAULT for no
 * access (SIGSEGV); -EIO for a file page past the end or one that cannot
 * be read (SIGBUS); -ENOMEM.
 */
int mm_fault(struct mm *mm, uintptr_t addr, bool write, bool exec);
/*
 * userfaultfd (kernel/mm/userfaultfd.c): a fault at @addr of @mm by the
 * current task, @user if from user mode, in a range a userfaultfd has
 * registered for missing pages, with no page there: the thread waits for
 * the userfaultfd's reader to resolve it. 1 if it is no such fault (the
 * usual path resolves it); 0 to retry the access; -EIO if it must not
 * wait (SIGBUS for a user access, EFAULT for the kernel's), -EFAULT if a
 * signal ended the kernel's wait. May sleep.
 */
int uffd_fault(struct mm *mm, uintptr_t addr, bool write, bool user);
/* Register /dev/userfaultfd (misc 10:126). Boot. */
void uffd_dev_init(void);
/* vm.unprivileged_userfaultfd: 1 lets anyone take kernel-mode faults. */
extern int unprivileged_userfaultfd;
/* Clear @v's userfaultfd registration (fork's copies, the release). */
void uffd_vma_detach(struct vma *v);

/* True if @addr lies in no vma of @mm (SEGV_MAPERR vs SEGV_ACCERR). */
bool mm_addr_unmapped(struct mm *mm, uintptr_t addr);
