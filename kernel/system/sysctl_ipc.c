/*
 * kernel.sem, the System V IPC tunable that is four numbers, as Linux
 * 6.1's ipc/ipc_sysctl.c: semmsl, semmns, semopm and semmni,
 * tab-separated; and kernel.shm_rmid_forced, whose setting acts. Each IPC
 * namespace has its own (the caller's shows). The IPC tunables that are
 * one number each (shmmax, shmall, shmmni, msgmax, msgmnb, msgmni and
 * the *_next_id) are entries of sysctl.c's table. Process context.
 */
#include <kernel/ipc.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sysctl.h"

/* See sysctl.h. */
int sem_show(char *buf, size_t size)
{
	const struct ipc_limits *lim = current_ipc_limits();
	char t[48];

	snprintf(t, sizeof(t), "%d\t%d\t%d\t%d", lim->semmsl,
		 lim->semmns, lim->semopm, lim->semmni);
	return show_text(buf, size, t);
}

/* See sysctl.h. */
int sem_store(const char *buf, size_t len)
{
	struct ipc_limits *lim = current_ipc_limits();
	int v[4] = { lim->semmsl, lim->semmns, lim->semopm,
		     lim->semmni };
	int n = parse_int_list(buf, len, v, 4);

	if (n < 0 || v[3] < 0 || v[3] > IPCMNI)
		return -EINVAL;
	lim->semmsl = v[0];
	lim->semmns = v[1];
	lim->semopm = v[2];
	lim->semmni = v[3];
	return 0;
}

/* See sysctl.h. */
int shm_rmid_forced_show(char *buf, size_t size)
{
	char t[16];

	snprintf(t, sizeof(t), "%d", current_ipc_limits()->shm_rmid_forced);
	return show_text(buf, size, t);
}

/* See sysctl.h. */
int shm_rmid_forced_store(const char *buf, size_t len)
{
	int v;

	if (parse_int(buf, len, &v) || v < 0 || v > 1)
		return -EINVAL;
	current_ipc_limits()->shm_rmid_forced = v;
	if (v)
		shm_destroy_orphaned();
	return 0;
}
