/*
 * Private to kernel/keys/: the key retention service as Linux 6.1's
 * security/keys/ has it. A key has a serial number, a type, a
 * description, an owner, a permission mask, a state (positive, or
 * negative with an error) and a payload; a keyring is a key whose
 * payload is links to other keys. Keys live while referenced (links,
 * the tasks' keyrings, callers) and are freed with their last
 * reference; the owner's uid is charged for each (kernel.keys quotas).
 * One CPU, no preemption inside the kernel, nothing here sleeps: no
 * locks.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>
#include <uapi/keyctl.h>

#define KEY_MAX_DESC_SIZE	4096
#define KEY_TYPE_NAME_SIZE	32
#define KEY_MAX_PAYLOAD		(1024 * 1024 - 1)	/* add_key's plen */
#define KEY_NEGATIVE_TIMEOUT	60	/* seconds a failed request lasts */
#define KEYRING_SEARCH_MAX_DEPTH 6

/* key.flags */
#define KEY_FLAG_REVOKED	0x01
#define KEY_FLAG_INVALIDATED	0x02
#define KEY_FLAG_IN_QUOTA	0x04
#define KEY_FLAG_UID_KEYRING	0x08	/* a user's _uid.N or _uid_ses.N */

/* The access a caller needs (Linux's enum key_need_perm). */
enum key_need {
	KEY_NEED_VIEW = KEY_OTH_VIEW,
	KEY_NEED_READ = KEY_OTH_READ,
	KEY_NEED_WRITE = KEY_OTH_WRITE,
	KEY_NEED_SEARCH = KEY_OTH_SEARCH,
	KEY_NEED_LINK = KEY_OTH_LINK,
	KEY_NEED_SETATTR = KEY_OTH_SETATTR,
	KEY_NEED_UNLINK = 0x100,	/* no check on the key itself */
	KEY_DEFER_PERM = 0x200,		/* the caller checks */
};

struct key;

/* What add_key or an update hands a type (Linux's key_preparsed_payload). */
struct key_prep {
	const void *data;
	size_t datalen;
	size_t quotalen;	/* what the payload costs against maxbytes */
};

/* A key type (Linux's struct key_type), for the ones Aramid has. */
struct key_type {
	const char *name;
	/* 0, or -EINVAL for a description the type refuses (logon's). */
	int (*vet_description)(const char *desc);
	/* Check @prep's payload and set its quotalen: 0 or -EINVAL. */
	int (*preparse)(struct key_prep *prep);
	/* Give @key the payload: 0, -ENOMEM or -EDQUOT. */
	int (*instantiate)(struct key *key, const struct key_prep *prep);
	/* Replace the payload (NULL: the type cannot, EEXIST/EOPNOTSUPP). */
	int (*update)(struct key *key, const struct key_prep *prep);
	/*
	 * The payload's length, copying min(@len, it) bytes into @buf
	 * (NULL: none); NULL op: the type cannot be read (EOPNOTSUPP).
	 */
	long (*read)(const struct key *key, char *buf, size_t len);
	/* KEYCTL_REVOKE or KEYCTL_CLEAR: drop the payload. */
	void (*revoke)(struct key *key);
	/* The key is being freed: free the payload. */
	void (*destroy)(struct key *key);
	/*
	 * /proc/keys' last column for @key, appended to @buf of @size at
	 * *@len as buf_printf does (Linux's describe op).
	 */
	void (*describe)(const struct key *key, char *buf, size_t size,
			 size_t *len);
};

/* The quota of one owner uid (Linux's key_user). */
struct key_user {
	struct list_head link;
	uid_t uid;
	unsigned nkeys;			/* keys owned, alive */
	unsigned qnkeys;		/* keys charged */
	unsigned long qnbytes;		/* bytes charged */
};

struct key {
	struct list_head link;		/* all keys */
	key_serial_t serial;
	unsigned refs;
	const struct key_type *type;
	char *description;
	uid_t uid;
	gid_t gid;
	uint32_t perm;
	unsigned flags;			/* KEY_FLAG_* */
	int state;			/* 1: positive, < 0: negative's error */
	int64_t expiry;			/* CLOCK_REALTIME seconds; 0: never */
	struct key_user *user;		/* charged, if KEY_FLAG_IN_QUOTA */
	size_t quotalen;		/* bytes charged to user */
	size_t datalen;
	void *payload;			/* user and logon: the data */
	struct key **links;		/* keyring: each holds a reference */
	unsigned nlinks, maxlinks;
};

/* A key reference and whether the caller possesses it (key_ref_t). */
struct key_ref {
	struct key *key;
	bool possessed;
};

extern const struct key_type key_type_keyring, key_type_user,
	key_type_logon;

/* key.c: the key objects. */
/* The type called @name, or NULL (ENODEV: no such type here). */
const struct key_type *key_type_find(const char *name);
/*
 * A new uninstantiated key of @type and @desc owned by @uid/@gid with
 * @perm, charged to @uid unless @overrun lets it pass the quota (Linux's
 * KEY_ALLOC_QUOTA_OVERRUN): a reference, or the type's -EINVAL for the
 * description, -EDQUOT, -ENOMEM.
 */
int key_alloc(const struct key_type *type, const char *desc, uid_t uid,
	      gid_t gid, uint32_t perm, bool overrun, struct key **out);
void key_get(struct key *key);
/* Drop a reference; the last frees the key (and its links). */
void key_put(struct key *key);
/* The live key with @serial with a reference, or NULL. */
struct key *key_find_serial(key_serial_t serial);
/*
 * Linux's key_payload_reserve: charge @key's owner for a payload of
 * @datalen bytes instead of the one before: 0 or -EDQUOT.
 */
int key_payload_reserve(struct key *key, size_t datalen);
/*
 * Give @key to @uid, moving its quota charge (KEYCTL_CHOWN): 0, -ENOMEM,
 * or -EDQUOT if @uid's quota cannot take it.
 */
int key_chown_user(struct key *key, uid_t uid);
/* Linux's key_validate: 0, -ENOKEY, -EKEYREVOKED or -EKEYEXPIRED. */
int key_validate(const struct key *key);
/* Give @key its payload from @prep (positive from then on). */
int key_instantiate(struct key *key, const struct key_prep *prep);
/* Make @key negative with @error for @timeout seconds. */
void key_negate(struct key *key, int error, unsigned timeout);
/* KEYCTL_REVOKE's work. */
void key_revoke(struct key *key);
/*
 * Linux's key_task_permission for the caller: 0 or -EACCES.
 * (KEY_NEED_UNLINK and KEY_DEFER_PERM always pass.)
 */
int key_permission(struct key_ref ref, enum key_need need);
/* The wall clock in seconds. */
int64_t key_now(void);
/* The first live key after @prev in creation order (for iteration). */
struct key *key_next(struct key *prev);
/*
 * The quota records after @prev (NULL: the first) in the order they
 * were made, for /proc/key-users; NULL after the last.
 */
struct key_user *key_user_next(struct key_user *prev);

/* keyring.c: keyrings. */
/*
 * A new keyring called @desc (NULL: none) owned by @uid/@gid with @perm:
 * a reference, or key_alloc's errors. Named keyrings can be found by
 * name (find_keyring_by_name) unless their name starts with '.'.
 */
int keyring_alloc(const char *desc, uid_t uid, gid_t gid, uint32_t perm,
		  bool overrun, struct key **out);
/*
 * Link @key into @keyring, replacing a link to a key of the same type
 * and description: 0, -ENOTDIR, -EDEADLK (a cycle or too deep),
 * -EDQUOT (the keyring's owner pays 4 bytes a link), -ENOMEM.
 */
int keyring_link(struct key *keyring, struct key *key);
/* Unlink @key from @keyring: 0, or -ENOENT if it is not there. */
int keyring_unlink(struct key *keyring, struct key *key);
/* Drop every link of @keyring. */
void keyring_clear(struct key *keyring);
/* Take @key out of every keyring (KEYCTL_INVALIDATE). */
void keyring_unlink_everywhere(struct key *key);
/* The key of @type and @desc linked directly in @keyring, or NULL. */
struct key *keyring_find_direct(struct key *keyring,
				const struct key_type *type, const char *desc);

/* How keyring_search matches (Linux's keyring_search_context flags). */
#define KSEARCH_STATE_CHECK	0x1	/* skip revoked, negative... */
#define KSEARCH_SKIP_EXPIRED	0x2	/* silently skip expired keys */
#define KSEARCH_NO_PERM_CHECK	0x4
#define KSEARCH_RECURSE		0x8

struct key_search {
	const struct key_type *type;
	const char *desc;		/* match by description, or */
	const struct key *target;	/* by identity */
	unsigned flags;			/* KSEARCH_* */
	int64_t now;
	struct key_ref result;		/* found: key set (a reference) */
	int error;			/* else what was passed on the way */
};

/*
 * Linux's keyring_search_rcu of @ref: 0 with s->result set, or -ENOTDIR,
 * -EACCES (the keyring is not searchable), or the error passed on the
 * way (-EAGAIN if nothing was: not found).
 */
int keyring_search(struct key_ref ref, struct key_search *s);
/*
 * A named keyring the caller may search (or, @uid_keyring, a user's
 * keyring of that name), not revoked, with a reference; NULL: ENOKEY.
 */
struct key *find_keyring_by_name(const char *name, bool uid_keyring);

/* process_keys.c: the caller's keyrings. */
#define KEY_LOOKUP_CREATE	0x01
#define KEY_LOOKUP_PARTIAL	0x02

/*
 * Linux's lookup_user_key: the key @id names (a serial or a KEY_SPEC_*
 * keyring, made if need be under KEY_LOOKUP_CREATE) with a reference,
 * checked for @need: 0, -EINVAL, -ENOKEY, -EKEYREVOKED, -EKEYEXPIRED,
 * -EACCES, -ENOMEM, -EDQUOT.
 */
int lookup_user_key(key_serial_t id, unsigned lflags, enum key_need need,
		    struct key_ref *out);
/*
 * Search the caller's thread, process and session keyrings (Linux's
 * search_process_keyrings_rcu): 0 with s->result, or -EAGAIN (nothing
 * found), -ENOKEY (a negative key), -EACCES...
 */
int search_process_keyrings(struct key_search *s);
/* Whether the caller possesses @key (found from its keyrings). */
bool key_possessed(const struct key *key);
/*
 * The caller's user keyring (@session false) or user session keyring,
 * made if need be, with a reference: 0 or -errno (look_up_user_keyrings).
 */
int user_keyring(bool session, struct key **out);
/*
 * Join a new anonymous session keyring (@name NULL) or the one named
 * @name, made if none: its serial, or -errno (join_session_keyring).
 */
long join_session_keyring(const char *name);
/* Make the caller's thread or process keyring if it has none: 0 or -errno. */
int install_thread_keyring(void);
int install_process_keyring(void);

/* request_key.c */
/*
 * Linux's request_key_and_link: the key of @type and @desc found from
 * the caller's keyrings (linked into @dest if given), or made and
 * constructed with @callout (NULL: -ENOKEY instead): a reference, or
 * -errno. Construction needs the /sbin/request-key upcall, which Aramid
 * cannot run: it fails as Linux's does when the helper is missing
 * (-ENOENT), leaving a negative key in the destination keyring.
 */
int request_key_and_link(const struct key_type *type, const char *desc,
			 const char *callout, struct key *dest,
			 struct key **out);
