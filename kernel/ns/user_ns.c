/*
 * User namespaces (include/kernel/user_ns.h): the initial one, creation
 * for clone and unshare, id translation, Linux's capability rule across
 * namespaces (security/commoncap.c's cap_capable), and what setns(2) and
 * the nsfs ioctls do with them (kernel/user_namespace.c's userns_install
 * and ns_get_owner). The maps' text format and write rules are in
 * user_ns_map.c.
 */
#include <kernel/user_ns.h>
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/mnt_ns.h>
#include <kernel/vfs.h>
#include <platform/heap.h>
#include <aramid/compiler.h>
#include <uapi/capability.h>
#include <uapi/clone.h>
#include <uapi/errno.h>

static const struct ns_ops user_ns_ops;

/* The identity map of every 32-bit id but the invalid one. */
static struct id_extent init_extent = { 0, 0, 4294967295u };

struct user_ns init_user_ns = {
	.ns = { .refcount = 1, .inum = NS_INIT_USER_INO, .ops = &user_ns_ops },
	.map = {
		[ID_MAP_UID] = { 1, &init_extent },
		[ID_MAP_GID] = { 1, &init_extent },
		[ID_MAP_PROJID] = { 1, &init_extent },
	},
	.setgroups_allowed = true,
	.parent_could_setfcap = true,
};

static struct user_ns *to_user_ns(struct ns_common *ns)
{
	return container_of(ns, struct user_ns, ns);
}

/* See include/kernel/user_ns.h. */
struct user_ns *user_ns_get(struct user_ns *u)
{
	ns_get(&u->ns);
	return u;
}

/* See include/kernel/user_ns.h. */
void user_ns_put(struct user_ns *u)
{
	if (u)
		ns_put(&u->ns);
}

/* See include/kernel/user_ns.h. */
struct user_ns *current_user_ns(void)
{
	return current->cred.user_ns;
}

/* See include/kernel/user_ns.h. */
struct user_ns *ns_owner(const struct ns_common *ns)
{
	if (ns->ops == &user_ns_ops)
		return ns->owner;
	return ns->owner ? ns->owner : &init_user_ns;
}

/* See include/kernel/user_ns.h. */
void ns_set_owner(struct ns_common *ns, struct user_ns *owner)
{
	struct user_ns *old = ns->owner;

	ns->owner = user_ns_get(owner);
	user_ns_put(old);
}

/* The extent of @m holding @id (a lower id when @down), or NULL. */
static const struct id_extent *map_find(const struct id_map *m, uint32_t id,
					bool down)
{
	for (unsigned i = 0; i < m->nr; i++) {
		const struct id_extent *e = &m->extent[i];
		uint32_t base = down ? e->first : e->lower_first;

		if (id >= base && id - base < e->count)
			return e;
	}
	return NULL;
}

/* See include/kernel/user_ns.h. */
uint32_t ns_make_kid(const struct user_ns *ns, enum id_map_kind k, uint32_t id)
{
	const struct id_extent *e = map_find(&ns->map[k], id, true);

	return e ? e->lower_first + (id - e->first) : INVALID_ID;
}

/* See include/kernel/user_ns.h. */
uint32_t ns_from_kid(const struct user_ns *ns, enum id_map_kind k, uint32_t kid)
{
	const struct id_extent *e = map_find(&ns->map[k], kid, false);

	return e ? e->first + (kid - e->lower_first) : INVALID_ID;
}

/* See include/kernel/user_ns.h. */
uint32_t ns_from_kid_munged(const struct user_ns *ns, enum id_map_kind k,
			    uint32_t kid)
{
	uint32_t id = ns_from_kid(ns, k, kid);

	return id == INVALID_ID ? OVERFLOW_ID : id;
}

/* See include/kernel/user_ns.h. */
uid_t make_kuid(uid_t uid)
{
	return ns_make_kid(current_user_ns(), ID_MAP_UID, uid);
}

/* See include/kernel/user_ns.h. */
gid_t make_kgid(gid_t gid)
{
	return ns_make_kid(current_user_ns(), ID_MAP_GID, gid);
}

/* See include/kernel/user_ns.h. */
uid_t from_kuid_munged(uid_t kuid)
{
	return ns_from_kid_munged(current_user_ns(), ID_MAP_UID, kuid);
}

/* See include/kernel/user_ns.h. */
gid_t from_kgid_munged(gid_t kgid)
{
	return ns_from_kid_munged(current_user_ns(), ID_MAP_GID, kgid);
}

/* See include/kernel/user_ns.h. */
bool cred_ns_capable(const struct cred *c, const struct user_ns *ns, int cap)
{
	for (;;) {
		if (ns == c->user_ns)
			return cap_in_range(cap) &&
			       cap_raised(c->cap_effective, cap);
		if (ns->level <= c->user_ns->level)
			return false;
		if (ns->parent == c->user_ns && ns->owner == c->euid)
			return true;
		ns = ns->parent;
	}
}

/* See include/kernel/user_ns.h. */
bool ns_capable(const struct user_ns *ns, int cap)
{
	return cred_ns_capable(&current->cred, ns, cap);
}

/* See include/kernel/user_ns.h. */
bool current_in_userns(const struct user_ns *ns)
{
	const struct user_ns *me = current_user_ns();

	for (; ns; ns = ns->parent)
		if (ns == me)
			return true;
	return false;
}

/*
 * Linux's set_cred_user_ns: every capability in @ns (whose reference @c
 * takes over; the caller drops the one to its old namespace), none
 * inherited.
 */
static void cred_enter_user_ns(struct cred *c, struct user_ns *ns)
{
	c->securebits = 0;
	c->cap_inheritable = 0;
	c->cap_permitted = CAP_FULL_SET;
	c->cap_effective = CAP_FULL_SET;
	c->cap_ambient = 0;
	c->cap_bset = CAP_FULL_SET;
	c->user_ns = ns;
}

/* See include/kernel/user_ns.h. */
int user_ns_create(struct cred *new)
{
	struct user_ns *parent = new->user_ns, *ns;

	if (parent->level >= USERNS_MAX_LEVEL + 1)
		return -ENOSPC;
	if (current_chrooted())
		return -EPERM;
	if (ns_from_kid(parent, ID_MAP_UID, new->euid) == INVALID_ID ||
	    ns_from_kid(parent, ID_MAP_GID, new->egid) == INVALID_ID)
		return -EPERM;
	ns = kzalloc(sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns_init(&ns->ns, &user_ns_ops);
	ns_set_owner(&ns->ns, parent);		/* its parent holds it */
	ns->parent = parent;
	ns->level = parent->level + 1;
	ns->owner = new->euid;
	ns->group = new->egid;
	ns->setgroups_allowed = parent->setgroups_allowed;
	ns->parent_could_setfcap = cap_raised(new->cap_effective, CAP_SETFCAP);
	cred_enter_user_ns(new, ns);
	user_ns_put(parent);		/* the credentials' reference */
	return 0;
}

/* ns_ops.free: the maps go; the parent's reference goes in ns_put. */
static void user_ns_free(struct ns_common *ns)
{
	struct user_ns *u = to_user_ns(ns);

	for (int k = 0; k < 3; k++)
		kfree(u->map[k].extent);
	kfree(u);
}

/*
 * Linux's userns_install: not the caller's own namespace, a
 * single-threaded caller sharing no fs context (EINVAL), and
 * CAP_SYS_ADMIN in the namespace entered (EPERM).
 */
static int user_ns_may_install(struct ns_common *ns)
{
	struct user_ns *u = to_user_ns(ns);

	if (u == current_user_ns())
		return -EINVAL;
	if (task_other_threads(current) || current->fs->refcount > 1)
		return -EINVAL;
	return ns_capable(u, CAP_SYS_ADMIN) ? 0 : -EPERM;
}

static void user_ns_install(struct ns_common *ns)
{
	struct cred old = current->cred;

	cred_enter_user_ns(&current->cred, user_ns_get(to_user_ns(ns)));
	cred_committed(&old);
	user_ns_put(old.user_ns);
}

/*
 * NS_GET_PARENT of a user namespace is Linux's ns_get_owner: its parent,
 * if that is the caller's namespace or below it (else EPERM).
 */
static struct ns_common *user_ns_get_parent(struct ns_common *ns)
{
	struct user_ns *p = to_user_ns(ns)->parent;

	if (!p || !current_in_userns(p))
		return ERR_PTR(-EPERM);
	return &p->ns;
}

static const struct ns_ops user_ns_ops = {
	.name = "user",
	.type = CLONE_NEWUSER,
	.free = user_ns_free,
	.may_install = user_ns_may_install,
	.install = user_ns_install,
	.get_parent = user_ns_get_parent,
};
