/*
 * A task's credentials: their life across fork and exit, the shared
 * group lists, and the capability rules Linux applies when ids change
 * (security/commoncap.c's cap_task_fix_setuid and
 * cap_bprm_creds_from_file). No locks: a task's credentials change only
 * in its own system calls, and readers are on the one CPU.
 */
#include <kernel/cred.h>
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
	};
}

void cred_copy(struct cred *dst, const struct cred *src)
{
	*dst = *src;
	if (dst->groups)
		dst->groups->refs++;
}

void cred_release(struct cred *c)
{
	groups_put(c->groups);
	c->groups = NULL;
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
	return cap_in_range(cap) && cap_raised(c->cap_effective, cap);
}

void cred_committed(const struct cred *old)
{
	const struct cred *new = &current->cred;

	if (old->euid == new->euid && old->egid == new->egid &&
	    old->fsuid == new->fsuid && old->fsgid == new->fsgid &&
	    cap_issubset(new->cap_permitted, old->cap_permitted))
		return;
	if (current->mm)
		current->mm->dumpable = false;
	current->pdeath_signal = 0;
}

static bool any_root(uid_t a, uid_t b, uid_t c)
{
	return a == 0 || b == 0 || c == 0;
}

void cred_fix_setuid(struct cred *new, const struct cred *old, bool fs)
{
	if (old->securebits & SECBIT(SECURE_NO_SETUID_FIXUP))
		return;
	if (fs) {
		if (old->fsuid == 0 && new->fsuid != 0)
			new->cap_effective &= ~CAP_FS_SET;
		if (old->fsuid != 0 && new->fsuid == 0)
			new->cap_effective |= new->cap_permitted & CAP_FS_SET;
		return;
	}
	if (any_root(old->uid, old->euid, old->suid) &&
	    !any_root(new->uid, new->euid, new->suid)) {
		if (!(old->securebits & SECBIT(SECURE_KEEP_CAPS))) {
			new->cap_permitted = 0;
			new->cap_effective = 0;
		}
		new->cap_ambient = 0;
	}
	if (old->euid == 0 && new->euid != 0)
		new->cap_effective = 0;
	if (old->euid != 0 && new->euid == 0)
		new->cap_effective = new->cap_permitted;
}

unsigned cred_exec(struct cred *new, const struct cred *old, mode_t mode,
		   uid_t uid, gid_t gid, unsigned how)
{
	bool effective = false, is_setid, gained, secure;
	unsigned ret = 0;

	new->securebits &= ~SECBIT(SECURE_KEEP_CAPS);
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
		if (new->euid == 0 || new->uid == 0)
			new->cap_permitted = old->cap_bset |
					     old->cap_inheritable;
		effective = new->euid == 0;
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
	secure = is_setid || (new->uid != 0 &&
			      (effective || !cap_issubset(new->cap_permitted,
							  new->cap_ambient)));
	return ret | (secure ? CRED_EXEC_SECURE : 0);
}
