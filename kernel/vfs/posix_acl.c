/*
 * The rules of POSIX ACLs on their parsed form, as Linux's
 * fs/posix_acl.c: the attribute value's format, what a valid ACL is,
 * how it maps to a mode, who it grants what, and how chmod and a new
 * inode's creation mode reshape it. No inode state is touched here.
 */
#include "posix_acl.h"
#include <aramid/string.h>
#include <kernel/cred.h>
#include <kernel/task.h>
#include <platform/heap.h>

#define ACL_PERMS	(ACL_READ | ACL_WRITE | ACL_EXECUTE)

static struct posix_acl *posix_acl_alloc(unsigned count)
{
	struct posix_acl *acl;

	acl = kmalloc(sizeof(*acl) + count * sizeof(acl->e[0]));

	if (acl)
		acl->count = count;
	return acl;
}

/* See posix_acl.h. */
struct posix_acl *posix_acl_clone(const struct posix_acl *acl)
{
	struct posix_acl *copy = posix_acl_alloc(acl->count);

	if (copy)
		memcpy(copy->e, acl->e, acl->count * sizeof(acl->e[0]));
	return copy;
}

/* See posix_acl.h. */
struct posix_acl *posix_acl_from_xattr(const void *value, size_t size)
{
	const struct posix_acl_xattr_header *h = value;
	const struct posix_acl_xattr_entry *x = (const void *)(h + 1);
	struct posix_acl *acl;
	size_t count;

	if (size < sizeof(*h))
		return ERR_PTR(-EINVAL);
	if (h->a_version != POSIX_ACL_XATTR_VERSION)
		return ERR_PTR(-EOPNOTSUPP);
	if ((size - sizeof(*h)) % sizeof(*x))
		return ERR_PTR(-EINVAL);
	count = (size - sizeof(*h)) / sizeof(*x);
	if (!count)
		return NULL;
	acl = posix_acl_alloc((unsigned)count);
	if (!acl)
		return ERR_PTR(-ENOMEM);
	for (size_t i = 0; i < count; i++) {
		struct posix_acl_entry *e = &acl->e[i];

		e->tag = x[i].e_tag;
		e->perm = x[i].e_perm;
		e->id = ACL_UNDEFINED_ID;
		switch (e->tag) {
		case ACL_USER_OBJ:
		case ACL_GROUP_OBJ:
		case ACL_MASK:
		case ACL_OTHER:
			break;
		case ACL_USER:
		case ACL_GROUP:
			e->id = x[i].e_id;	/* (uid_t)-1 is no id */
			if (e->id != ACL_UNDEFINED_ID)
				break;
			goto invalid;
		default:
			goto invalid;
		}
	}
	return acl;
invalid:
	kfree(acl);
	return ERR_PTR(-EINVAL);
}

/* See posix_acl.h. */
size_t posix_acl_xattr_size(const struct posix_acl *acl)
{
	return sizeof(struct posix_acl_xattr_header) +
	       acl->count * sizeof(struct posix_acl_xattr_entry);
}

/* See posix_acl.h. */
void posix_acl_to_xattr(const struct posix_acl *acl, void *buf)
{
	struct posix_acl_xattr_header *h = buf;
	struct posix_acl_xattr_entry *x = (void *)(h + 1);

	h->a_version = POSIX_ACL_XATTR_VERSION;
	for (unsigned i = 0; i < acl->count; i++) {
		x[i].e_tag = acl->e[i].tag;
		x[i].e_perm = acl->e[i].perm;
		x[i].e_id = acl->e[i].id;
	}
}

/*
 * See posix_acl.h. The entries come in tag order: the owner, named
 * users, the owning group, named groups, the mask (needed once there is
 * a named entry), then other; each unnamed tag once.
 */
int posix_acl_valid(const struct posix_acl *acl)
{
	unsigned state = ACL_USER_OBJ;
	bool needs_mask = false;

	for (unsigned i = 0; i < acl->count; i++) {
		const struct posix_acl_entry *e = &acl->e[i];

		if (e->perm & ~ACL_PERMS)
			return -EINVAL;
		switch (e->tag) {
		case ACL_USER_OBJ:
			if (state != ACL_USER_OBJ)
				return -EINVAL;
			state = ACL_USER;
			break;
		case ACL_USER:
			if (state != ACL_USER)
				return -EINVAL;
			needs_mask = true;
			break;
		case ACL_GROUP_OBJ:
			if (state != ACL_USER)
				return -EINVAL;
			state = ACL_GROUP;
			break;
		case ACL_GROUP:
			if (state != ACL_GROUP)
				return -EINVAL;
			needs_mask = true;
			break;
		case ACL_MASK:
			if (state != ACL_GROUP)
				return -EINVAL;
			state = ACL_OTHER;
			break;
		case ACL_OTHER:
			if (state != ACL_OTHER &&
			    (state != ACL_GROUP || needs_mask))
				return -EINVAL;
			state = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	return state == 0 ? 0 : -EINVAL;
}

/* See posix_acl.h. */
int posix_acl_equiv_mode(const struct posix_acl *acl, mode_t *mode)
{
	mode_t bits = 0;
	int not_equiv = 0;

	for (unsigned i = 0; i < acl->count; i++) {
		mode_t perm = acl->e[i].perm & 7;

		switch (acl->e[i].tag) {
		case ACL_USER_OBJ:
			bits |= perm << 6;
			break;
		case ACL_GROUP_OBJ:
			bits |= perm << 3;
			break;
		case ACL_OTHER:
			bits |= perm;
			break;
		case ACL_MASK:
			bits = (bits & ~S_IRWXG) | perm << 3;
			not_equiv = 1;
			break;
		case ACL_USER:
		case ACL_GROUP:
			not_equiv = 1;
			break;
		default:
			return -EINVAL;
		}
	}
	*mode = (*mode & ~(mode_t)0777) | bits;
	return not_equiv;
}

/* @want of entry @i, bounded by the mask that follows it if any. */
static int masked_perm(const struct posix_acl *acl, unsigned i, int want)
{
	int perm = acl->e[i].perm;

	for (unsigned m = i + 1; m < acl->count; m++) {
		if (acl->e[m].tag == ACL_MASK) {
			perm &= acl->e[m].perm;
			break;
		}
	}
	return (perm & want) == want ? 0 : -EACCES;
}

/*
 * See posix_acl.h. The owner gets the owner entry; a named user its
 * entry through the mask; a member of the owning or a named group the
 * first such entry that grants @want, through the mask (none granting
 * it is EACCES); everyone else the other entry.
 */
int posix_acl_permission(const struct inode *inode,
			 const struct posix_acl *acl, int want)
{
	const struct cred *c = &current->cred;
	bool found = false;

	want &= MAY_READ | MAY_WRITE | MAY_EXEC;
	for (unsigned i = 0; i < acl->count; i++) {
		const struct posix_acl_entry *e = &acl->e[i];

		switch (e->tag) {
		case ACL_USER_OBJ:
			if (c->fsuid == inode->uid)
				return (e->perm & want) == want ? 0 : -EACCES;
			break;
		case ACL_USER:
			if (c->fsuid == e->id)
				return masked_perm(acl, i, want);
			break;
		case ACL_GROUP_OBJ:
		case ACL_GROUP:
			if (!cred_in_group(c, e->tag == ACL_GROUP ?
					   e->id : inode->gid))
				break;
			found = true;
			if ((e->perm & want) == want)
				return masked_perm(acl, i, want);
			break;
		case ACL_MASK:
			break;
		case ACL_OTHER:
			if (found)
				return -EACCES;
			return (e->perm & want) == want ? 0 : -EACCES;
		default:
			return -EIO;
		}
	}
	return -EIO;
}

/* See posix_acl.h. */
int posix_acl_chmod_masq(struct posix_acl *acl, mode_t mode)
{
	struct posix_acl_entry *group = NULL, *mask = NULL;

	for (unsigned i = 0; i < acl->count; i++) {
		struct posix_acl_entry *e = &acl->e[i];

		switch (e->tag) {
		case ACL_USER_OBJ:
			e->perm = (mode & S_IRWXU) >> 6;
			break;
		case ACL_USER:
		case ACL_GROUP:
			break;
		case ACL_GROUP_OBJ:
			group = e;
			break;
		case ACL_MASK:
			mask = e;
			break;
		case ACL_OTHER:
			e->perm = mode & S_IRWXO;
			break;
		default:
			return -EIO;
		}
	}
	if (!mask && !group)
		return -EIO;
	(mask ? mask : group)->perm = (mode & S_IRWXG) >> 3;
	return 0;
}

/* See posix_acl.h. */
int posix_acl_create_masq(struct posix_acl *acl, mode_t *mode)
{
	struct posix_acl_entry *group = NULL, *mask = NULL, *g;
	mode_t m = *mode;
	int not_equiv = 0;

	for (unsigned i = 0; i < acl->count; i++) {
		struct posix_acl_entry *e = &acl->e[i];

		switch (e->tag) {
		case ACL_USER_OBJ:
			e->perm &= (m >> 6) | ~S_IRWXO;
			m &= (e->perm << 6) | ~S_IRWXU;
			break;
		case ACL_USER:
		case ACL_GROUP:
			not_equiv = 1;
			break;
		case ACL_GROUP_OBJ:
			group = e;
			break;
		case ACL_OTHER:
			e->perm &= m | ~S_IRWXO;
			m &= e->perm | ~S_IRWXO;
			break;
		case ACL_MASK:
			mask = e;
			not_equiv = 1;
			break;
		default:
			return -EIO;
		}
	}
	g = mask ? mask : group;
	if (!g)
		return -EIO;
	g->perm &= (m >> 3) | ~S_IRWXO;
	m &= (g->perm << 3) | ~S_IRWXG;
	*mode &= m | ~(mode_t)0777;
	return not_equiv;
}
