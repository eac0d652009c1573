/*
 * The caller's keyrings, as Linux 6.1's security/keys/process_keys.c:
 * the thread, process and session keyrings (made on demand), each
 * user's _uid.N and _uid_ses.N keyrings (kept for good, as Linux's
 * per-namespace register keeps them), joining a session keyring, the
 * search through all of them that decides possession, and
 * lookup_user_key, which turns a serial or a KEY_SPEC_* id into a key
 * checked for the access asked. Also the keyrings' part of fork, exec
 * and a task's end. Process context.
 */
#include <kernel/keys.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"

/* One user's keyrings (Linux's user keyring register). */
struct user_keyrings {
	struct list_head link;
	uid_t uid;
	struct key *user, *session;	/* references, kept */
};

static LIST_HEAD(user_keyrings);

static struct user_keyrings *user_keyrings_find(uid_t uid)
{
	struct user_keyrings *u;

	list_for_each_entry(u, &user_keyrings, link) {
		if (u->uid == uid)
			return u;
	}
	return NULL;
}

/* See keys.h. */
int user_keyring(bool session, struct key **out)
{
	uid_t uid = current->cred.uid;
	struct user_keyrings *u = user_keyrings_find(uid);
	uint32_t perm = (KEY_POS_ALL & ~KEY_POS_SETATTR) | KEY_USR_ALL;
	char name[24];
	int err;

	if (!u) {
		u = kzalloc(sizeof(*u));
		if (!u)
			return -ENOMEM;
		snprintf(name, sizeof(name), "_uid.%u", uid);
		err = keyring_alloc(name, uid, (gid_t)-1, perm, false, &u->user);
		if (err)
			goto err_free;
		snprintf(name, sizeof(name), "_uid_ses.%u", uid);
		err = keyring_alloc(name, uid, (gid_t)-1, perm, false,
				    &u->session);
		if (!err)
			err = keyring_link(u->session, u->user);
		if (err)
			goto err_put;
		u->user->flags |= KEY_FLAG_UID_KEYRING;
		u->session->flags |= KEY_FLAG_UID_KEYRING;
		u->uid = uid;
		list_add_tail(&u->link, &user_keyrings);
	}
	*out = session ? u->session : u->user;
	key_get(*out);
	return 0;

err_put:
	key_put(u->session);
	key_put(u->user);
err_free:
	kfree(u);
	return err;
}

/* A new keyring for the caller's thread, process or session. */
static int new_task_keyring(const char *name, uint32_t perm, struct key **out)
{
	return keyring_alloc(name, current->cred.uid, current->cred.gid, perm,
			     true, out);
}

/* See keys.h. */
int install_thread_keyring(void)
{
	if (current->thread_keyring)
		return 0;
	return new_task_keyring("_tid", KEY_POS_ALL | KEY_USR_VIEW,
				&current->thread_keyring);
}

/* See keys.h. */
int install_process_keyring(void)
{
	struct task *leader = task_leader(current);

	if (leader->process_keyring)
		return 0;
	return new_task_keyring("_pid", KEY_POS_ALL | KEY_USR_VIEW,
				&leader->process_keyring);
}

/* Make @keyring (a reference, which moves in) the caller's session's. */
static void install_session(struct key *keyring)
{
	key_put(current->session_keyring);
	current->session_keyring = keyring;
}

/* See keys.h. */
long join_session_keyring(const char *name)
{
	struct key *keyring;
	int err;

	if (!name) {
		err = new_task_keyring("_ses", KEY_POS_ALL | KEY_USR_VIEW |
				       KEY_USR_READ, &keyring);
		if (err)
			return err;
		install_session(keyring);
		return keyring->serial;
	}
	keyring = find_keyring_by_name(name, false);
	if (!keyring) {
		err = keyring_alloc(name, current->cred.uid, current->cred.gid,
				    KEY_POS_ALL | KEY_USR_VIEW | KEY_USR_READ |
				    KEY_USR_LINK, false, &keyring);
		if (err)
			return err;
	} else if (keyring == current->session_keyring) {
		key_put(keyring);
		return 0;
	}
	install_session(keyring);
	return keyring->serial;
}

/* See keys.h. */
int search_process_keyrings(struct key_search *s)
{
	struct key *rings[3] = {
		current->thread_keyring,
		task_leader(current)->process_keyring,
		current->session_keyring,
	};
	struct user_keyrings *u = user_keyrings_find(current->cred.uid);
	int ret = 0, err = -EAGAIN;

	if (!rings[2] && u)
		rings[2] = u->session;
	for (int i = 0; i < 3; i++) {
		int r;

		if (!rings[i])
			continue;
		r = keyring_search((struct key_ref){ rings[i], true }, s);
		if (!r)
			return 0;
		if (r == -EAGAIN || r == -ENOKEY)
			ret = r;
		else
			err = r;
	}
	return ret ? ret : err;
}

/* See keys.h. */
bool key_possessed(const struct key *key)
{
	struct key_search s = {
		.type = key->type,
		.target = key,
		.flags = KSEARCH_RECURSE,
	};

	if (search_process_keyrings(&s))
		return false;
	key_put(s.result.key);
	return true;
}

/*
 * The caller's session keyring for lookup_user_key, as Linux: without
 * one it gets its user session keyring, or with @create a new
 * anonymous one, which also replaces the user session keyring then.
 */
static int session_keyring(bool create, struct key **out)
{
	struct key *us;
	long r;
	int err;

	if (!current->session_keyring ||
	    (create && user_keyrings_find(current->cred.uid) &&
	     current->session_keyring ==
	     user_keyrings_find(current->cred.uid)->session)) {
		err = user_keyring(true, &us);
		if (err)
			return err;
		if (create) {
			key_put(us);
			r = join_session_keyring(NULL);
			if (r < 0)
				return (int)r;
		} else {
			install_session(us);
		}
	}
	*out = current->session_keyring;
	key_get(*out);
	return 0;
}

/* The key a KEY_SPEC_* @id names for the caller, with a reference. */
static int special_keyring(key_serial_t id, bool create, struct key **out)
{
	struct key **slot;
	int err;

	switch (id) {
	case KEY_SPEC_THREAD_KEYRING:
	case KEY_SPEC_PROCESS_KEYRING:
		slot = id == KEY_SPEC_THREAD_KEYRING ?
		       &current->thread_keyring :
		       &task_leader(current)->process_keyring;
		if (!*slot && !create)
			return -ENOKEY;
		err = id == KEY_SPEC_THREAD_KEYRING ?
		      install_thread_keyring() : install_process_keyring();
		if (err)
			return err;
		*out = *slot;
		key_get(*out);
		return 0;
	case KEY_SPEC_SESSION_KEYRING:
		return session_keyring(create, out);
	case KEY_SPEC_USER_KEYRING:
	case KEY_SPEC_USER_SESSION_KEYRING:
		return user_keyring(id == KEY_SPEC_USER_SESSION_KEYRING, out);
	case KEY_SPEC_REQKEY_AUTH_KEY:
	case KEY_SPEC_REQUESTOR_KEYRING:
		/* No upcall ever runs: no task holds an authorisation key. */
		return -ENOKEY;
	default:
		return -EINVAL;
	}
}

/* See keys.h. */
int lookup_user_key(key_serial_t id, unsigned lflags, enum key_need need,
		    struct key_ref *out)
{
	struct key_ref ref;
	int err;

	if (id < 0) {
		err = special_keyring(id, lflags & KEY_LOOKUP_CREATE, &ref.key);
		if (err)
			return err;
		ref.possessed = true;
	} else {
		if (id == 0)
			return -EINVAL;
		ref.key = key_find_serial(id);
		if (!ref.key)
			return -ENOKEY;
		ref.possessed = key_possessed(ref.key);
	}
	if (need != KEY_NEED_UNLINK) {
		if (!(lflags & KEY_LOOKUP_PARTIAL))
			err = ref.key->state < 0 ? ref.key->state :
			      key_validate(ref.key);
		else
			err = key_validate(ref.key);
		if (err && need != KEY_DEFER_PERM)
			goto err_put;
	}
	err = key_permission(ref, need);
	if (err)
		goto err_put;
	*out = ref;
	return 0;

err_put:
	key_put(ref.key);
	return err;
}

/* See include/kernel/keys.h. */
void keys_fork(struct task *child, const struct task *parent)
{
	child->thread_keyring = NULL;
	child->process_keyring = NULL;
	child->session_keyring = parent->session_keyring;
	if (child->session_keyring)
		key_get(child->session_keyring);
	child->jit_keyring = parent->jit_keyring;
}

/* See include/kernel/keys.h. */
void keys_exec(void)
{
	struct task *leader = task_leader(current);

	key_put(current->thread_keyring);
	current->thread_keyring = NULL;
	key_put(leader->process_keyring);
	leader->process_keyring = NULL;
}

/* See include/kernel/keys.h. */
void keys_release(struct task *t)
{
	key_put(t->thread_keyring);
	key_put(t->process_keyring);
	key_put(t->session_keyring);
	t->thread_keyring = t->process_keyring = t->session_keyring = NULL;
}
