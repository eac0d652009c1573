/*
 * Credentials as Linux keeps them: real, effective, saved and filesystem
 * user and group ids, the supplementary groups, the five capability sets
 * and the securebits (kernel/cred/). Each task has its own copy; a fork
 * or clone copies it (threads too: POSIX's process-wide ids are glibc's
 * business, which broadcasts every set*id call to all threads). The group
 * list is shared, reference counted and never changed in place.
 *
 * Every profile enforces credentials: they are not a safety-dial choice.
 */
#pragma once
#include <aramid/types.h>
#include <uapi/capability.h>

/* A set of capabilities: bit N is capability N. */
typedef uint64_t kernel_cap_t;

#define CAP_LAST_CAP		40	/* CAP_CHECKPOINT_RESTORE in 6.1 */
#define CAP_FULL_SET		((kernel_cap_t)((1ULL << (CAP_LAST_CAP + 1)) - 1))
#define CAP_BIT(cap)		((kernel_cap_t)1 << (cap))
#define cap_in_range(cap)		((unsigned long)(cap) <= CAP_LAST_CAP)
#define cap_raised(set, cap)	(((set) & CAP_BIT(cap)) != 0)
#define cap_issubset(a, b)	(((a) & ~(b)) == 0)

/* The capabilities that follow the filesystem uid (Linux's CAP_FS_SET). */
#define CAP_FS_SET	(CAP_BIT(CAP_CHOWN) | CAP_BIT(CAP_DAC_OVERRIDE) | \
			 CAP_BIT(CAP_DAC_READ_SEARCH) | CAP_BIT(CAP_FOWNER) | \
			 CAP_BIT(CAP_FSETID) | CAP_BIT(CAP_LINUX_IMMUTABLE) | \
			 CAP_BIT(CAP_MKNOD) | CAP_BIT(CAP_MAC_OVERRIDE))

/* securebits (<linux/securebits.h>): each bit has a lock bit above it. */
#define SECURE_NOROOT			0
#define SECURE_NO_SETUID_FIXUP		2
#define SECURE_KEEP_CAPS		4
#define SECURE_NO_CAP_AMBIENT_RAISE	6
#define SECBIT(b)			(1U << (b))
#define SECURE_ALL_BITS		(SECBIT(SECURE_NOROOT) | \
				 SECBIT(SECURE_NO_SETUID_FIXUP) | \
				 SECBIT(SECURE_KEEP_CAPS) | \
				 SECBIT(SECURE_NO_CAP_AMBIENT_RAISE))
#define SECURE_ALL_LOCKS	(SECURE_ALL_BITS << 1)

#define NGROUPS_MAX		65536

/* A sorted, immutable list of supplementary groups, shared by count. */
struct group_info {
	unsigned refs;
	unsigned ngroups;
	gid_t gid[];
};

struct cred {
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	struct group_info *groups;	/* NULL: none */
	kernel_cap_t cap_inheritable, cap_permitted, cap_effective;
	kernel_cap_t cap_bset, cap_ambient;
	unsigned securebits;
	struct user_ns *user_ns;	/* a reference: the ids' and the
					 * capabilities' namespace (user_ns.h) */
};

struct task;

/* Root with every capability: init's and the kernel threads' identity. */
void cred_init_root(struct cred *c);
/*
 * @dst becomes a copy of @src, sharing its group list and user namespace.
 * Cannot fail.
 */
void cred_copy(struct cred *dst, const struct cred *src);
/* Drop what @c holds (its references on the group list and namespace). */
void cred_release(struct cred *c);

/*
 * Whether @c has capability @cap in the initial user namespace (Linux's
 * has_capability for another task; capable() in <svc/task.h> is the
 * calling task's; cred_ns_capable in user_ns.h asks of any namespace).
 */
bool cred_capable(const struct cred *c, int cap);
/* Whether @gid is @c's filesystem gid or one of its groups. */
bool cred_in_group(const struct cred *c, gid_t gid);
/* Whether the calling task's fsgid or groups include @gid. */
bool in_group_p(gid_t gid);

/*
 * Replace the calling task's group list by @g (sorted here; one
 * reference is taken over). Process context.
 */
void cred_set_groups(struct group_info *g);
/* A list with room for @n groups, one reference; NULL without memory. */
struct group_info *groups_alloc(unsigned n);
void groups_put(struct group_info *g);

/*
 * What Linux's commit_creds does when the calling task's credentials
 * changed from @old: a new effective or filesystem id, or a permitted set
 * that grew (in a user namespace not below @old's owned by its euid), makes the process undumpable (its /proc files root's) and
 * forgets the parent-death signal.
 */
void cred_committed(const struct cred *old);

/*
 * Linux's capability fixups after a set*id call changed @new from @old
 * (cap_task_fix_setuid): losing every root id clears the permitted and
 * effective sets (unless SECURE_KEEP_CAPS) and the ambient set; the
 * effective set follows euid 0 out and in; a filesystem-uid change moves
 * the CAP_FS_SET capabilities. @fs selects the setfsuid rule.
 */
void cred_fix_setuid(struct cred *new, const struct cred *old, bool fs);

/* How an exec may raise privilege (cred_exec's @how). */
#define CRED_EXEC_NOSUID	1	/* a nosuid mount: set-id bits ignored */
#define CRED_EXEC_NNP		2	/* no_new_privs: nothing may be gained */
#define CRED_EXEC_PTRACE	4	/* traced by a tracer without
					 * CAP_SYS_PTRACE: nothing either */

/* What cred_exec reports of the new credentials. */
#define CRED_EXEC_SECURE	1	/* AT_SECURE: privilege was raised */
#define CRED_EXEC_SETID		2	/* set-id bits or capabilities applied:
					 * Linux's PER_CLEAR_ON_SETID */

/*
 * The credentials an exec gives @new (a copy of @old, the caller's): the
 * file's set-user and set-group-id bits (@mode, @uid, @gid) unless @how
 * forbids them, then Linux's capability rules for root and the bounding,
 * inheritable and ambient sets (cap_bprm_creds_from_file). Returns
 * CRED_EXEC_* flags. Cannot fail.
 */
unsigned cred_exec(struct cred *new, const struct cred *old, mode_t mode,
	       uid_t uid, gid_t gid, unsigned how);

/*
 * The credential options of prctl(2) (PR_CAPBSET_*, PR_*_SECUREBITS,
 * PR_*_KEEPCAPS, PR_CAP_AMBIENT, PR_*_NO_NEW_PRIVS) for the calling
 * task: their result, or -ENOSYS for any other option.
 */
long prctl_cred(int option, unsigned long a1, unsigned long a2,
		unsigned long a3, unsigned long a4);
