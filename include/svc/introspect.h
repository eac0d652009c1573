/*
 * What the kernel shows of its own state to the service that reports it,
 * procfs, and to no other (scripts/check-layers.sh keeps it to
 * services/fs/procfs/): the mount table, the registered filesystem types,
 * another task's memory and the /proc/net texts as functions over ring
 * 1's objects, so that procfs walks none of those structures itself; and,
 * read-only, the tasks, address spaces, open files, terminals,
 * namespaces and boot facts it formats (the ring-1 headers below).
 */
#pragma once
#include <aramid/types.h>
#include <kernel/boot.h>
#include <kernel/mm.h>
#include <kernel/ns.h>
#include <kernel/pid_ns.h>
#include <kernel/signal.h>
#include <kernel/task.h>
#include <kernel/tty.h>
#include <kernel/user_ns.h>
#include <kernel/vfs.h>
#include <svc/cpus.h>

/* One mount as /proc/mounts and mountinfo show it; strings live for the call. */
struct mount_info {
	int id, parent_id;	/* the root mount is its own parent */
	dev_t dev;		/* of its super block */
	const char *root;	/* within its filesystem: "/" but for binds */
	const char *source;	/* as given to mount(2) */
	const char *mountpoint;	/* seen from the caller's root */
	const char *fstype;
	const char *mount_opts;	/* per mount: "rw,nosuid,relatime" */
	const char *fs_opts;	/* the filesystem's own: ",size=64k" or "" */
	bool readonly;		/* the super block's "ro" / "rw" */
};

/*
 * Call @fn(@arg, info) for each mount of the caller's mount namespace
 * visible from its root, in mount order (kernel/vfs/mount_walk.c).
 * Process context; may sleep.
 * Returns 0, -ENOMEM, or the first non-zero value @fn returned (which
 * ends the walk).
 */
int mounts_walk(int (*fn)(void *arg, const struct mount_info *mi),
		void *arg);

/* The id of the mount @f was opened on (mountinfo's), 0 for none. */
int file_mnt_id(const struct file *f);

/* One granted advisory lock, as /proc/locks shows it. */
enum lock_info_kind { LOCKINFO_POSIX, LOCKINFO_OFD, LOCKINFO_FLOCK };
struct lock_info {
	enum lock_info_kind kind;
	bool write;		/* else a read lock */
	pid_t pid;		/* the setter's process; -1 for OFD locks */
	dev_t dev;
	ino_t ino;
	off_t start, end;	/* bytes [start, end]; end -1: to EOF */
	const void *owner;	/* POSIX: the struct files; else the file */
};

/*
 * Call @fn(@arg, info) for each lock held on @only (NULL: on any inode),
 * inodes in the order of their first lock, newest first
 * (kernel/vfs/file_lock.c). Does not sleep, nor may @fn. Returns 0 or
 * the first non-zero value @fn returned (which ends the walk).
 */
int file_locks_walk(const struct inode *only,
		    int (*fn)(void *arg, const struct lock_info *li),
		    void *arg);

/* One watch of an inotify instance, as its fdinfo line shows it. */
struct inotify_watch_info {
	int wd;
	ino_t ino;
	dev_t dev;		/* of the watched inode's filesystem */
	uint32_t mask;		/* its events, IN_ONESHOT, IN_EXCL_UNLINK */
	int fh_type;		/* its file handle's type; < 0: no handle */
	unsigned fh_bytes;	/* the handle's length in bytes */
	uint8_t fh[128];	/* the handle (MAX_HANDLE_SZ) */
};

/*
 * If @f is an inotify instance, call @fn(@arg, info) for each of its
 * watches, oldest first (kernel/vfs/inotify.c): 0 or the first non-zero
 * value @fn returned. 0 at once for another file. Does not sleep, nor
 * may @fn.
 */
int inotify_watches_walk(const struct file *f,
			 int (*fn)(void *arg,
				   const struct inotify_watch_info *wi),
			 void *arg);

/*
 * Registered filesystem types in registration order (kernel/vfs/mount.c):
 * fs_type_next(NULL) is the first, NULL after the last. Types are never
 * unregistered.
 */
const struct fs_type *fs_type_next(const struct fs_type *prev);

/*
 * Copy up to @len bytes at user address @va of @mm into @buf, page by
 * page (kernel/mm/mm_remote.c); stops at the first page that is not
 * present (Linux would fault it in; this reports the end of the data).
 * Returns the bytes copied. Does not sleep.
 */
size_t mm_read_remote(struct mm *mm, uintptr_t va, void *buf, size_t len);
/*
 * Read (or with @write, write) up to @len bytes at @va of @mm as ptrace
 * may, Linux's access_remote_vm with FOLL_FORCE (kernel/mm/mm_remote.c):
 * pages are faulted in, read-only private ones written through a private
 * copy; stops at an unmapped address, the vDSO's data page, a PROT_NONE
 * area or a read-only shared mapping being written. Returns the bytes
 * done. Process context; may sleep.
 */
size_t mm_access_remote(struct mm *mm, uintptr_t va, void *buf, size_t len,
			bool write);
/*
 * mm_access_remote without the force (Linux's pin_user_pages_remote
 * without FOLL_FORCE, for process_vm_readv/writev): stops also where the
 * area's protection refuses the access (PROT_READ to read, PROT_WRITE to
 * write). Returns the bytes done. Process context; may sleep.
 */
size_t mm_copy_remote(struct mm *mm, uintptr_t va, void *buf, size_t len,
		      bool write);
/* What mm_vma_pages counts of one area, in pages. */
struct vma_pages {
	size_t resident;	/* in the page tables */
	size_t anon;		/* the task's own anonymous memory */
	size_t anon_shared;	/* of those, shared with another address
				   space (fork's copy-on-write) */
	uint64_t pss;		/* the proportional share, each page's
				   1 << VMA_PSS_SHIFT split among its
				   sharers */
};
#define VMA_PSS_SHIFT	12	/* Linux's PSS_SHIFT */
/*
 * The pages of @v in @mm's page tables (kernel/mm/mm_resident.c) into
 * *@out: all of them, those that are the task's own anonymous memory
 * (of a private anonymous area, or private copies of a file's pages),
 * and of a private anonymous area's pages those another address space
 * maps too, as fork leaves them until one side writes. Every other page
 * is taken as mapped here alone. Does not sleep.
 */
void mm_vma_pages(struct mm *mm, const struct vma *v, struct vma_pages *out);

/*
 * /proc/PID/pagemap (kernel/mm/pagemap.c): the entries of the @n pages
 * from @va (page aligned, the range inside the user half) of @mm into
 * @out, as Linux 6.1's: bit 63 present, 61 a file's or shared object's
 * page, 56 mapped by one page-table entry alone, 55 soft-dirty (every
 * page inside a vma), the frame number in bits 0-54 if @show_pfn; 0 where
 * no vma is. Process context; does not sleep.
 */
void mm_pagemap(struct mm *mm, uintptr_t va, uint64_t *out, size_t n,
		bool show_pfn);

/*
 * /proc/net/unix into @buf of @size (kernel/net/unix_proc.c): its length,
 * truncated at @size.
 */
ssize_t unix_proc_show(char *buf, size_t size);

/*
 * /proc/devices (kernel/vfs/chrdev.c): the character majors and their
 * names, then the block devices' header (there are none), into @buf of
 * @size: its length, truncated at @size.
 */
ssize_t devices_proc_show(char *buf, size_t size);

/*
 * /proc/driver/rtc (kernel/rtc/rtc_proc.c) into @buf of @size: its
 * length, truncated at @size.
 */
ssize_t rtc_proc_show(char *buf, size_t size);

/*
 * The CLOCK_BOOTTIME offset of the caller's time namespace in ns, for
 * /proc/uptime and /proc/PID/stat's start time (kernel/time/time_ns.c).
 */
int64_t timens_boottime_offset_ns(void);
/*
 * /proc/@t/timens_offsets: the offsets of @t's children's time namespace
 * in Linux's format into @buf of @size (its length, or -ESRCH once @t
 * has exited); and a write of up to two "<clock> <sec> <nsec>" lines
 * (kernel/time/time_ns.c): 0, -EINVAL, -EPERM (no CAP_SYS_TIME),
 * -ERANGE, or -EACCES once a task has entered that namespace.
 */
ssize_t timens_offsets_show(struct task *t, char *buf, size_t size);
int timens_offsets_write(struct task *t, const char *buf, size_t len);
/*
 * /proc/sysvipc/@name ("shm", "sem" or "msg") into @buf of @size
 * (kernel/ipc/ipc_proc.c): its length, truncated at @size, or -ENOENT.
 */
ssize_t sysvipc_proc_show(const char *name, char *buf, size_t size);

/*
 * /proc/keys or /proc/key-users (@name "keys" or "key-users") as the
 * caller may see them (kernel/keys/key_proc.c) into @buf of @size: its
 * length, truncated at @size, or -ENOENT.
 */
ssize_t keys_proc_show(const char *name, char *buf, size_t size);

/*
 * The text of /proc/net/@name from the network service
 * (kernel/net/netsvc_family.c): its length (truncated at @size), or -ENOENT (also without a
 * network service).
 */
ssize_t net_proc_show(const char *name, char *buf, size_t size);

/*
 * The kernel's tunables under /proc/sys (kernel/system/sysctl.c), by
 * index from 0 in path order: sysctl_name gives the path below /proc/sys
 * ("kernel/hostname") and its mode, NULL past the last; sysctl_read puts
 * the value's text (with its newline) in @buf of @size, returning its
 * length or -EFBIG; sysctl_write takes @len bytes of new text: 0, -EINVAL,
 * or -EACCES for a read-only one. Process context.
 */
const char *sysctl_name(unsigned i, mode_t *mode);
int sysctl_read(unsigned i, char *buf, size_t size);
int sysctl_write(unsigned i, const char *buf, size_t len);

/* The page cache's figures (kernel/mm/page_reclaim.c), in pages. */
struct page_cache_stats {
	size_t pages;		/* cached: Cached, nr_file_pages */
	size_t dirty;		/* stored through a mapping, not written */
	uint64_t scanned;	/* pages reclaim looked at since boot */
	uint64_t reclaimed;	/* pages it dropped */
	uint64_t drops;		/* drop_caches writes that dropped pages */
	uint64_t written;	/* dirty pages reclaim wrote back */
};
void page_cache_stats(struct page_cache_stats *out);
