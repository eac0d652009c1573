/*
 * The calling task's identity and powers as services ask for them
 * (include/svc/task.h).
 */
#include <svc/task.h>
#include <kernel/task.h>
#include <kernel/cred.h>

bool capable(int cap)
{
	return cred_capable(&current->cred, cap);
}

pid_t current_tgid(void)
{
	return current->tgid;
}
