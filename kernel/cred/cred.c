/*
 * A task's credentials: their life across fork and exit, the shared
 * group lists, and the capability rules Linux applies when ids change
 * (security/commoncap.c's cap_task_fix_setuid and
 * cap_bprm_creds_from_file). No locks: a task's credentials change only
 * in its own system calls, and readers are on the one CPU.
 */
#include <kernel/cred.h>
#include <kernel/user_ns.h>
#include <kernel/task.h>
#include <kernel/mm.h>
#include <platform/heap.h>
#include <uapi/stat.h>

void cred_init_root(struct cred *c)
{
	*c = (struct cred){
		.cap_permitted = CAP_FULL_SET,
		.cap_effective = CAP_FULL_SET,
		.cap_bset = CAP_FULL_SET,
		.user_ns = user_ns_get(&init_user_ns),
	};
}

void cred_copy(struct cred *dst, const struct cred *src)
{
	*dst = *src;
	if (dst->groups)
		dst->groups->refs++;
	user_ns_get(dst->user_ns);
}

void cred_release(struct cred *c)
{
	groups_put(c->groups);
	c->groups = NULL;
	user_ns_put(c->user_ns);
	c->user_ns = NULL;
}

struct group_info *groups_alloc(unsigned n)
{
	struct group_info *g = kmalloc(sizeof(*g) + n * sizeof(gid_t));

	if (!g)
		return NULL;
	g->refs = 1;
	g->ngroups = n;
	return g;
}

void groups_put(struct group_info *g)
{
	if (g && --g->refs == 0)
		kfree(g);
}

/* Shell sort, as Linux's groups_sort: the lists are short. */
static void groups_sort(struct group_info *g)
{
	for (unsigned gap = g->ngroups / 2; gap; gap /= 2)
		for (unsigned i = gap; i < g->ngroups; i++)
			for (unsigned j = i; j >= gap &&
			     g->gid[j - gap] > g->gid[j]; j -= gap) {
				gid_t t = g->gid[j];

				g->gid[j] = g->gid[j - gap];
				g->gid[j - gap] = t;
			}
}

void cred_set_groups(struct group_info *g)
{
	struct cred *c = &current->cred;

	if (g)
		groups_sort(g);
	groups_put(c->groups);
	c->groups = g;
}

static bool groups_search(const struct group_info *g, gid_t gid)
{
	unsigned lo = 0, hi = g ? g->ngroups : 0;

	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (g->gid[mid] == gid)
			return true;
		if (g->gid[mid] < gid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

bool cred_in_group(const struct cred *c, gid_t gid)
{
	return c->fsgid == gid || groups_search(c->groups, gid);
}

bool in_group_p(gid_t gid)
{
	return cred_in_group(&current->cred, gid);
}

bool cred_capable(const struct cred *c, int cap)
{
	return cred_ns_capable(c, &init_user_ns, cap);
}

/*
 * Linux's cred_cap_issubset: whether @new's permitted set is within
 * @old's: within the same namespace as sets, else only when @new's is
 * below @old's through a namespace @old's euid owns.
 */
static bool cred_cap_within(const struct cred *old, const struct cred *new)
{
	const struct user_ns *ns = new->user_ns;

	if (old->user_ns == ns)
		return cap_issubset(new->cap_permitted, old->cap_permitted);
	for (; ns != &init_user_ns; ns = ns->parent)
		if (ns->parent == old->user_ns && ns->owner == old->euid)
			return true;
	return false;
}

void cred_committed(const struct cred *old)
{
	const struct cred *new = &current->cred;

	if (old->euid == new->euid && old->egid == new->egid &&
	    old->fsuid == new->fsuid && old->fsgid == new->fsgid &&
	    cred_cap_within(old, new))
		return;
	if (current->mm)
		current->mm->dumpable = false;
	current->pdeath_signal = 0;
}

static bool any_root(uid_t root, uid_t a, uid_t b, uid_t c)
{
	return a == root || b == root || c == root;
}

/* The kernel uid of @c's namespace's root (INVALID_ID if unmapped). */
static uid_t root_kuid(const struct cred *c)
{
	return ns_make_kid(c->user_ns, ID_MAP_UID, 0);
}

void cred_fix_setuid(struct cred *new, const struct cred *old, bool fs)
{
	uid_t root = root_kuid(old);

	if (old->securebits & SECBIT(SECURE_NO_SETUID_FIXUP))
		return;
	if (fs) {
		if (old->fsuid == root && new->fsuid != root)
			new->cap_effective &= ~CAP_FS_SET;
		if (old->fsuid != root && new->fsuid == root)
			new->cap_effective |= new->cap_permitted & CAP_FS_SET;
		return;
	}
	if (any_root(root, old->uid, old->euid, old->suid) &&
	    !any_root(root, new->uid, new->euid, new->suid)) {
		if (!(old->securebits & SECBIT(SECURE_KEEP_CAPS))) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		new->cap_ambient = 0;
	}
	if (old->euid == root && new->euid != root)
		new->cap_effective = 0;
	if (old->euid != root && new->euid == root)
		new->cap_effective = new->cap_permitted;
}

unsigned cred_exec(struct cred *new, const struct cred *old, mode_t mode,
		   uid_t uid, gid_t gid, unsigned how)
{
	bool effective = false, is_setid, gained, secure;
	uid_t root = root_kuid(new);
	unsigned ret = 0;

	new->securebits &= ~SECBIT(SECURE_KEEP_CAPS);
	/* Linux's bprm_fill_uid: ids the namespace cannot name are not taken. */
	if (ns_from_kid(new->user_ns, ID_MAP_UID, uid) == INVALID_ID ||
	    ns_from_kid(new->user_ns, ID_MAP_GID, gid) == INVALID_ID)
		how |= CRED_EXEC_NOSUID;
	if (!how && (mode & S_ISUID)) {
		new->euid = uid;
		ret |= CRED_EXEC_SETID;
	}
	if (!how && (mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
		new->egid = gid;
		ret |= CRED_EXEC_SETID;
	}
	/* Root, real or effective, gets the bounded and inherited sets. */
	new->cap_permitted = 0;
	if (!(new->securebits & SECBIT(SECURE_NOROOT))) {
		if (new->euid == root || new->uid == root)
			new->cap_permitted = old->cap_bset |
					     old->cap_inheritable;
		effective = new->euid == root;
	}
	is_setid = new->euid != old->uid || new->egid != old->gid;
	gained = !cap_issubset(new->cap_permitted, old->cap_permitted);
	if (gained)
		ret |= CRED_EXEC_SETID;
	/* Under no_new_privs or a tracer that may not, a gain is taken back. */
	if ((is_setid || gained) && (how & (CRED_EXEC_NNP | CRED_EXEC_PTRACE))) {
		if (!cred_capable(old, CAP_SETUID)) {
			new->euid = new->uid;
			new->egid = new->gid;
		}
		new->cap_permitted &= old->cap_permitted;
	}
	new->suid = new->fsuid = new->euid;
	new->sgid = new->fsgid = new->egid;
	if (is_setid)
		new->cap_ambient = 0;
	new->cap_permitted |= new->cap_ambient;
	new->cap_effective = effective ? new->cap_permitted : new->cap_ambient;
	secure = is_setid || (new->uid != root &&
			      (effective || !cap_issubset(new->cap_permitted,
							  new->cap_ambient)));
	return ret | (secure ? CRED_EXEC_SECURE : 0);
}
