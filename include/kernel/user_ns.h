/*
 * User namespaces (kernel/ns/user_ns.c), as Linux's: a namespace of user
 * and group ids, nested below its parent (32 levels below the initial
 * one at most), owned by the effective uid and gid of the task that made
 * it, with maps from its ids to its parent's (uid_map, gid_map,
 * projid_map; empty until written once). Credentials keep kernel ids,
 * the initial namespace's (cred.h); every system call that takes or
 * gives an id translates it with the caller's namespace: make_kuid in,
 * from_kuid_munged out (an id without a mapping reads as the overflow
 * id, 65534). A task's credentials name their namespace (cred->user_ns),
 * in which it may hold capabilities, and every other namespace records
 * the user namespace that owns it (ns_common.owner). One CPU, no kernel
 * preemption: no locks.
 */
#pragma once
#include <kernel/ns.h>

struct cred;

/* What one write of a map takes: fewer bytes (Linux's PAGE_SIZE). */
#define USERNS_MAP_WRITE_MAX	4096
/* Linux's UID_GID_MAP_MAX_EXTENTS: the lines a map may have. */
#define USERNS_MAP_MAX		340
/* Linux's nesting limit: a parent at a level above it has no child. */
#define USERNS_MAX_LEVEL	32
/* The initial user namespace's number (Linux's PROC_USER_INIT_INO). */
#define NS_INIT_USER_INO	0xEFFFFFFDU
/* The id that stands for none (Linux's INVALID_UID). */
#define INVALID_ID		((uint32_t)-1)
/* Linux's DEFAULT_OVERFLOWUID/GID: what an unmapped id reads as. */
#define OVERFLOW_ID		65534u

/* One line of a map: @count ids from @first, to @lower_first up. */
struct id_extent {
	uint32_t first, lower_first, count;
};

/* A map: its lines, @lower_first in kernel ids once written. */
struct id_map {
	unsigned nr;
	struct id_extent *extent;	/* NULL while empty (nr 0) */
};

enum id_map_kind { ID_MAP_UID, ID_MAP_GID, ID_MAP_PROJID };

struct user_ns {
	struct ns_common ns;
	struct user_ns *parent;		/* a reference; NULL for the initial */
	unsigned level;			/* 0 for the initial one */
	uint32_t owner, group;		/* the creator's euid, egid (kernel) */
	struct id_map map[3];		/* by enum id_map_kind */
	bool setgroups_allowed;		/* /proc/PID/setgroups: "allow" */
	bool parent_could_setfcap;	/* the creator had CAP_SETFCAP */
};

extern struct user_ns init_user_ns;

/* Take a reference to @u and return it; drop one (NULL ignored). */
struct user_ns *user_ns_get(struct user_ns *u);
void user_ns_put(struct user_ns *u);

/* The calling task's user namespace (its credentials'). */
struct user_ns *current_user_ns(void);

/*
 * The user namespace that owns @ns (Linux's ns->ops->owner): the one the
 * creating task's credentials were in; for a user namespace its parent
 * (NULL for the initial one).
 */
struct user_ns *ns_owner(const struct ns_common *ns);
/*
 * Make @owner (a new reference is taken) own @ns, just created by clone
 * or unshare for a task whose credentials are in @owner.
 */
void ns_set_owner(struct ns_common *ns, struct user_ns *owner);

/*
 * Id translation, as Linux's make_kuid/from_kuid: the kernel id that id
 * @id of @ns stands for, or INVALID_ID without a mapping; the id of @ns
 * that kernel id @kid is, or INVALID_ID; the _munged form gives
 * OVERFLOW_ID instead of INVALID_ID, for ids told to a program.
 */
uint32_t ns_make_kid(const struct user_ns *ns, enum id_map_kind k, uint32_t id);
uint32_t ns_from_kid(const struct user_ns *ns, enum id_map_kind k, uint32_t kid);
uint32_t ns_from_kid_munged(const struct user_ns *ns, enum id_map_kind k,
			    uint32_t kid);

/* The caller's namespace's forms of the above (Linux's current_user_ns). */
uid_t make_kuid(uid_t uid);
gid_t make_kgid(gid_t gid);
uid_t from_kuid_munged(uid_t kuid);
gid_t from_kgid_munged(gid_t kgid);

/*
 * Linux's cap_capable: whether credentials @c have capability @cap in
 * @ns: in their own namespace their effective set decides; in one below
 * it, they have every capability if their euid owns it or an ancestor
 * of it whose parent is their namespace; none in any other.
 */
bool cred_ns_capable(const struct cred *c, const struct user_ns *ns, int cap);
/* Whether the calling task has @cap in @ns (Linux's ns_capable). */
bool ns_capable(const struct user_ns *ns, int cap);
/* Whether @ns is the caller's namespace or below it (current_in_userns). */
bool current_in_userns(const struct user_ns *ns);

/*
 * Linux's create_user_ns, for clone and unshare: a new namespace below
 * @new's, owned by its euid and egid, into which @new moves with every
 * capability (set_cred_user_ns). 0, or -ENOSPC (past the nesting limit),
 * -EPERM (the caller is chrooted, or its euid
 * or egid has no mapping in its namespace), -ENOMEM; @new is unchanged
 * on failure.
 */
int user_ns_create(struct cred *new);

/*
 * Line @i of map @k of @ns as /proc/PID/uid_map shows it to a reader in
 * @reader (Linux's uid_m_show) into @out: the lower id told in
 * @reader's namespace, or in its parent's when @reader is @ns
 * (INVALID_ID if it cannot name it). False past the last line.
 */
bool user_ns_map_line(const struct user_ns *ns, enum id_map_kind k,
		      const struct user_ns *reader, unsigned i,
		      struct id_extent *out);
/*
 * Linux's map_write: install map @k of @ns from @text (a NUL-terminated
 * copy the call may change), written by the calling task. 0, -EPERM
 * (already written, not permitted), -EINVAL (a malformed or overlapping
 * map), -ENOMEM.
 */
int user_ns_map_write(struct user_ns *ns, enum id_map_kind k, char *text);
/*
 * Linux's proc_setgroups_write: "allow" or "deny" (and spaces) into @ns
 * by the calling task. 0, -EINVAL, -EPERM.
 */
int user_ns_setgroups_write(struct user_ns *ns, const char *text, size_t len);
/* Linux's userns_may_setgroups: a gid map written, and not "deny". */
bool user_ns_may_setgroups(const struct user_ns *ns);
