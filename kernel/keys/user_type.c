/*
 * The "user" and "logon" key types, as Linux 6.1's
 * security/keys/user_defined.c: a blob of 1 to 32767 bytes, charged to
 * the owner's quota, replaced by an update, dropped on revocation. A
 * logon key's description needs a "service:" prefix and its payload can
 * never be read back. Process context.
 */
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"

#define USER_MAX_PAYLOAD	32767

static int user_preparse(struct key_prep *prep)
{
	if (!prep->datalen || prep->datalen > USER_MAX_PAYLOAD || !prep->data)
		return -EINVAL;
	prep->quotalen = prep->datalen;
	return 0;
}

/* Replace @key's payload with @prep's (instantiate and update). */
static int user_set(struct key *key, const struct key_prep *prep)
{
	void *data = kmalloc(prep->datalen);
	int err;

	if (!data)
		return -ENOMEM;
	err = key_payload_reserve(key, prep->datalen);
	if (err) {
		kfree(data);
		return err;
	}
	memcpy(data, prep->data, prep->datalen);
	kfree(key->payload);
	key->payload = data;
	return 0;
}

/* An update also ends a timeout, as Linux's sets expiry from the prep. */
static int user_update(struct key *key, const struct key_prep *prep)
{
	int err = user_set(key, prep);

	if (!err)
		key->expiry = 0;
	return err;
}

static long user_read(const struct key *key, char *buf, size_t len)
{
	if (buf && len)
		memcpy(buf, key->payload, MIN(len, key->datalen));
	return (long)key->datalen;
}

static void user_revoke(struct key *key)
{
	key_payload_reserve(key, 0);
	kfree(key->payload);
	key->payload = NULL;
}

static void user_destroy(struct key *key)
{
	kfree(key->payload);
	key->payload = NULL;
}

/* Linux's user_describe: the description, and the length once positive. */
static void user_describe(const struct key *key, char *buf, size_t size,
			  size_t *len)
{
	buf_printf(buf, size, len, "%s", key->description);
	if (key->state > 0)
		buf_printf(buf, size, len, ": %zu", key->datalen);
}

/* A logon key's description is "service:name", the service not empty. */
static int logon_vet_description(const char *desc)
{
	const char *colon = strchr(desc, ':');

	return !colon || colon == desc ? -EINVAL : 0;
}

const struct key_type key_type_user = {
	.name = "user",
	.preparse = user_preparse,
	.instantiate = user_set,
	.update = user_update,
	.read = user_read,
	.revoke = user_revoke,
	.destroy = user_destroy,
	.describe = user_describe,
};

const struct key_type key_type_logon = {
	.name = "logon",
	.vet_description = logon_vet_description,
	.preparse = user_preparse,
	.instantiate = user_set,
	.update = user_update,
	.revoke = user_revoke,
	.destroy = user_destroy,
	.describe = user_describe,
};
