/*
 * The keyctl(2) commands on one key, as Linux 6.1's keyctl.c: update,
 * revoke, chown, setperm, describe, read, set a timeout, and the
 * security label (none: no LSM, an empty string). Process context.
 */
#include <kernel/task.h>
#include <kernel/cred.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"
#include "keyctl.h"

#define KEYCTL_PAGE	4096
#define OVERFLOW_ID	65534		/* an invalid id as shown (munged) */

/* See keyctl.h. */
long keyctl_update(key_serial_t id, uptr_t upayload, size_t plen)
{
	struct key_prep prep = { NULL, plen, 0 };
	void *payload = NULL;
	struct key_ref ref;
	long err;

	if (plen > KEYCTL_PAGE)
		return -EINVAL;
	if (plen) {
		payload = kmalloc(plen);
		if (!payload)
			return -ENOMEM;
		err = -EFAULT;
		if (copy_from_user(payload, upayload, plen))
			goto out;
	}
	prep.data = payload;
	err = lookup_user_key(id, 0, KEY_NEED_WRITE, &ref);
	if (err)
		goto out;
	err = -EOPNOTSUPP;
	if (ref.key->type->update) {
		err = ref.key->type->preparse(&prep);
		if (!err)
			err = ref.key->type->update(ref.key, &prep);
		if (!err)
			ref.key->state = 1;
	}
	key_put(ref.key);
out:
	if (payload)
		memset(payload, 0, plen);
	kfree(payload);
	return err;
}

/* See keyctl.h. */
long keyctl_revoke(key_serial_t id)
{
	struct key_ref ref;
	long err = lookup_user_key(id, 0, KEY_NEED_WRITE, &ref);

	if (err == -EACCES)
		err = lookup_user_key(id, 0, KEY_NEED_SETATTR, &ref);
	if (err)
		return err;
	key_revoke(ref.key);
	key_put(ref.key);
	return 0;
}

/* See keyctl.h. */
long keyctl_chown(key_serial_t id, uid_t uid, gid_t gid)
{
	struct key_ref ref;
	struct key *key;
	long err;

	if (uid == (uid_t)-1 && gid == (gid_t)-1)
		return 0;
	err = lookup_user_key(id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL,
			      KEY_NEED_SETATTR, &ref);
	if (err)
		return err;
	key = ref.key;
	err = -EACCES;
	if (((uid != (uid_t)-1 && uid != key->uid) ||
	     (gid != (gid_t)-1 && gid != key->gid && !in_group_p(gid))) &&
	    !capable(CAP_SYS_ADMIN))
		goto out;
	err = 0;
	if (uid != (uid_t)-1 && uid != key->uid)
		err = key_chown_user(key, uid);
	if (!err && gid != (gid_t)-1)
		key->gid = gid;
out:
	key_put(key);
	return err;
}

/* See keyctl.h. */
long keyctl_setperm(key_serial_t id, uint32_t perm)
{
	struct key_ref ref;
	long err;

	if (perm & ~(uint32_t)(KEY_POS_ALL | KEY_USR_ALL | KEY_GRP_ALL |
			       KEY_OTH_ALL))
		return -EINVAL;
	err = lookup_user_key(id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL,
			      KEY_NEED_SETATTR, &ref);
	if (err)
		return err;
	err = -EACCES;
	if (ref.key->uid == current->cred.fsuid) {
		ref.key->perm = perm;
		err = 0;
	}
	key_put(ref.key);
	return err;
}

/* See keyctl.h. */
long keyctl_describe(key_serial_t id, uptr_t buf, size_t len)
{
	struct key_ref ref;
	char info[80];
	size_t desclen, infolen;
	long err = lookup_user_key(id, KEY_LOOKUP_PARTIAL, KEY_NEED_VIEW,
				   &ref);
	struct key *key;

	if (err)
		return err;
	key = ref.key;
	snprintf(info, sizeof(info), "%s;%d;%d;%08x;", key->type->name,
		 key->uid == (uid_t)-1 ? OVERFLOW_ID : (int)key->uid,
		 key->gid == (gid_t)-1 ? OVERFLOW_ID : (int)key->gid,
		 key->perm);
	infolen = strlen(info);
	desclen = strlen(key->description);
	err = (long)(infolen + desclen + 1);
	if (!uptr_null(buf) && len >= (size_t)err &&
	    (copy_to_user(buf, info, infolen) ||
	     copy_to_user(uptr_add(buf, infolen), key->description,
			  desclen + 1)))
		err = -EFAULT;
	key_put(key);
	return err;
}

/* Linux's __keyctl_read_key: the key still valid, its type's read. */
static long key_read(const struct key *key, char *buf, size_t len)
{
	int err = key_validate(key);

	return err ? err : key->type->read(key, buf, len);
}

/* See keyctl.h. */
long keyctl_read(key_serial_t id, uptr_t ubuf, size_t len)
{
	struct key_ref ref;
	size_t klen;
	long ret;

	if (lookup_user_key(id, 0, KEY_DEFER_PERM, &ref))
		return -ENOKEY;
	ret = ref.key->state < 0 ? ref.key->state : 0;
	if (ret)
		goto out;
	ret = key_permission(ref, KEY_NEED_READ);
	if (ret == -EACCES && ref.possessed)
		ret = 0;
	if (ret)
		goto out;
	ret = -EOPNOTSUPP;
	if (!ref.key->type->read)
		goto out;
	if (uptr_null(ubuf) || !len) {
		ret = key_read(ref.key, NULL, 0);
		goto out;
	}
	/* As Linux: read into the caller's length if at most a page, else
	 * into what the key needs; copy out only if all of it fits. */
	klen = len <= KEYCTL_PAGE ? len : 0;
	for (;;) {
		char *kbuf = klen ? kmalloc(klen) : NULL;

		if (klen && !kbuf) {
			ret = -ENOMEM;
			break;
		}
		ret = key_read(ref.key, kbuf, klen);
		if (ret > 0 && (size_t)ret <= len && (size_t)ret > klen) {
			kfree(kbuf);
			klen = (size_t)ret;
			continue;
		}
		if (ret > 0 && (size_t)ret <= len &&
		    copy_to_user(ubuf, kbuf, (size_t)ret))
			ret = -EFAULT;
		if (kbuf)
			memset(kbuf, 0, klen);
		kfree(kbuf);
		break;
	}
out:
	key_put(ref.key);
	return ret;
}

/* See keyctl.h. */
long keyctl_set_timeout(key_serial_t id, unsigned timeout)
{
	struct key_ref ref;
	long err = lookup_user_key(id, KEY_LOOKUP_CREATE | KEY_LOOKUP_PARTIAL,
				   KEY_NEED_SETATTR, &ref);

	if (err)
		return err;
	ref.key->expiry = timeout ? key_now() + timeout : 0;
	key_put(ref.key);
	return 0;
}

/* See keyctl.h. */
long keyctl_get_security(key_serial_t id, uptr_t buf, size_t len)
{
	struct key_ref ref;
	long err = lookup_user_key(id, KEY_LOOKUP_PARTIAL, KEY_NEED_VIEW,
				   &ref);

	if (err)
		return err;
	key_put(ref.key);
	if (!uptr_null(buf) && len && copy_to_user(buf, "", 1))
		return -EFAULT;
	return 1;
}
