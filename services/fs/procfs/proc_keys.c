/*
 * /proc/keys and /proc/key-users: the key retention service's keys and
 * quota records as the kernel renders them when read (keys_proc_show,
 * kernel/keys/).
 */
#include "procfs.h"

static int keys_show(struct proc_buf *b, struct task *t)
{
	return proc_show_generated(b, "keys", keys_proc_show);
}

static int key_users_show(struct proc_buf *b, struct task *t)
{
	return proc_show_generated(b, "key-users", keys_proc_show);
}

const struct proc_entry proc_keys_entry = {
	.name = "keys", .kind = PROC_KEYS, .mode = S_IFREG | 0444,
	.show = keys_show,
};

const struct proc_entry proc_key_users_entry = {
	.name = "key-users", .kind = PROC_KEY_USERS, .mode = S_IFREG | 0444,
	.show = key_users_show,
};
