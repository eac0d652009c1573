/*
 * The maps of a user namespace as /proc/PID/uid_map, gid_map, projid_map
 * and setgroups show and take them (include/kernel/user_ns.h), with
 * Linux's rules (kernel/user_namespace.c's map_write and
 * new_idmap_permitted): each map is written once, whole, in lines of
 * "first lower-first count" that neither overlap nor wrap, at most 340;
 * by a writer with CAP_SYS_ADMIN over the namespace and, for any map but
 * a single line mapping the writer's own euid (or egid, once setgroups
 * is "deny"), CAP_SETUID/CAP_SETGID in the parent; the lower ids must be
 * mapped in the parent. Mapping the parent's root needs CAP_SETFCAP
 * (verify_root_map).
 */
#include <kernel/user_ns.h>
#include <kernel/cred.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/errno.h>

/* See include/kernel/user_ns.h. */
bool user_ns_map_line(const struct user_ns *ns, enum id_map_kind k,
		      const struct user_ns *reader, unsigned i,
		      struct id_extent *out)
{
	const struct id_map *m = &ns->map[k];

	if (i >= m->nr)
		return false;
	if (reader == ns && ns->parent)
		reader = ns->parent;
	*out = m->extent[i];
	out->lower_first = ns_from_kid(reader, k, m->extent[i].lower_first);
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r';
}

static char *skip_spaces(char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* Linux's simple_strtoul in base 10, cut to 32 bits as map_write's u32. */
static uint32_t parse_u32(char **pp)
{
	unsigned long v = 0;
	char *p = *pp;

	while (*p >= '0' && *p <= '9')
		v = v * 10 + (unsigned long)(*p++ - '0');
	*pp = p;
	return (uint32_t)v;
}

/* Whether [a, a+n) and [b, b+m) meet. */
static bool ranges_meet(uint32_t a, uint32_t n, uint32_t b, uint32_t m)
{
	uint32_t a_last = a + n - 1, b_last = b + m - 1;

	return (a <= b && b <= a_last) || (a <= b_last && b_last <= a_last) ||
	       (b <= a && a <= b_last);
}

/* Linux's mappings_overlap: @e meets a line of @m above or below. */
static bool map_overlaps(const struct id_map *m, const struct id_extent *e)
{
	for (unsigned i = 0; i < m->nr; i++) {
		const struct id_extent *o = &m->extent[i];

		if (ranges_meet(o->first, o->count, e->first, e->count) ||
		    ranges_meet(o->lower_first, o->count, e->lower_first,
				e->count))
			return true;
	}
	return false;
}

/* The capability a map's writer needs in the parent (-1: none). */
static int map_cap(enum id_map_kind k)
{
	return k == ID_MAP_UID ? CAP_SETUID : k == ID_MAP_GID ? CAP_SETGID : -1;
}

/*
 * Linux's verify_root_map: a uid map giving the parent's root to the
 * namespace needs CAP_SETFCAP, which its creator had (the writer is in
 * @ns) or the writer has in the parent.
 */
static bool root_map_ok(const struct user_ns *ns, const struct id_map *m)
{
	for (unsigned i = 0; i < m->nr; i++) {
		if (m->extent[i].lower_first != 0)
			continue;
		if (current_user_ns() == ns)
			return ns->parent_could_setfcap;
		return ns_capable(ns->parent, CAP_SETFCAP);
	}
	return true;
}

/* Linux's new_idmap_permitted, the lower ids still the parent's. */
static bool map_permitted(const struct user_ns *ns, enum id_map_kind k,
			  const struct id_map *m)
{
	const struct cred *c = &current->cred;
	int cap = map_cap(k);

	if (k == ID_MAP_UID && !root_map_ok(ns, m))
		return false;
	if (m->nr == 1 && m->extent[0].count == 1 && ns->owner == c->euid) {
		uint32_t id = m->extent[0].lower_first;

		if (k == ID_MAP_UID &&
		    ns_make_kid(ns->parent, k, id) == c->euid)
			return true;
		if (k == ID_MAP_GID && !ns->setgroups_allowed &&
		    ns_make_kid(ns->parent, k, id) == c->egid)
			return true;
	}
	if (cap < 0)
		return true;
	return ns_capable(ns->parent, cap);
}

/*
 * Parse @text into @m (room for USERNS_MAP_MAX lines): 0 or -EINVAL, as
 * map_write's parser: per line three numbers, spaces between and after,
 * none of the invalid id, no zero count, no wrap, no overlap.
 */
static int map_parse(char *text, struct id_map *m)
{
	char *pos = text, *next;

	for (; pos; pos = next) {
		struct id_extent e;

		next = strchr(pos, '\n');
		if (next) {
			*next++ = '\0';
			if (*next == '\0')
				next = NULL;
		}
		pos = skip_spaces(pos);
		e.first = parse_u32(&pos);
		if (!is_space(*pos))
			return -EINVAL;
		pos = skip_spaces(pos);
		e.lower_first = parse_u32(&pos);
		if (!is_space(*pos))
			return -EINVAL;
		pos = skip_spaces(pos);
		e.count = parse_u32(&pos);
		if (*pos && !is_space(*pos))
			return -EINVAL;
		pos = skip_spaces(pos);
		if (*pos != '\0')
			return -EINVAL;
		if (e.first == INVALID_ID || e.lower_first == INVALID_ID)
			return -EINVAL;
		if (e.first + e.count <= e.first ||
		    e.lower_first + e.count <= e.lower_first)
			return -EINVAL;
		if (map_overlaps(m, &e))
			return -EINVAL;
		if (m->nr + 1 == USERNS_MAP_MAX && next)
			return -EINVAL;
		m->extent[m->nr++] = e;
	}
	return m->nr ? 0 : -EINVAL;
}

/*
 * Linux's map_id_range_down: the kernel id of @id of @ns's map @k when
 * the @count ids from it lie in one line, else INVALID_ID.
 */
static uint32_t map_range_down(const struct user_ns *ns, enum id_map_kind k,
			       uint32_t id, uint32_t count)
{
	const struct id_map *m = &ns->map[k];

	for (unsigned i = 0; i < m->nr; i++) {
		const struct id_extent *e = &m->extent[i];

		if (id >= e->first && id - e->first < e->count &&
		    count <= e->count - (id - e->first))
			return e->lower_first + (id - e->first);
	}
	return INVALID_ID;
}

/* See include/kernel/user_ns.h. */
int user_ns_map_write(struct user_ns *ns, enum id_map_kind k, char *text)
{
	const struct user_ns *mine = current_user_ns();
	struct id_map m = { 0 };
	int err;

	if (!ns->parent || (mine != ns && mine != ns->parent))
		return -EPERM;
	if (ns->map[k].nr)
		return -EPERM;
	if (map_cap(k) >= 0 && !ns_capable(ns, CAP_SYS_ADMIN))
		return -EPERM;
	m.extent = kmalloc(USERNS_MAP_MAX * sizeof(*m.extent));
	if (!m.extent)
		return -ENOMEM;
	err = map_parse(text, &m);
	if (err)
		goto out;
	err = -EPERM;
	if (!map_permitted(ns, k, &m))
		goto out;
	/* The lower ids into kernel ids: each line within one parent line. */
	for (unsigned i = 0; i < m.nr; i++) {
		struct id_extent *e = &m.extent[i];

		e->lower_first = map_range_down(ns->parent, k, e->lower_first,
						e->count);
		if (e->lower_first == INVALID_ID)
			goto out;
	}
	ns->map[k] = m;
	return 0;
out:
	kfree(m.extent);
	return err;
}

/* See include/kernel/user_ns.h. */
int user_ns_setgroups_write(struct user_ns *ns, const char *text, size_t len)
{
	char buf[8], *pos = buf;
	bool allow;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	if (!strncmp(pos, "allow", 5)) {
		pos += 5;
		allow = true;
	} else if (!strncmp(pos, "deny", 4)) {
		pos += 4;
		allow = false;
	} else {
		return -EINVAL;
	}
	if (*skip_spaces(pos) != '\0')
		return -EINVAL;
	if (allow)
		return ns->setgroups_allowed ? 0 : -EPERM;
	if (ns->map[ID_MAP_GID].nr)
		return -EPERM;
	ns->setgroups_allowed = false;
	return 0;
}

/* See include/kernel/user_ns.h. */
bool user_ns_may_setgroups(const struct user_ns *ns)
{
	return ns->map[ID_MAP_GID].nr && ns->setgroups_allowed;
}
