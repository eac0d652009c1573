/*
 * The calling task's identity and powers as services ask for them
 * (include/svc/task.h).
 */
#include <svc/task.h>
#include <kernel/task.h>
#include <kernel/cred.h>
#include <aramid/string.h>

_Static_assert(CURRENT_COMM_LEN == TASK_COMM_LEN, "a comm fits");

bool capable(int cap)
{
	return cred_capable(&current->cred, cap);
}

pid_t current_tgid(void)
{
	return current->tgid;
}

void current_comm(char buf[CURRENT_COMM_LEN])
{
	strlcpy(buf, current->comm, CURRENT_COMM_LEN);
}
