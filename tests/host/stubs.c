/*
 * Host stand-ins for the platform API and the rest of the kernel, so the
 * VFS and tmpfs run as an ordinary program: the heap is malloc, frames
 * are malloc'd 4 KiB blocks (counted, to find leaks), user memory is the
 * program's own, and `current` is one fake task.
 */
#include <kernel/service.h>
#include <kernel/vfs.h>
#include <kernel/event.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <kernel/user_ns.h>
#include <kernel/ipc_ns.h>
#include <kernel/ns.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <platform/frame.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <platform/usercopy.h>
#include <platform/cpu.h>
#include <svc/task.h>
#include <svc/wait.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include <svc/random.h>
#include <kernel/signal.h>
#include <kernel/boot.h>

/* The few C library functions used, declared here: the kernel headers
 * clash with the host's own. */
void *malloc(size_t size);
void *calloc(size_t n, size_t size);
void free(void *p);
__noreturn void abort(void);
int dprintf(int fd, const char *fmt, ...);
int vdprintf(int fd, const char *fmt, va_list ap);

struct host_frame {
	unsigned ref;
	unsigned char data[PAGE_SIZE];
};

long host_frames_live;
long host_frame_limit = -1;	/* frame_alloc fails once this many live */
long host_heap_live;
long host_heap_limit = -1;	/* kmalloc fails once this many live */
/* Root in the initial user namespace, with every capability. */
static struct task host_task = {
	.cred = {
		.cap_effective = CAP_FULL_SET,
		.cap_permitted = CAP_FULL_SET,
		.user_ns = &init_user_ns,
	},
};
struct task *current = &host_task;
/* No task list: nothing walks other tasks here. */
LIST_HEAD(all_tasks);

void *kzalloc(size_t size)
{
	void *p;

	if (host_heap_limit >= 0 && host_heap_live >= host_heap_limit)
		return NULL;
	p = calloc(1, size ? size : 1);
	if (p)
		host_heap_live++;
	return p;
}

void *kmalloc(size_t size) { return kzalloc(size); }

void kfree(const void *p)
{
	if (p)
		host_heap_live--;
	free((void *)p);
}

paddr_t frame_alloc(void)
{
	struct host_frame *f;

	if (host_frame_limit >= 0 && host_frames_live >= host_frame_limit)
		return 0;
	f = calloc(1, sizeof(*f));
	if (!f)
		return 0;
	f->ref = 1;
	host_frames_live++;
	return (paddr_t)(uintptr_t)f;
}

paddr_t frame_alloc_dirty(void) { return frame_alloc(); }

void frame_get(paddr_t pa) { ((struct host_frame *)(uintptr_t)pa)->ref++; }

unsigned frame_refcount(paddr_t pa)
{
	return ((struct host_frame *)(uintptr_t)pa)->ref;
}

void frame_put(paddr_t pa)
{
	struct host_frame *f = (struct host_frame *)(uintptr_t)pa;

	if (--f->ref == 0) {
		free(f);
		host_frames_live--;
	}
}

void frame_read(paddr_t pa, size_t off, void *buf, size_t len)
{
	if (off + len > PAGE_SIZE)
		abort();
	memcpy(buf, ((struct host_frame *)(uintptr_t)pa)->data + off, len);
}

void frame_write(paddr_t pa, size_t off, const void *buf, size_t len)
{
	if (off + len > PAGE_SIZE)
		abort();
	memcpy(((struct host_frame *)(uintptr_t)pa)->data + off, buf, len);
}

void *frame_map(paddr_t pa)
{
	return ((struct host_frame *)(uintptr_t)pa)->data;
}

void frame_stats(struct frame_stats *st)
{
	st->total = 1000;
	st->free = 1000 - (size_t)host_frames_live;
}

uint64_t clock_monotonic_ns(void) { return 5 * NSEC_PER_SEC; }
uint64_t clock_boot_realtime_ns(void) { return 1700000000ULL * NSEC_PER_SEC; }
const char *kernel_cmdline(void) { return ""; }

/* User memory is the program's own: any range that does not wrap. */
bool access_ok(uptr_t p, size_t n)
{
	return p.va + n >= p.va;
}

int copy_from_user(void *dst, uptr_t src, size_t n)
{
	if (!src.va)
		return -EFAULT;
	memcpy(dst, (void *)src.va, n);
	return 0;
}

int copy_to_user(uptr_t dst, const void *src, size_t n)
{
	if (!dst.va)
		return -EFAULT;
	memcpy((void *)dst.va, src, n);
	return 0;
}

long strncpy_from_user(char *dst, uptr_t src, size_t max)
{
	size_t n;

	if (!src.va)
		return -EFAULT;
	n = strnlen((const char *)src.va, max);
	if (n == max)
		return -ENAMETOOLONG;
	memcpy(dst, (const char *)src.va, n + 1);
	return (long)n;
}

void printk(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > LOG_WARNING)
		return;
	va_start(ap, fmt);
	vdprintf(2, fmt, ap);
	va_end(ap);
	dprintf(2, "\n");
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdprintf(2, fmt, ap);
	va_end(ap);
	dprintf(2, "\n");
	abort();
}

const struct file_ops *chrdev_ops(dev_t rdev) { return NULL; }
int fifo_open(struct inode *inode, struct file *file) { return -ENXIO; }
/* No address spaces here: nothing maps a file. */
bool mm_inode_mapped_shared(const struct inode *inode) { return false; }
struct file *mm_dirty_shared_file(const struct super_block *sb,
				  uint64_t pass) { return NULL; }
struct file *mm_shared_file(const struct inode *inode) { return NULL; }
/*
 * The page cache (linked in) serves no tmpfs file and the fake task has
 * no mm, so it never reaches an address space.
 */
void mm_unmap_file_pages(const struct inode *inode, uint64_t first,
			 uint64_t last, paddr_t only) { abort(); }
void mm_wrprotect_file_page(const struct inode *inode, uint64_t idx,
			    paddr_t frame) { abort(); }
bool mm_unmap_file_page(const struct inode *inode, uint64_t idx,
			paddr_t frame) { abort(); }
struct vma *vma_find(struct mm *mm, uintptr_t addr) { abort(); }
int mm_fault(struct mm *mm, uintptr_t addr, bool write, bool exec) { abort(); }
bool mmu_lookup(struct mmu_space *s, uintptr_t va, paddr_t *pa,
		unsigned *prot) { abort(); }
/* The one fake task (pid 0 here) is the only one to find. */
struct task *task_find(pid_t pid) { return pid == host_task.pid ? &host_task : NULL; }
/* No file joins an epoll set here, so fput never calls this. */
void eventpoll_release(struct file *file) { (void)file; abort(); }
/* One task, no signals: no owner to record or signal, no lease to break. */
int fown_set_default(struct file *f) { (void)f; return 0; }
void fown_signal(struct file *f, int fd, int reason) { (void)f; (void)fd; (void)reason; }
void fasync_release(struct file *f) { (void)f; }
int break_lease(struct inode *inode, unsigned flags) { (void)inode; (void)flags; return 0; }
void lease_remove_file(struct file *f) { (void)f; }

/* No other task: nothing sleeps, so there is nobody to wake. */
void poll_wait(struct file *file, struct wait_queue *wq, struct poll_table *pt)
{
	(void)file;
	(void)wq;
	(void)pt;
}

/*
 * The service boundary on the host: no containment (a fault in the code
 * under test should crash the test, loudly), every call admitted.
 */
int contain_enter(struct contain_point *p) { (void)p; return 0; }
void contain_exit(struct contain_point *p) { (void)p; }
long svc_begin(struct svc_call *call, struct service *svc,
	       struct svc_cap cap, const char *op)
{
	(void)cap;
	call->svc = svc;
	call->op = op;
	return 0;
}
void svc_end(struct svc_call *call) { (void)call; }
long svc_fault(struct svc_call *call) { (void)call; abort(); }
void svc_register(struct service *svc) { (void)svc; }
struct svc_cap svc_mint(const struct service *svc)
{
	struct svc_cap cap;

	(void)svc;
	return cap;
}

/* One task, root, that never has to wait (no lock here ever blocks). */
bool capable(int cap) { (void)cap; return true; }
bool signal_pending(void) { return false; }
irqflags_t irq_save(void) { return 0; }
void irq_restore(irqflags_t flags) { (void)flags; }
void wq_wake_all(struct wait_queue *wq) { (void)wq; }
int wq_sleep(struct wait_queue *wq, uint64_t deadline_ns)
{
	(void)wq;
	(void)deadline_ns;
	panic("wq_sleep: nothing may block in the host tests");
}

/* CHECKED_INDEX failures (<aramid/checked.h>) end the test loudly. */
void checked_index_fail(const char *file, int line, size_t idx, size_t n)
{
	panic("CHECKED_INDEX: %s:%d: index %zu out of range [0, %zu)",
	      file, line, idx, n);
}

/* Credentials: the one task is root with every capability. */
bool cred_capable(const struct cred *c, int cap) { (void)c; (void)cap; return true; }
bool cred_in_group(const struct cred *c, gid_t gid) { return gid == c->fsgid; }
bool in_group_p(gid_t gid) { return gid == current->cred.fsgid; }
void cred_committed(const struct cred *old) { (void)old; }
unsigned task_other_threads(struct task *t) { (void)t; return 0; }
uint64_t rlimit(int res) { (void)res; return RLIM_INFINITY; }
int send_signal(struct task *t, int sig, const siginfo_t *info)
{
	(void)t; (void)sig; (void)info;
	return 0;
}

void random_bytes(void *buf, size_t n) { memset(buf, 0x5a, n); }

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t k = n < size - 1 ? n : size - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

int frame_copy_user(paddr_t pa, size_t off, uptr_t u, size_t len,
		    bool to_user)
{
	char *k = (char *)frame_map(pa) + off;

	return to_user ? copy_to_user(u, k, len) : copy_from_user(k, u, len);
}

/* The host test's tasks are in no IPC or time namespace (kernel/ipc/,
 * kernel/time/ are not linked): nothing to name. */
struct ns_common *ipc_ns_common(struct ipc_ns *n)
{
	(void)n;
	return NULL;
}

struct ns_common *task_time_ns_children(const struct task *t)
{
	(void)t;
	return NULL;
}
