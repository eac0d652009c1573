/*
 * The identity system calls: get*id, set*id, setres*id, setfs*id, with
 * Linux's rules (kernel/sys.c) for which changes a process without
 * CAP_SETUID or CAP_SETGID may make and how the saved and filesystem ids
 * follow, and the capability fixups that go with a uid change. The user
 * and group calls share one implementation over a view of four ids.
 * Ids cross in the caller's user namespace: an id it has no mapping for
 * is EINVAL to set (kept unchanged by setfs*id) and reads as 65534; the
 * privilege is CAP_SETUID or CAP_SETGID in that namespace.
 */
#include <kernel/cred.h>
#include <kernel/task.h>
#include <kernel/user_ns.h>
#include <kernel/syscall.h>
#include <platform/usercopy.h>
#include <svc/task.h>

enum { R, E, S, FS };
#define ID_KEEP	((uint32_t)-1)	/* the "unchanged" argument */

/* The real, effective, saved and filesystem uids (or gids) of @c. */
struct ids {
	uint32_t v[4];
};

static struct ids ids_of(const struct cred *c, bool group)
{
	if (group)
		return (struct ids){ { c->gid, c->egid, c->sgid, c->fsgid } };
	return (struct ids){ { c->uid, c->euid, c->suid, c->fsuid } };
}

/* One of the three ids that the unprivileged may switch between. */
static bool ids_hold(const struct ids *o, uint32_t id)
{
	return id == o->v[R] || id == o->v[E] || id == o->v[S];
}

static bool may_set(bool group)
{
	return ns_capable(current_user_ns(), group ? CAP_SETGID : CAP_SETUID);
}

/* The kernel id of the caller's id @id (ID_KEEP stays), or INVALID_ID. */
static uint32_t kid_of(bool group, uint32_t id)
{
	if (id == ID_KEEP)
		return ID_KEEP;
	return group ? make_kgid(id) : make_kuid(id);
}

/* The caller's view of kernel id @kid: 65534 for one it cannot name. */
static uint32_t id_seen(bool group, uint32_t kid)
{
	return group ? from_kgid_munged(kid) : from_kuid_munged(kid);
}

/* @n ids from the caller into kernel ids: -EINVAL if one has no mapping. */
static int kids_of(bool group, uint32_t *id, int n)
{
	for (int i = 0; i < n; i++) {
		if (id[i] == ID_KEEP)
			continue;
		id[i] = kid_of(group, id[i]);
		if (id[i] == INVALID_ID)
			return -EINVAL;
	}
	return 0;
}

/*
 * Install @n as the calling task's uids or gids. A uid change also
 * applies Linux's capability fixups (@fs: the setfsuid one) and moves the
 * task's RLIMIT_NPROC count to a new real uid. 0, or -EAGAIN (nothing
 * changed) without memory for that user.
 */
static long ids_commit(bool group, const struct ids *n, bool fs)
{
	struct cred *c = &current->cred;
	struct cred old = *c;

	if (group) {
		c->gid = n->v[R];
		c->egid = n->v[E];
		c->sgid = n->v[S];
		c->fsgid = n->v[FS];
	} else {
		if (user_count_setuid(n->v[R]))
			return -EAGAIN;
		c->uid = n->v[R];
		c->euid = n->v[E];
		c->suid = n->v[S];
		c->fsuid = n->v[FS];
		cred_fix_setuid(c, &old, fs);
	}
	cred_committed(&old);
	return 0;
}

static long do_setid(bool group, uint32_t id)
{
	struct ids o = ids_of(&current->cred, group), n = o;

	if (id == ID_KEEP || kids_of(group, &id, 1))
		return -EINVAL;
	if (may_set(group))
		n.v[R] = n.v[S] = id;
	else if (id != o.v[R] && id != o.v[S])
		return -EPERM;
	n.v[E] = n.v[FS] = id;
	return ids_commit(group, &n, false);
}

static long do_setreid(bool group, uint32_t r, uint32_t e)
{
	struct ids o = ids_of(&current->cred, group), n = o;
	bool priv = may_set(group);
	uint32_t want[2] = { r, e };

	if (kids_of(group, want, 2))
		return -EINVAL;
	r = want[0];
	e = want[1];
	if (r != ID_KEEP) {
		if (r != o.v[R] && r != o.v[E] && !priv)
			return -EPERM;
		n.v[R] = r;
	}
	if (e != ID_KEEP) {
		if (!ids_hold(&o, e) && !priv)
			return -EPERM;
		n.v[E] = e;
	}
	if (r != ID_KEEP || (e != ID_KEEP && e != o.v[R]))
		n.v[S] = n.v[E];
	n.v[FS] = n.v[E];
	return ids_commit(group, &n, false);
}

static long do_setresid(bool group, uint32_t r, uint32_t e, uint32_t s)
{
	struct ids o = ids_of(&current->cred, group), n = o;
	uint32_t want[3] = { r, e, s };

	if (kids_of(group, want, 3))
		return -EINVAL;
	r = want[R];
	e = want[E];
	s = want[S];
	if ((r == ID_KEEP || r == o.v[R]) &&
	    (e == ID_KEEP || (e == o.v[E] && e == o.v[FS])) &&
	    (s == ID_KEEP || s == o.v[S]))
		return 0;
	for (int i = R; i <= S; i++)
		if (want[i] != ID_KEEP && !ids_hold(&o, want[i]) &&
		    !may_set(group))
			return -EPERM;
	for (int i = R; i <= S; i++)
		if (want[i] != ID_KEEP)
			n.v[i] = want[i];
	n.v[FS] = n.v[E];
	return ids_commit(group, &n, false);
}

/* Returns the old filesystem id whether or not it changed, as Linux. */
static long do_setfsid(bool group, uint32_t id)
{
	struct ids o = ids_of(&current->cred, group), n = o;
	uint32_t seen = id_seen(group, o.v[FS]);

	id = kid_of(group, id);
	if (id == ID_KEEP || id == INVALID_ID)
		return seen;
	if ((ids_hold(&o, id) || id == o.v[FS] || may_set(group)) &&
	    id != o.v[FS]) {
		n.v[FS] = id;
		ids_commit(group, &n, true);	/* the real uid stays */
	}
	return seen;
}

static long put_ids(bool group, long p0, long p1, long p2, const struct ids *i)
{
	uint32_t r = id_seen(group, i->v[R]), e = id_seen(group, i->v[E]),
		 s = id_seen(group, i->v[S]);

	if (put_user(r, UPTR(p0)) || put_user(e, UPTR(p1)) ||
	    put_user(s, UPTR(p2)))
		return -EFAULT;
	return 0;
}

SYSCALL(__NR_getuid, getuid)(SYSCALL_ARGS)
{
	return from_kuid_munged(current->cred.uid);
}

SYSCALL(__NR_geteuid, geteuid)(SYSCALL_ARGS)
{
	return from_kuid_munged(current->cred.euid);
}

SYSCALL(__NR_getgid, getgid)(SYSCALL_ARGS)
{
	return from_kgid_munged(current->cred.gid);
}

SYSCALL(__NR_getegid, getegid)(SYSCALL_ARGS)
{
	return from_kgid_munged(current->cred.egid);
}

SYSCALL(__NR_getresuid, getresuid)(SYSCALL_ARGS)
{
	struct ids i = ids_of(&current->cred, false);

	return put_ids(false, a0, a1, a2, &i);
}

SYSCALL(__NR_getresgid, getresgid)(SYSCALL_ARGS)
{
	struct ids i = ids_of(&current->cred, true);

	return put_ids(true, a0, a1, a2, &i);
}

SYSCALL(__NR_setuid, setuid)(SYSCALL_ARGS)
{
	return do_setid(false, (uint32_t)a0);
}

SYSCALL(__NR_setgid, setgid)(SYSCALL_ARGS)
{
	return do_setid(true, (uint32_t)a0);
}

SYSCALL(__NR_setreuid, setreuid)(SYSCALL_ARGS)
{
	return do_setreid(false, (uint32_t)a0, (uint32_t)a1);
}

SYSCALL(__NR_setregid, setregid)(SYSCALL_ARGS)
{
	return do_setreid(true, (uint32_t)a0, (uint32_t)a1);
}

SYSCALL(__NR_setresuid, setresuid)(SYSCALL_ARGS)
{
	return do_setresid(false, (uint32_t)a0, (uint32_t)a1, (uint32_t)a2);
}

SYSCALL(__NR_setresgid, setresgid)(SYSCALL_ARGS)
{
	return do_setresid(true, (uint32_t)a0, (uint32_t)a1, (uint32_t)a2);
}

SYSCALL(__NR_setfsuid, setfsuid)(SYSCALL_ARGS)
{
	return do_setfsid(false, (uint32_t)a0);
}

SYSCALL(__NR_setfsgid, setfsgid)(SYSCALL_ARGS)
{
	return do_setfsid(true, (uint32_t)a0);
}
