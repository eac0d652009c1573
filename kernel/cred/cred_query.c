/*
 * The calling task's identity and powers as services ask for them
 * (include/svc/task.h).
 */
#include <svc/task.h>
#include <kernel/task.h>

bool capable(int cap)
{
	return current->cred.euid == 0;
}

pid_t current_tgid(void)
{
	return current->tgid;
}
