/*
 * /proc/sysvipc/shm, sem and msg in Linux 6.1's format: a header line,
 * then one line per object in index order, every object listed whatever
 * its permissions (as Linux's). procfs asks through
 * include/svc/introspect.h. Process context.
 */
#include <svc/introspect.h>
#include <aramid/string.h>
#include <uapi/errno.h>
#include "ipc_proc.h"

static void shm_line(char *buf, size_t size, size_t *len,
		     const struct ipc_shm_info *s)
{
	buf_printf(buf, size, len,
	    "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu"
	    " %10llu %10llu %21lu %21lu\n", s->perm->key,
	    s->perm->id, s->perm->mode, s->segsz, s->cpid, s->lpid,
	    s->nattch, s->perm->uid, s->perm->gid, s->perm->cuid,
	    s->perm->cgid, (unsigned long long)s->atime,
	    (unsigned long long)s->dtime, (unsigned long long)s->ctime, s->rss,
	    0UL);
}

static void sem_line(char *buf, size_t size, size_t *len,
		     const struct ipc_sem_info *s)
{
	buf_printf(buf, size, len,
	    "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n",
	    s->perm->key, s->perm->id, s->perm->mode, s->nsems,
	    s->perm->uid, s->perm->gid, s->perm->cuid, s->perm->cgid,
	    (unsigned long long)s->otime, (unsigned long long)s->ctime);
}

static void msg_line(char *buf, size_t size, size_t *len,
		     const struct ipc_msg_info *m)
{
	buf_printf(buf, size, len,
	    "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu"
	    " %10llu %10llu\n", m->perm->key, m->perm->id,
	    m->perm->mode, m->cbytes, m->qnum, m->lspid, m->lrpid,
	    m->perm->uid, m->perm->gid, m->perm->cuid, m->perm->cgid,
	    (unsigned long long)m->stime, (unsigned long long)m->rtime,
	    (unsigned long long)m->ctime);
}

/* See introspect.h. */
ssize_t sysvipc_proc_show(const char *name, char *buf, size_t size)
{
	size_t len = 0;

	if (!strcmp(name, "shm")) {
		struct ipc_shm_info s;

		buf_printf(buf, size, &len, "       key      shmid perms"
		    "                  size  cpid  lpid nattch   uid   gid"
		    "  cuid  cgid      atime      dtime      ctime"
		    "                   rss                  swap\n");
		for (int i = 0; shm_proc_info(i, &s); i++)
			shm_line(buf, size, &len, &s);
	} else if (!strcmp(name, "sem")) {
		struct ipc_sem_info s;

		buf_printf(buf, size, &len, "       key      semid perms"
		    "      nsems"
		    "   uid   gid  cuid  cgid      otime      ctime\n");
		for (int i = 0; sem_proc_info(i, &s); i++)
			sem_line(buf, size, &len, &s);
	} else if (!strcmp(name, "msg")) {
		struct ipc_msg_info m;

		buf_printf(buf, size, &len, "       key      msqid perms"
		    "      cbytes"
		    "       qnum lspid lrpid   uid   gid  cuid  cgid      stime"
		    "      rtime      ctime\n");
		for (int i = 0; msg_proc_info(i, &m); i++)
			msg_line(buf, size, &len, &m);
	} else {
		return -ENOENT;
	}
	return (ssize_t)MIN(len, size);
}
