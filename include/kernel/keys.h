/*
 * The kernel key retention service (kernel/keys/) as the rest of ring 1
 * meets it: a task's keyrings across fork, exec and its end, and the
 * quota tunables /proc/sys/kernel/keys shows and sets.
 */
#pragma once
#include <aramid/types.h>

struct task;

/* kernel.keys.*: Linux 6.1's quotas (per owner's uid) and GC delay. */
struct key_limits {
	int maxkeys, maxbytes, root_maxkeys, root_maxbytes, gc_delay;
};

extern struct key_limits key_limits;

/*
 * New task @child of @parent: it shares its creator's session keyring
 * and request_key default and starts with no thread keyring, as Linux's
 * copy_creds; a new thread shares its process's keyring (the leader's),
 * a new process has none. Cannot fail.
 */
void keys_fork(struct task *child, const struct task *parent);
/* current execs: its thread and process keyrings go (prepare_exec_creds). */
void keys_exec(void);
/* Reaped task @t lets go of its keyrings. */
void keys_release(struct task *t);
