/*
 * Namespaces (kernel/ns/), Linux's ns_common and nsfs: what every kind
 * of namespace shares. A namespace is refcounted (by its tasks and by
 * its nsfs inode, which open /proc/PID/ns files hold) and numbered as
 * Linux numbers it, the number being its nsfs inode's and the one
 * /proc/PID/ns/<name> shows ("uts:[4026531838]"). The kinds there are:
 * UTS (uts_ns.h), IPC (ipc_ns.h), mount (mnt_ns.h), PID (pid_ns.h) and
 * user (user_ns.h). One CPU, no kernel preemption: no locks.
 */
#pragma once
#include <aramid/types.h>

struct ns_common;
struct task;
struct inode;
struct file;
struct user_ns;

/* What one kind of namespace does (a const table per kind). */
struct ns_ops {
	const char *name;	/* "uts": the /proc/PID/ns entry's name */
	unsigned type;		/* its CLONE_NEW* flag (NS_GET_NSTYPE) */
	/* The last reference went: free the namespace. */
	void (*free)(struct ns_common *ns);
	/*
	 * setns(2), as Linux's ops->install in two steps: may current
	 * enter @ns (0, -EPERM without the privilege, -EINVAL)? Then make
	 * @ns current's, which cannot fail.
	 */
	int (*may_install)(struct ns_common *ns);
	void (*install)(struct ns_common *ns);
	/*
	 * NS_GET_PARENT: the namespace above @ns (no reference; it lives
	 * while @ns does) or an ERR_PTR (-EPERM: none the caller sees).
	 * NULL for kinds that do not nest (EINVAL).
	 */
	struct ns_common *(*get_parent)(struct ns_common *ns);
};

struct ns_common {
	int refcount;
	unsigned inum;			/* its nsfs inode number */
	const struct ns_ops *ops;
	struct inode *inode;		/* its nsfs inode while one lives */
	struct user_ns *owner;		/* a reference; NULL: the initial one */
};

/*
 * The initial namespaces' numbers: UTS's is fixed (Linux's proc_ns.h);
 * the mount namespace's is the one Linux's boot gives it, the second
 * dynamic number (the initial network namespace, not here, takes the
 * first).
 */
#define NS_INIT_UTS_INO		0xEFFFFFFEU
#define NS_INIT_MNT_INO		0xF0000001U

/*
 * Set up a new namespace @ns of kind @ops with one reference and a
 * fresh number (Linux's ns_alloc_inum: dynamic numbers, from 0xF0000000
 * up; here past the initial namespaces').
 */
void ns_init(struct ns_common *ns, const struct ns_ops *ops);

/* Take a reference to @ns; drop one (the last frees it; NULL ignored). */
void ns_get(struct ns_common *ns);
void ns_put(struct ns_common *ns);

/*
 * "<name>:[<inum>]" of @ns into @buf of @len bytes, without a NUL, cut
 * at @len as readlink cuts: the length written.
 */
size_t ns_link_text(const struct ns_common *ns, char *buf, size_t len);

/*
 * The namespace of kind @type (a CLONE_NEW* flag) task @t is in, or NULL
 * if @t has none (it has exited) or the kind is not there. For
 * CLONE_NEWPID it is the namespace of @t's pid (a zombie's too).
 */
struct ns_common *task_ns(const struct task *t, unsigned type);

/*
 * The PID namespace @t's children are forked into (/proc/PID/ns/
 * pid_for_children), or NULL once @t has exited and, as on Linux, while
 * no process has been forked into it yet (after unshare).
 */
struct ns_common *task_pid_ns_children(const struct task *t);

/*
 * The time namespace @t's children are forked into (/proc/PID/ns/
 * time_for_children), or NULL once @t has exited (kernel/time/time_ns.c).
 */
struct ns_common *task_time_ns_children(const struct task *t);

/*
 * The nsfs inode of @ns, with a reference for the caller (kernel/ns/
 * nsfs.c); made on first use, it holds a reference to @ns until its
 * last one goes. NULL when memory is short.
 */
struct inode *ns_inode_get(struct ns_common *ns);

/* The namespace @inode is the nsfs inode of, or NULL for any other. */
struct ns_common *ns_of_inode(const struct inode *inode);
