/*
 * Keyrings, as Linux 6.1's security/keys/keyring.c: the "keyring" key
 * type, whose payload is links to keys (each costs its owner 4 bytes of
 * quota); linking (one link per type and description: a new one
 * replaces the old; no cycles, no nesting deeper than 6), unlinking,
 * clearing, reading the link list, publishing names for
 * find_keyring_by_name, and the search that request_key, KEYCTL_SEARCH
 * and the possession rule share. Process context.
 */
#include <kernel/task.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"

#define KEYQUOTA_LINK_BYTES	4
#define KSEARCH_DETECT_DEEP	0x100	/* too deep is a result (cycles) */

static int keyring_preparse(struct key_prep *prep)
{
	if (prep->datalen)
		return -EINVAL;
	prep->quotalen = 0;
	return 0;
}

static int keyring_instantiate(struct key *key, const struct key_prep *prep)
{
	(void)key;
	(void)prep;
	return 0;
}

/* The serials of the links, as many as fit in @len bytes (a multiple of 4). */
static long keyring_read(const struct key *keyring, char *buf, size_t len)
{
	size_t n = 0;

	if (len % sizeof(key_serial_t))
		return -EINVAL;
	for (unsigned i = 0; buf && i < keyring->nlinks; i++) {
		if (n + sizeof(key_serial_t) > len)
			break;
		memcpy(buf + n, &keyring->links[i]->serial,
		       sizeof(key_serial_t));
		n += sizeof(key_serial_t);
	}
	return (long)(keyring->nlinks * sizeof(key_serial_t));
}

/* See keys.h. */
void keyring_clear(struct key *keyring)
{
	unsigned n = keyring->nlinks;
	struct key **links = keyring->links;

	keyring->links = NULL;
	keyring->nlinks = keyring->maxlinks = 0;
	key_payload_reserve(keyring, 0);
	for (unsigned i = 0; i < n; i++)
		key_put(links[i]);
	kfree(links);
}

static void keyring_revoke(struct key *keyring)
{
	keyring_clear(keyring);
}

static void keyring_destroy(struct key *keyring)
{
	keyring_clear(keyring);
}

/* Linux's keyring_describe: the name or [anon], and how many links. */
static void keyring_describe(const struct key *keyring, char *buf,
			     size_t size, size_t *len)
{
	buf_printf(buf, size, len, "%s",
		   keyring->description ? keyring->description : "[anon]");
	if (keyring->state <= 0)
		return;
	if (keyring->nlinks)
		buf_printf(buf, size, len, ": %u", keyring->nlinks);
	else
		buf_printf(buf, size, len, ": empty");
}

const struct key_type key_type_keyring = {
	.name = "keyring",
	.preparse = keyring_preparse,
	.instantiate = keyring_instantiate,
	.read = keyring_read,
	.revoke = keyring_revoke,
	.destroy = keyring_destroy,
	.describe = keyring_describe,
};

/* See keys.h. */
int keyring_alloc(const char *desc, uid_t uid, gid_t gid, uint32_t perm,
		  bool overrun, struct key **out)
{
	struct key_prep prep = { 0 };
	int err = key_alloc(&key_type_keyring, desc, uid, gid, perm, overrun,
			    out);

	if (!err)
		err = key_instantiate(*out, &prep);
	return err;
}

static bool same_index(const struct key *k, const struct key_type *type,
		       const char *desc)
{
	return k->type == type && k->description && desc &&
	       !strcmp(k->description, desc);
}

/* See keys.h. */
struct key *keyring_find_direct(struct key *keyring,
				const struct key_type *type, const char *desc)
{
	for (unsigned i = 0; i < keyring->nlinks; i++) {
		struct key *k = keyring->links[i];

		if (same_index(k, type, desc) &&
		    !(k->flags & (KEY_FLAG_INVALIDATED | KEY_FLAG_REVOKED))) {
			key_get(k);
			return k;
		}
	}
	return NULL;
}

/* Does search @s match @k (its type checked already)? */
static bool search_match(const struct key *k, const struct key_search *s)
{
	return s->target ? k == s->target :
	       !strcmp(k->description ? k->description : "", s->desc);
}

/*
 * Linux's keyring_search_iterator on @k: true if it is the result (the
 * search stops), else false, having noted in s->error why a key of the
 * type was passed over.
 */
static bool search_one(struct key *k, struct key_search *s, bool possessed)
{
	struct key_ref ref = { k, possessed };

	if (k->type != s->type)
		return false;
	if (s->flags & KSEARCH_STATE_CHECK) {
		if (k->flags & (KEY_FLAG_INVALIDATED | KEY_FLAG_REVOKED)) {
			s->error = -EKEYREVOKED;
			return false;
		}
		if (k->expiry && s->now >= k->expiry) {
			if (!(s->flags & KSEARCH_SKIP_EXPIRED))
				s->error = -EKEYEXPIRED;
			return false;
		}
	}
	if (!search_match(k, s))
		return false;
	if (!(s->flags & KSEARCH_NO_PERM_CHECK) &&
	    key_permission(ref, KEY_NEED_SEARCH)) {
		s->error = -EACCES;
		return false;
	}
	if ((s->flags & KSEARCH_STATE_CHECK) && k->state < 0) {
		s->error = k->state;
		return false;
	}
	s->result = ref;
	return true;
}

/*
 * Linux's search_nested_keyrings below @keyring at @depth: every link,
 * then (KSEARCH_RECURSE) the keyrings linked, those the caller may
 * search, down to KEYRING_SEARCH_MAX_DEPTH. True once found (or, under
 * KSEARCH_DETECT_DEEP, once too deep: s->error -ELOOP).
 */
static bool search_nested(struct key *keyring, struct key_search *s,
			  bool possessed, unsigned depth)
{
	for (unsigned i = 0; i < keyring->nlinks; i++)
		if (search_one(keyring->links[i], s, possessed))
			return true;
	if (!(s->flags & KSEARCH_RECURSE))
		return false;
	for (unsigned i = 0; i < keyring->nlinks; i++) {
		struct key *k = keyring->links[i];

		if (k->type != &key_type_keyring)
			continue;
		if (depth + 1 >= KEYRING_SEARCH_MAX_DEPTH) {
			if (s->flags & KSEARCH_DETECT_DEEP) {
				s->error = -ELOOP;
				return true;
			}
			continue;
		}
		if (!(s->flags & KSEARCH_NO_PERM_CHECK) &&
		    key_permission((struct key_ref){ k, possessed },
				   KEY_NEED_SEARCH))
			continue;
		if (search_nested(k, s, possessed, depth + 1))
			return true;
	}
	return false;
}

/* The search from @keyring itself, which may be what is looked for. */
static bool search_from(struct key *keyring, struct key_search *s,
			bool possessed)
{
	s->result.key = NULL;
	s->error = -EAGAIN;
	if (keyring->type == s->type && search_match(keyring, s) &&
	    search_one(keyring, s, possessed))
		return true;
	return search_nested(keyring, s, possessed, 0);
}

/* See keys.h. */
int keyring_search(struct key_ref ref, struct key_search *s)
{
	if (ref.key->type != &key_type_keyring)
		return -ENOTDIR;
	if (!(s->flags & KSEARCH_NO_PERM_CHECK) &&
	    key_permission(ref, KEY_NEED_SEARCH))
		return -EACCES;
	s->now = key_now();
	if (search_from(ref.key, s, ref.possessed) && s->result.key) {
		key_get(s->result.key);
		return 0;
	}
	return s->error;
}

/* Would linking keyring @key into @keyring make a cycle, or nest too deep? */
static bool keyring_cycle(struct key *keyring, struct key *key)
{
	struct key_search s = {
		.type = &key_type_keyring,
		.target = keyring,
		.flags = KSEARCH_NO_PERM_CHECK | KSEARCH_RECURSE |
			 KSEARCH_DETECT_DEEP,
	};

	return search_from(key, &s, false);
}

/* See keys.h. */
int keyring_link(struct key *keyring, struct key *key)
{
	unsigned i;
	int err;

	if (keyring->type != &key_type_keyring)
		return -ENOTDIR;
	for (i = 0; i < keyring->nlinks; i++)
		if (same_index(keyring->links[i], key->type, key->description))
			break;
	if (key->type == &key_type_keyring && keyring_cycle(keyring, key))
		return -EDEADLK;
	if (i < keyring->nlinks) {
		struct key *old = keyring->links[i];

		key_get(key);
		keyring->links[i] = key;
		key_put(old);
		return 0;
	}
	if (keyring->nlinks == keyring->maxlinks) {
		unsigned max = keyring->maxlinks ? keyring->maxlinks * 2 : 8;
		struct key **links = kmalloc(max * sizeof(*links));

		if (!links)
			return -ENOMEM;
		if (keyring->nlinks)
			memcpy(links, keyring->links,
			       keyring->nlinks * sizeof(*links));
		kfree(keyring->links);
		keyring->links = links;
		keyring->maxlinks = max;
	}
	err = key_payload_reserve(keyring,
				  keyring->datalen + KEYQUOTA_LINK_BYTES);
	if (err)
		return err;
	key_get(key);
	keyring->links[keyring->nlinks++] = key;
	return 0;
}

/* See keys.h. */
int keyring_unlink(struct key *keyring, struct key *key)
{
	for (unsigned i = 0; i < keyring->nlinks; i++) {
		if (keyring->links[i] != key)
			continue;
		keyring->links[i] = keyring->links[--keyring->nlinks];
		key_payload_reserve(keyring,
				    keyring->datalen - KEYQUOTA_LINK_BYTES);
		key_put(key);
		return 0;
	}
	return -ENOENT;
}

/* See keys.h. */
void keyring_unlink_everywhere(struct key *key)
{
	key_get(key);
	for (struct key *k = key_next(NULL); k; k = key_next(k))
		if (k->type == &key_type_keyring)
			while (!keyring_unlink(k, key))
				;
	key_put(key);
}

/* See keys.h. */
struct key *find_keyring_by_name(const char *name, bool uid_keyring)
{
	for (struct key *k = key_next(NULL); k; k = key_next(k)) {
		if (k->type != &key_type_keyring || !k->description ||
		    k->description[0] == '.' || (k->flags & KEY_FLAG_REVOKED) ||
		    strcmp(k->description, name))
			continue;
		if (uid_keyring ? !(k->flags & KEY_FLAG_UID_KEYRING) :
		    key_permission((struct key_ref){ k, false },
				   KEY_NEED_SEARCH) != 0)
			continue;
		key_get(k);
		return k;
	}
	return NULL;
}
