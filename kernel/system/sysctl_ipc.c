/*
 * kernel.sem, the System V IPC tunable that is four numbers, as Linux
 * 6.1's ipc/ipc_sysctl.c: semmsl, semmns, semopm and semmni,
 * tab-separated. The IPC tunables that are one number each (shmmax,
 * shmall, shmmni, msgmax, msgmnb, msgmni and the *_next_id) are entries
 * of sysctl.c's table. Process context.
 */
#include <kernel/ipc.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sysctl.h"

/* See sysctl.h. */
int sem_show(char *buf, size_t size)
{
	char t[48];

	snprintf(t, sizeof(t), "%d\t%d\t%d\t%d", ipc_limits.semmsl,
		 ipc_limits.semmns, ipc_limits.semopm, ipc_limits.semmni);
	return show_text(buf, size, t);
}

/* See sysctl.h. */
int sem_store(const char *buf, size_t len)
{
	int v[4] = { ipc_limits.semmsl, ipc_limits.semmns, ipc_limits.semopm,
		     ipc_limits.semmni };
	int n = parse_int_list(buf, len, v, 4);

	if (n < 0 || v[3] < 0 || v[3] > IPCMNI)
		return -EINVAL;
	ipc_limits.semmsl = v[0];
	ipc_limits.semmns = v[1];
	ipc_limits.semopm = v[2];
	ipc_limits.semmni = v[3];
	return 0;
}
