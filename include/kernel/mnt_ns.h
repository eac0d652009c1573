/*
 * Mount namespaces (kernel/vfs/mnt_ns.c): each its own copy of the mount
 * tree. A mount belongs to one namespace; mounts made or removed in one
 * are not seen in another, there being no propagation (every mount is
 * private). A task points at its namespace (task->mnt_ns, a reference);
 * fork shares it, clone and unshare with CLONE_NEWNS give the new task a
 * copy of its tree, setns(2) moves a task into another, its root and
 * working directory becoming that namespace's root. When the last
 * reference goes, its mounts are detached, as a lazy unmount: open files
 * keep theirs. One CPU, no kernel preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

struct fs_context;

struct mnt_ns {
	struct ns_common ns;
};

/* The namespace the kernel starts in; its tree's root is the rootfs. */
extern struct mnt_ns init_mnt_ns;

/* Take a reference to @m and return it. */
struct mnt_ns *mnt_ns_get(struct mnt_ns *m);
/* Drop a reference to @m (NULL is ignored); the last detaches its mounts. */
void mnt_ns_put(struct mnt_ns *m);
/*
 * A new namespace with a copy of every mount of @m (Linux's copy_mnt_ns),
 * one reference for the caller, and @fs (a context no other task shares
 * yet) moved onto the copies: its root and working directory. NULL when
 * memory is short, with @fs untouched. Process context.
 */
struct mnt_ns *mnt_ns_copy(struct mnt_ns *m, struct fs_context *fs);

/*
 * Linux's current_chrooted: whether the caller's root is not the root of
 * its mount namespace (the topmost mount on the namespace's root).
 */
bool current_chrooted(void);
