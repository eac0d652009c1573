/*
 * The System V IPC tunables of /proc/sys/kernel, as Linux 6.1's
 * ipc/ipc_sysctl.c: shmmax and shmall (unsigned longs), shmmni, msgmax,
 * msgmnb and msgmni (ints; the id counts 0..IPCMNI), sem's four ints,
 * semmsl semmns semopm semmni, tab-separated, and the checkpoint/restore
 * ids shm_next_id, sem_next_id and msg_next_id (-1 until one is set; the
 * next new object takes it). Process context.
 */
#include <kernel/ipc.h>
#include <svc/task.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "sysctl.h"

static int show_int(char *buf, size_t size, int v)
{
	char t[16];

	snprintf(t, sizeof(t), "%d", v);
	return show_text(buf, size, t);
}

static int show_ulong(char *buf, size_t size, unsigned long v)
{
	char t[24];

	snprintf(t, sizeof(t), "%lu", v);
	return show_text(buf, size, t);
}

/* One int of @buf within [min, max] into *@out: 0 or -EINVAL. */
static int store_int(const char *buf, size_t len, int *out, int min, int max)
{
	int v, err = parse_int(buf, len, &v);

	if (err || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* As proc_doulongvec_minmax for one value: 0 or -EINVAL. */
static int store_ulong(const char *buf, size_t len, unsigned long *out)
{
	unsigned long v = 0;
	size_t i = 0;
	bool digits = false;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		unsigned d = (unsigned)(buf[i] - '0');

		if (v > (~0UL - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		digits = true;
	}
	while (i < len && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n'))
		i++;
	if (!digits || i != len)
		return -EINVAL;
	*out = v;
	return 0;
}

#define IPC_INT(name, min, max)						\
int name##_show(char *buf, size_t size)					\
{									\
	return show_int(buf, size, ipc_limits.name);			\
}									\
int name##_store(const char *buf, size_t len)				\
{									\
	return store_int(buf, len, &ipc_limits.name, min, max);		\
}

#define IPC_ULONG(name)							\
int name##_show(char *buf, size_t size)					\
{									\
	return show_ulong(buf, size, ipc_limits.name);			\
}									\
int name##_store(const char *buf, size_t len)				\
{									\
	return store_ulong(buf, len, &ipc_limits.name);			\
}

IPC_ULONG(shmmax)
IPC_ULONG(shmall)
IPC_INT(shmmni, 0, IPCMNI)
IPC_INT(msgmax, 0, 0x7fffffff)
IPC_INT(msgmnb, 0, 0x7fffffff)
IPC_INT(msgmni, 0, IPCMNI)
/* Linux's checkpoint_restore_ns_capable guards the *_next_id writes. */
#define IPC_NEXT_ID(name)						\
int name##_show(char *buf, size_t size)					\
{									\
	return show_int(buf, size, ipc_limits.name);			\
}									\
int name##_store(const char *buf, size_t len)				\
{									\
	if (!capable(CAP_SYS_ADMIN) &&					\
	    !capable(CAP_CHECKPOINT_RESTORE))				\
		return -EPERM;						\
	return store_int(buf, len, &ipc_limits.name, 0, 0x7fffffff);	\
}

IPC_NEXT_ID(shm_next_id)
IPC_NEXT_ID(sem_next_id)
IPC_NEXT_ID(msg_next_id)

int sem_show(char *buf, size_t size)
{
	char t[48];

	snprintf(t, sizeof(t), "%d\t%d\t%d\t%d", ipc_limits.semmsl,
		 ipc_limits.semmns, ipc_limits.semopm, ipc_limits.semmni);
	return show_text(buf, size, t);
}

/* Up to four blank-separated ints; semmni must stay within 0..IPCMNI. */
int sem_store(const char *buf, size_t len)
{
	int v[4] = { ipc_limits.semmsl, ipc_limits.semmns, ipc_limits.semopm,
		     ipc_limits.semmni };
	size_t i = 0;
	int n = 0;

	while (i < len) {
		size_t start, end;

		while (i < len && (buf[i] == ' ' || buf[i] == '\t' ||
				   buf[i] == '\n'))
			i++;
		if (i == len)
			break;
		start = i;
		while (i < len && buf[i] != ' ' && buf[i] != '\t' &&
		       buf[i] != '\n')
			i++;
		end = i;
		if (n == 4 || parse_int(buf + start, end - start, &v[n]))
			return -EINVAL;
		n++;
	}
	if (!n || v[3] < 0 || v[3] > IPCMNI)
		return -EINVAL;
	ipc_limits.semmsl = v[0];
	ipc_limits.semmns = v[1];
	ipc_limits.semopm = v[2];
	ipc_limits.semmni = v[3];
	return 0;
}
