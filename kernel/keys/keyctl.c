/*
 * keyctl(2), as Linux 6.1's security/keys/keyctl.c: the dispatcher and
 * the commands on keyrings and on the caller's keyring set (get an id,
 * join a session, clear, link, unlink, search, the request_key default,
 * invalidate). The commands that instantiate a key under construction
 * need the authority an upcall hands its helper; no upcall runs here, so
 * no task has one and they fail as Linux's do without it (EPERM). The
 * commands of features Aramid does not have (persistent keyrings,
 * Diffie-Hellman, asymmetric keys, restrictions, moving, capabilities,
 * watches, session-to-parent) are EOPNOTSUPP, as an unknown command is.
 * Process context.
 */
#include <kernel/task.h>
#include <kernel/syscall.h>
#include <svc/task.h>
#include <platform/heap.h>
#include <uapi/errno.h>
#include "keys.h"
#include "keyctl.h"
#include "key_uaccess.h"

#define KEY_MAX_ERRNO	4095

static long keyctl_get_keyring_id(key_serial_t id, bool create)
{
	struct key_ref ref;
	long err = lookup_user_key(id, create ? KEY_LOOKUP_CREATE : 0,
				   KEY_NEED_SEARCH, &ref);

	if (err)
		return err;
	err = ref.key->serial;
	key_put(ref.key);
	return err;
}

static long keyctl_join(uptr_t uname)
{
	char *name;
	long err;

	if (uptr_null(uname))
		return join_session_keyring(NULL);
	err = key_strndup_user(uname, KEY_MAX_DESC_SIZE, &name);
	if (err)
		return err;
	err = name[0] == '.' ? -EPERM : join_session_keyring(name);
	kfree(name);
	return err;
}

static long keyctl_clear(key_serial_t ringid)
{
	struct key_ref ref;
	long err = lookup_user_key(ringid, KEY_LOOKUP_CREATE, KEY_NEED_WRITE,
				   &ref);

	if (err)
		return err;
	err = -ENOTDIR;
	if (ref.key->type == &key_type_keyring) {
		keyring_clear(ref.key);
		err = 0;
	}
	key_put(ref.key);
	return err;
}

static long keyctl_link(key_serial_t id, key_serial_t ringid)
{
	struct key_ref ring, key;
	long err = lookup_user_key(ringid, KEY_LOOKUP_CREATE, KEY_NEED_WRITE,
				   &ring);

	if (err)
		return err;
	err = lookup_user_key(id, KEY_LOOKUP_CREATE, KEY_NEED_LINK, &key);
	if (!err) {
		err = keyring_link(ring.key, key.key);
		key_put(key.key);
	}
	key_put(ring.key);
	return err;
}

static long keyctl_unlink(key_serial_t id, key_serial_t ringid)
{
	struct key_ref ring, key;
	long err = lookup_user_key(ringid, 0, KEY_NEED_WRITE, &ring);

	if (err)
		return err;
	err = lookup_user_key(id, KEY_LOOKUP_PARTIAL, KEY_NEED_UNLINK, &key);
	if (!err) {
		err = ring.key->type == &key_type_keyring ?
		      keyring_unlink(ring.key, key.key) : -ENOTDIR;
		key_put(key.key);
	}
	key_put(ring.key);
	return err;
}

static long keyctl_search(key_serial_t ringid, uptr_t utype, uptr_t udesc,
			  key_serial_t destid)
{
	char type[KEY_TYPE_NAME_SIZE];
	struct key_ref ring, dest = { NULL, false };
	struct key_search s = {
		.flags = KSEARCH_STATE_CHECK | KSEARCH_RECURSE,
	};
	char *desc;
	long err;

	err = key_type_from_user(type, utype);
	if (err)
		return err;
	err = key_strndup_user(udesc, KEY_MAX_DESC_SIZE, &desc);
	if (err)
		return err;
	err = lookup_user_key(ringid, 0, KEY_NEED_SEARCH, &ring);
	if (err)
		goto out;
	if (destid) {
		err = lookup_user_key(destid, KEY_LOOKUP_CREATE,
				      KEY_NEED_WRITE, &dest);
		if (err)
			goto out_ring;
	}
	s.type = key_type_find(type);
	s.desc = desc;
	err = -ENOKEY;
	if (!s.type)
		goto out_dest;
	err = keyring_search(ring, &s);
	if (err == -EAGAIN)
		err = -ENOKEY;
	if (err)
		goto out_dest;
	if (dest.key) {
		err = key_permission(s.result, KEY_NEED_LINK);
		if (!err)
			err = keyring_link(dest.key, s.result.key);
	}
	if (!err)
		err = s.result.key->serial;
	key_put(s.result.key);
out_dest:
	key_put(dest.key);
out_ring:
	key_put(ring.key);
out:
	kfree(desc);
	return err;
}

static long keyctl_set_reqkey_keyring(int defl)
{
	int old = current->jit_keyring;
	int err = 0;

	switch (defl) {
	case KEY_REQKEY_DEFL_NO_CHANGE:
		return old;
	case KEY_REQKEY_DEFL_THREAD_KEYRING:
		err = install_thread_keyring();
		break;
	case KEY_REQKEY_DEFL_PROCESS_KEYRING:
		err = install_process_keyring();
		break;
	case KEY_REQKEY_DEFL_DEFAULT:
	case KEY_REQKEY_DEFL_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_USER_KEYRING:
	case KEY_REQKEY_DEFL_USER_SESSION_KEYRING:
	case KEY_REQKEY_DEFL_REQUESTOR_KEYRING:
		break;
	default:
		return -EINVAL;
	}
	if (err)
		return err;
	current->jit_keyring = defl;
	return old;
}

static long keyctl_invalidate(key_serial_t id)
{
	struct key_ref ref;
	long err = lookup_user_key(id, 0, KEY_NEED_SEARCH, &ref);

	if (err)
		return err;
	ref.key->flags |= KEY_FLAG_INVALIDATED;
	keyring_unlink_everywhere(ref.key);
	key_put(ref.key);
	return 0;
}

/*
 * KEYCTL_INSTANTIATE(_IOV), NEGATE and REJECT: Linux's checks of the
 * payload length or the error (@arg, the third argument), then EPERM.
 */
static long keyctl_instantiate_like(int cmd, unsigned long arg)
{
	if ((cmd == KEYCTL_INSTANTIATE && arg > KEY_MAX_PAYLOAD) ||
	    (cmd == KEYCTL_REJECT &&
	     (!arg || arg >= KEY_MAX_ERRNO || arg == ERESTARTSYS ||
	      arg == ERESTARTNOINTR || arg == ERESTARTNOHAND ||
	      arg == ERESTART_RESTARTBLOCK)))
		return -EINVAL;
	return -EPERM;		/* the caller holds no authorisation key */
}

static long keyctl_assume_authority(key_serial_t id)
{
	if (id < 0)
		return -EINVAL;
	return id ? -ENOKEY : 0;	/* there is no authorisation key */
}

SYSCALL(__NR_keyctl, keyctl)(SYSCALL_ARGS)
{
	key_serial_t id = (key_serial_t)a1;

	switch ((int)a0) {
	case KEYCTL_GET_KEYRING_ID:
		return keyctl_get_keyring_id(id, a2 != 0);
	case KEYCTL_JOIN_SESSION_KEYRING:
		return keyctl_join(UPTR(a1));
	case KEYCTL_UPDATE:
		return keyctl_update(id, UPTR(a2), (size_t)a3);
	case KEYCTL_REVOKE:
		return keyctl_revoke(id);
	case KEYCTL_CHOWN:
		return keyctl_chown(id, (uid_t)a2, (gid_t)a3);
	case KEYCTL_SETPERM:
		return keyctl_setperm(id, (uint32_t)a2);
	case KEYCTL_DESCRIBE:
		return keyctl_describe(id, UPTR(a2), (size_t)a3);
	case KEYCTL_CLEAR:
		return keyctl_clear(id);
	case KEYCTL_LINK:
		return keyctl_link(id, (key_serial_t)a2);
	case KEYCTL_UNLINK:
		return keyctl_unlink(id, (key_serial_t)a2);
	case KEYCTL_SEARCH:
		return keyctl_search(id, UPTR(a2), UPTR(a3),
				     (key_serial_t)a4);
	case KEYCTL_READ:
		return keyctl_read(id, UPTR(a2), (size_t)a3);
	case KEYCTL_INSTANTIATE:
	case KEYCTL_INSTANTIATE_IOV:
	case KEYCTL_NEGATE:
	case KEYCTL_REJECT:
		return keyctl_instantiate_like((int)a0, a3);
	case KEYCTL_SET_REQKEY_KEYRING:
		return keyctl_set_reqkey_keyring((int)a1);
	case KEYCTL_SET_TIMEOUT:
		return keyctl_set_timeout(id, (unsigned)a2);
	case KEYCTL_ASSUME_AUTHORITY:
		return keyctl_assume_authority(id);
	case KEYCTL_GET_SECURITY:
		return keyctl_get_security(id, UPTR(a2), (size_t)a3);
	case KEYCTL_INVALIDATE:
		return keyctl_invalidate(id);
	default:
		return -EOPNOTSUPP;
	}
}
