/*
 * add_key(2), as Linux 6.1's: copy in the type, description and payload,
 * find the destination keyring (made if it is a special one not there
 * yet; it must be writable), then update the key of that type and
 * description it already holds if the type can, or make a new key and
 * link it in (Linux's key_create_or_update). Process context.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"
#include "key_uaccess.h"

/* Linux's __key_update of @ref with @prep: its serial, or -errno. */
static long key_update_found(struct key_ref ref, struct key_prep *prep)
{
	struct key *key = ref.key;
	long err = key_permission(ref, KEY_NEED_WRITE);

	if (!err)
		err = key->type->update(key, prep);
	if (!err)
		key->state = 1;
	return err ? err : key->serial;
}

/* Linux's key_create_or_update into @ring (KEY_PERM_UNDEF, in quota). */
static long key_create_or_update(struct key_ref ring,
				 const struct key_type *type,
				 const char *desc, const void *payload,
				 size_t plen)
{
	struct key_prep prep = { payload, plen, 0 };
	uint32_t perm;
	struct key *key;
	long err;

	if (!type)
		return -ENODEV;
	if (ring.key->type != &key_type_keyring)
		return -ENOTDIR;
	err = type->preparse(&prep);
	if (err)
		return err;
	if (!desc)
		return -EINVAL;
	err = key_permission(ring, KEY_NEED_WRITE);
	if (err)
		return err;
	if (type->update) {
		key = keyring_find_direct(ring.key, type, desc);
		if (key) {
			err = key_update_found((struct key_ref){
				key, ring.possessed }, &prep);
			key_put(key);
			return err;
		}
	}
	perm = KEY_POS_VIEW | KEY_POS_SEARCH | KEY_POS_LINK |
	       KEY_POS_SETATTR | KEY_USR_VIEW;
	if (type->read)
		perm |= KEY_POS_READ;
	if (type == &key_type_keyring || type->update)
		perm |= KEY_POS_WRITE;
	err = key_alloc(type, desc, current->cred.fsuid, current->cred.fsgid,
			perm, false, &key);
	if (err)
		return err;
	err = key_instantiate(key, &prep);
	if (!err)
		err = keyring_link(ring.key, key);
	if (!err)
		err = key->serial;
	key_put(key);
	return err;
}

SYSCALL(__NR_add_key, add_key)(SYSCALL_ARGS)
{
	size_t plen = (size_t)a3;
	char type[KEY_TYPE_NAME_SIZE];
	char *desc = NULL;
	void *payload = NULL;
	struct key_ref ring;
	long err;

	if (plen > KEY_MAX_PAYLOAD)
		return -EINVAL;
	err = key_type_from_user(type, UPTR(a0));
	if (err)
		return err;
	if (!uptr_null(UPTR(a1))) {
		err = key_strndup_user(UPTR(a1), KEY_MAX_DESC_SIZE, &desc);
		if (err)
			return err;
		if (!*desc) {
			kfree(desc);
			desc = NULL;
		} else if (desc[0] == '.' && !strncmp(type, "keyring", 7)) {
			err = -EPERM;
			goto out;
		}
	}
	if (plen) {
		err = -ENOMEM;
		payload = kmalloc(plen);
		if (!payload)
			goto out;
		err = -EFAULT;
		if (copy_from_user(payload, UPTR(a2), plen))
			goto out;
	}
	err = lookup_user_key((key_serial_t)a4, KEY_LOOKUP_CREATE,
			      KEY_NEED_WRITE, &ring);
	if (err)
		goto out;
	err = key_create_or_update(ring, key_type_find(type), desc, payload,
				   plen);
	key_put(ring.key);
out:
	if (payload)
		memset(payload, 0, plen);
	kfree(payload);
	kfree(desc);
	return err;
}
