/*
 * Key objects, as Linux 6.1's security/keys/key.c and permission.c:
 * random serial numbers, reference counts, the per-uid quotas of
 * kernel.keys (maxkeys/maxbytes, root's own), instantiation, negation,
 * revocation, validity and the permission check (possessor bits added
 * to the owner's, group's or other's). Process context.
 */
#include <kernel/keys.h>
#include <kernel/task.h>
#include <kernel/cred.h>
#include <svc/random.h>
#include <platform/heap.h>
#include <platform/time.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"

struct key_limits key_limits = {
	.maxkeys = 200,
	.maxbytes = 20000,
	.root_maxkeys = 1000000,
	.root_maxbytes = 25000000,
	.gc_delay = 300,
};

static LIST_HEAD(all_keys);
static LIST_HEAD(key_users);

static const struct key_type *const key_types[] = {
	&key_type_keyring, &key_type_user, &key_type_logon,
};

/* See keys.h. */
const struct key_type *key_type_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(key_types); i++)
		if (!strcmp(key_types[i]->name, name))
			return key_types[i];
	return NULL;
}

/* See keys.h. */
int64_t key_now(void)
{
	return (int64_t)((clock_boot_realtime_ns() + clock_monotonic_ns()) /
			 NSEC_PER_SEC);
}

/* @uid's quota record, made if need be; NULL: no memory. */
static struct key_user *key_user_get(uid_t uid)
{
	struct key_user *u;

	list_for_each_entry(u, &key_users, link) {
		if (u->uid == uid)
			return u;
	}
	u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	list_add_tail(&u->link, &key_users);
	return u;
}

static void key_user_put(struct key_user *u)
{
	if (u->nkeys || u->qnkeys)
		return;
	list_del(&u->link);
	kfree(u);
}

static unsigned long quota_bytes(uid_t uid)
{
	return (unsigned long)(uid ? key_limits.maxbytes :
				     key_limits.root_maxbytes);
}

static unsigned quota_keys(uid_t uid)
{
	return (unsigned)(uid ? key_limits.maxkeys : key_limits.root_maxkeys);
}

/* A serial no live key has: random, positive, at least 3, as Linux's. */
static key_serial_t key_new_serial(void)
{
	for (;;) {
		key_serial_t s;
		struct key *k;
		bool used = false;

		random_bytes(&s, sizeof(s));
		s = (key_serial_t)((uint32_t)s >> 1);
		if (s < 3)
			continue;
		list_for_each_entry(k, &all_keys, link) {
			if (k->serial == s) {
				used = true;
				break;
			}
		}
		if (!used)
			return s;
	}
}

/* See keys.h. */
int key_alloc(const struct key_type *type, const char *desc, uid_t uid,
	      gid_t gid, uint32_t perm, bool overrun, struct key **out)
{
	size_t desclen = desc ? strlen(desc) : 0;
	size_t quotalen = desclen + 1;
	struct key_user *u;
	struct key *key;

	if (type->vet_description && desc) {
		int err = type->vet_description(desc);

		if (err)
			return err;
	}
	u = key_user_get(uid);
	if (!u)
		return -ENOMEM;
	if (!overrun && (u->qnkeys + 1 > quota_keys(uid) ||
			 u->qnbytes + quotalen > quota_bytes(uid))) {
		key_user_put(u);
		return -EDQUOT;
	}
	key = kzalloc(sizeof(*key));
	if (key && desc) {
		key->description = kmalloc(desclen + 1);
		if (key->description)
			memcpy(key->description, desc, desclen + 1);
	}
	if (!key || (desc && !key->description)) {
		kfree(key);
		key_user_put(u);
		return -ENOMEM;
	}
	u->nkeys++;
	u->qnkeys++;
	u->qnbytes += quotalen;
	key->user = u;
	key->quotalen = quotalen;
	key->flags = KEY_FLAG_IN_QUOTA;
	key->serial = key_new_serial();
	key->refs = 1;
	key->type = type;
	key->uid = uid;
	key->gid = gid;
	key->perm = perm;
	list_add_tail(&key->link, &all_keys);
	*out = key;
	return 0;
}

/* See keys.h. */
void key_get(struct key *key)
{
	key->refs++;
}

/* See keys.h. */
void key_put(struct key *key)
{
	if (!key || --key->refs)
		return;
	list_del(&key->link);
	if (key->type->destroy)
		key->type->destroy(key);
	key->user->nkeys--;
	key->user->qnkeys--;
	key->user->qnbytes -= key->quotalen;
	key_user_put(key->user);
	kfree(key->description);
	kfree(key);
}

/* See keys.h. */
struct key *key_find_serial(key_serial_t serial)
{
	struct key *k;

	list_for_each_entry(k, &all_keys, link) {
		if (k->serial == serial) {
			key_get(k);
			return k;
		}
	}
	return NULL;
}

/* See keys.h. */
struct key *key_next(struct key *prev)
{
	struct list_head *next = prev ? prev->link.next : all_keys.next;

	return next == &all_keys ? NULL :
	       list_entry(next, struct key, link);
}

/* See keys.h. */
struct key_user *key_user_next(struct key_user *prev)
{
	struct list_head *next = prev ? prev->link.next : key_users.next;

	return next == &key_users ? NULL
				  : list_entry(next, struct key_user, link);
}

/* See keys.h. */
int key_payload_reserve(struct key *key, size_t datalen)
{
	long delta = (long)datalen - (long)key->datalen;
	struct key_user *u = key->user;

	if (delta > 0 && u->qnbytes + (unsigned long)delta >
			 quota_bytes(key->uid))
		return -EDQUOT;
	u->qnbytes += (unsigned long)delta;
	key->quotalen += (size_t)delta;
	key->datalen = datalen;
	return 0;
}

/* See keys.h. */
int key_validate(const struct key *key)
{
	if (key->flags & KEY_FLAG_INVALIDATED)
		return -ENOKEY;
	if (key->flags & KEY_FLAG_REVOKED)
		return -EKEYREVOKED;
	if (key->expiry && key_now() >= key->expiry)
		return -EKEYEXPIRED;
	return 0;
}

/* See keys.h. */
int key_instantiate(struct key *key, const struct key_prep *prep)
{
	int err = key->type->instantiate(key, prep);

	if (!err)
		key->state = 1;
	return err;
}

/* See keys.h. */
void key_negate(struct key *key, int error, unsigned timeout)
{
	key->state = error;
	key->expiry = key_now() + timeout;
}

/* See keys.h. */
void key_revoke(struct key *key)
{
	if (key->flags & KEY_FLAG_REVOKED)
		return;
	key->flags |= KEY_FLAG_REVOKED;
	if (key->type->revoke)
		key->type->revoke(key);
}

/* See keys.h. */
int key_permission(struct key_ref ref, enum key_need need)
{
	const struct key *key = ref.key;
	const struct cred *c = &current->cred;
	uint32_t kperm;

	if (need == KEY_NEED_UNLINK || need == KEY_DEFER_PERM)
		return 0;
	if (key->uid == c->fsuid)
		kperm = key->perm >> 16;
	else if (key->gid != (gid_t)-1 && (key->perm & KEY_GRP_ALL) &&
		 in_group_p(key->gid))
		kperm = key->perm >> 8;
	else
		kperm = key->perm;
	if (ref.possessed)
		kperm |= key->perm >> 24;
	kperm &= (uint32_t)need & KEY_OTH_ALL;
	return kperm == (uint32_t)need ? 0 : -EACCES;
}

/* See keys.h. */
int key_chown_user(struct key *key, uid_t uid)
{
	struct key_user *to = key_user_get(uid), *from = key->user;

	if (!to)
		return -ENOMEM;
	if (to->qnkeys + 1 > quota_keys(uid) ||
	    to->qnbytes + key->quotalen > quota_bytes(uid)) {
		key_user_put(to);
		return -EDQUOT;
	}
	to->nkeys++;
	to->qnkeys++;
	to->qnbytes += key->quotalen;
	from->nkeys--;
	from->qnkeys--;
	from->qnbytes -= key->quotalen;
	key_user_put(from);
	key->user = to;
	key->uid = uid;
	return 0;
}
