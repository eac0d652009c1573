/*
 * request_key(2), as Linux 6.1's security/keys/request_key.c: search
 * the caller's keyrings for a key of the type and description; found,
 * link it into the destination; not found and with callout information,
 * make it and ask user space to construct it. Linux asks by running
 * /sbin/request-key; Aramid runs no helper programs, so construction
 * fails as it does on a Linux without the helper: ENOENT, the new key
 * left negative (ENOKEY) for 60 seconds in the destination keyring.
 * Process context.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <uapi/errno.h>
#include "keys.h"
#include "key_uaccess.h"

#define CALLOUT_MAX	4096	/* a page, as Linux's strndup_user */

/*
 * Linux's construct_get_dest_keyring: where a key made by request_key
 * goes without a destination (the default KEYCTL_SET_REQKEY_KEYRING
 * chose), with a reference (NULL: none), writable: 0 or -errno.
 */
static int default_dest(struct key **out)
{
	struct key *dest = NULL;
	int err;

	switch (current->jit_keyring) {
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		dest = current->thread_keyring;
		if (dest)
			break;
		/* fallthrough */
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		dest = task_leader(current)->process_keyring;
		if (dest)
			break;
		/* fallthrough */
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
		dest = current->session_keyring;
		if (dest)
			break;
		/* fallthrough */
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
		err = user_keyring(true, out);
		goto check;
	default:
		err = user_keyring(false, out);
		goto check;
	}
	key_get(dest);
	*out = dest;
	err = 0;
check:
	if (err)
		return err;
	err = key_permission((struct key_ref){ *out, true }, KEY_NEED_WRITE);
	if (err) {
		key_put(*out);
		*out = NULL;
	}
	return err;
}

/* Linux's construct_key_and_link, with the upcall that cannot run. */
static int construct_key(const struct key_type *type, const char *desc,
			 struct key *dest)
{
	uint32_t perm = KEY_POS_VIEW | KEY_POS_SEARCH | KEY_POS_LINK |
			KEY_POS_SETATTR | KEY_USR_VIEW;
	struct key *key;
	int err;

	if (type == &key_type_keyring)
		return -EPERM;
	if (dest) {
		key_get(dest);
	} else {
		err = default_dest(&dest);
		if (err)
			return err;
	}
	if (type->read)
		perm |= KEY_POS_READ;
	if (type->update)
		perm |= KEY_POS_WRITE;
	err = key_alloc(type, desc, current->cred.fsuid, current->cred.fsgid,
			perm, false, &key);
	if (err)
		goto out;
	err = dest ? keyring_link(dest, key) : 0;
	if (!err) {
		key_negate(key, -ENOKEY, KEY_NEGATIVE_TIMEOUT);
		err = -ENOENT;		/* no /sbin/request-key to run */
	}
	key_put(key);
out:
	key_put(dest);
	return err;
}

/* See keys.h. */
int request_key_and_link(const struct key_type *type, const char *desc,
			 const char *callout, struct key *dest,
			 struct key **out)
{
	struct key_search s = {
		.type = type,
		.desc = desc,
		.flags = KSEARCH_STATE_CHECK | KSEARCH_SKIP_EXPIRED |
			 KSEARCH_RECURSE,
	};
	int err = search_process_keyrings(&s);

	if (!err) {
		if (dest) {
			err = key_permission(s.result, KEY_NEED_LINK);
			if (!err)
				err = keyring_link(dest, s.result.key);
			if (err) {
				key_put(s.result.key);
				return err;
			}
		}
		*out = s.result.key;
		return 0;
	}
	if (err != -EAGAIN)
		return err;
	if (!callout)
		return -ENOKEY;
	return construct_key(type, desc, dest);
}

SYSCALL(__NR_request_key, request_key)(SYSCALL_ARGS)
{
	char type[KEY_TYPE_NAME_SIZE];
	const struct key_type *ktype;
	char *desc, *callout = NULL;
	struct key_ref dest = { NULL, false };
	struct key *key;
	long err;

	err = key_type_from_user(type, UPTR(a0));
	if (err)
		return err;
	err = key_strndup_user(UPTR(a1), KEY_MAX_DESC_SIZE, &desc);
	if (err)
		return err;
	if (!uptr_null(UPTR(a2))) {
		err = key_strndup_user(UPTR(a2), CALLOUT_MAX, &callout);
		if (err)
			goto out;
	}
	if ((key_serial_t)a3) {
		err = lookup_user_key((key_serial_t)a3, KEY_LOOKUP_CREATE,
				      KEY_NEED_WRITE, &dest);
		if (err)
			goto out;
	}
	ktype = key_type_find(type);
	err = -ENOKEY;
	if (!ktype)
		goto out_dest;
	err = request_key_and_link(ktype, desc, callout, dest.key, &key);
	if (err)
		goto out_dest;
	err = key->state < 0 ? key->state : key_validate(key);
	if (!err)
		err = key->serial;
	key_put(key);
out_dest:
	key_put(dest.key);
out:
	kfree(callout);
	kfree(desc);
	return err;
}
