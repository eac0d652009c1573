/*
 * Private to userfaultfd (kernel/mm/userfaultfd*.c): the context behind a
 * userfaultfd descriptor, and the faults that wait on it.
 */
#pragma once
#include <kernel/mm.h>
#include <svc/wait.h>
#include <uapi/userfaultfd.h>

/*
 * One thread stopped in a missing-page fault of a registered range: its
 * report, on the context's pending list until read, then on its waiting
 * list until a UFFDIO_COPY, ZEROPAGE or WAKE over its page (or the
 * context's release) wakes it to retry the access. Lives on the faulting
 * thread's stack.
 */
struct uffd_fault {
	struct list_head link;	/* uffd_ctx.pending or .waiting; empty once woken */
	uintptr_t page;		/* the faulting page */
	struct uffd_msg msg;
};

struct uffd_ctx {
	int refcount;		/* the file, and each fault waiting on it */
	struct mm *mm;		/* the address space it serves, a reference */
	unsigned flags;		/* userfaultfd(2)'s: O_NONBLOCK, O_CLOEXEC, UFFD_USER_MODE_ONLY */
	bool api_done;		/* UFFDIO_API has succeeded */
	bool released;		/* the file is gone: faults map as usual */
	uint64_t features;	/* the UFFD_FEATURE_* UFFDIO_API enabled */
	struct list_head pending;	/* struct uffd_fault not yet read */
	struct list_head waiting;	/* ... read, not yet resolved */
	struct wait_queue fault_wq;	/* the threads in those faults */
	struct wait_queue fd_wq;	/* readers and pollers of the file */
};

/* The features this kernel offers in UFFDIO_API. */
#define UFFD_FEATURES_SUPPORTED	((uint64_t)(UFFD_FEATURE_SIGBUS |		\
					    UFFD_FEATURE_THREAD_ID |	\
					    UFFD_FEATURE_EXACT_ADDRESS))

/*
 * Wake the faults of @ctx whose page lies in [start, start+len): they
 * retry their access. Any process context.
 */
void uffd_wake_range(struct uffd_ctx *ctx, uintptr_t start, size_t len);

/* The ioctls of a userfaultfd (userfaultfd_ioctl.c). Process context. */
long uffd_ioctl(struct uffd_ctx *ctx, unsigned cmd, uptr_t arg);
/*
 * Register the vmas of [start, end) of @ctx's address space with @to in
 * @modes, or (@to NULL) unregister those registered with @ctx, as
 * Linux's userfaultfd_register and _unregister: each vma that changes
 * merges with a neighbour it now matches, else is split at the range's
 * ends. 0 or -ENOMEM (vm.max_map_count), the vmas before it changed.
 */
int uffd_set_range(struct uffd_ctx *ctx, uintptr_t start, uintptr_t end,
		   struct uffd_ctx *to, uint64_t modes);

/*
 * A new userfaultfd for the current address space with userfaultfd(2)'s
 * @flags, checked: a descriptor, or -EINVAL, -EMFILE, -ENOMEM.
 */
long uffd_create(int flags);
