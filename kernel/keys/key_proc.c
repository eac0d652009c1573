/*
 * /proc/keys and /proc/key-users, rendered as Linux 6.1's
 * security/keys/proc.c does: the keys the reader may view (possession
 * counted as a key's possessor permission), in serial order, and each
 * owner's quota record, in the order they were made (Linux's are in uid
 * order; the records here are kept in a list). Process context.
 */
#include <svc/introspect.h>
#include <kernel/keys.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "keys.h"

/* The live key with the smallest serial above @after, or NULL. */
static struct key *key_after(key_serial_t after)
{
	struct key *best = NULL;

	for (struct key *k = key_next(NULL); k; k = key_next(k))
		if (k->serial > after && (!best || k->serial < best->serial))
			best = k;
	return best;
}

/* Linux's timeout column: perm, expd, or the time left in one unit. */
static void expiry_text(const struct key *key, int64_t now, char *out,
			size_t size)
{
	static const struct { int64_t secs; char unit; } units[] = {
		{ 60, 's' }, { 60 * 60, 'm' }, { 60 * 60 * 24, 'h' },
		{ 60 * 60 * 24 * 7, 'd' },
	};
	int64_t left, per = 1;
	char unit = 'w';

	if (!key->expiry) {
		strlcpy(out, "perm", size);
		return;
	}
	if (now >= key->expiry) {
		strlcpy(out, "expd", size);
		return;
	}
	left = key->expiry - now;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (left < units[i].secs) {
			unit = units[i].unit;
			break;
		}
		per = units[i].secs;
	}
	snprintf(out, size, "%lu%c", (unsigned long)(left / per), unit);
}

/* One key's line, if the reader may view it. */
static void key_line(struct key *key, int64_t now, char *buf, size_t size,
		     size_t *len)
{
	struct key_ref ref = { .key = key };
	char xbuf[16];

	if (key->perm & KEY_POS_VIEW)
		ref.possessed = key_possessed(key);
	if (key_permission(ref, KEY_NEED_VIEW))
		return;
	expiry_text(key, now, xbuf, sizeof(xbuf));
	buf_printf(buf, size, len,
		   "%08x %c%c%c%c%c%c%c %5d %4s %08x %5d %5d %-9.9s ",
		   (unsigned)key->serial, key->state ? 'I' : '-',
		   key->flags & KEY_FLAG_REVOKED ? 'R' : '-', '-',
		   key->flags & KEY_FLAG_IN_QUOTA ? 'Q' : '-', '-',
		   key->state < 0 ? 'N' : '-',
		   key->flags & KEY_FLAG_INVALIDATED ? 'i' : '-',
		   (int)key->refs, xbuf, (unsigned)key->perm, (int)key->uid,
		   (int)key->gid, key->type->name);
	if (key->type->describe)
		key->type->describe(key, buf, size, len);
	buf_printf(buf, size, len, "\n");
}

/* Linux's proc_key_users_show for @u; nikeys counts instantiated keys. */
static void user_line(const struct key_user *u, char *buf, size_t size,
		      size_t *len)
{
	unsigned nikeys = 0;

	for (struct key *k = key_next(NULL); k; k = key_next(k))
		if (k->uid == u->uid && k->state)
			nikeys++;
	buf_printf(buf, size, len, "%5u: %5u %u/%u %u/%d %lu/%d\n",
		   (unsigned)u->uid, u->nkeys, u->nkeys, nikeys, u->qnkeys,
		   u->uid ? key_limits.maxkeys : key_limits.root_maxkeys,
		   u->qnbytes,
		   u->uid ? key_limits.maxbytes : key_limits.root_maxbytes);
}

/* See introspect.h. */
ssize_t keys_proc_show(const char *name, char *buf, size_t size)
{
	size_t len = 0;

	if (!strcmp(name, "keys")) {
		int64_t now = key_now();

		for (struct key *k = key_after(0); k; k = key_after(k->serial))
			key_line(k, now, buf, size, &len);
	} else if (!strcmp(name, "key-users")) {
		for (struct key_user *u = key_user_next(NULL); u;
		     u = key_user_next(u))
			user_line(u, buf, size, &len);
	} else {
		return -ENOENT;
	}
	return (ssize_t)len;
}
