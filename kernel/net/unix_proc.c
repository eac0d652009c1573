/*
 * /proc/net/unix: every AF_UNIX socket, embryos included, in the format
 * of Linux's unix_seq_show (read by netstat -x). The kernel address
 * column is printed as zeros, as Linux does when it hides kernel
 * pointers (kptr_restrict).
 */
#include "unix.h"
#include <aramid/string.h>

#define SO_ACCEPTCON	(1 << 16)	/* Linux's __SO_ACCEPTCON */
#define SS_UNCONNECTED	1
#define SS_CONNECTING	2
#define SS_CONNECTED	3
#define SS_DISCONNECTING 4

/* The bound name as Linux prints it: abstract ones with '@' for NULs. */
static void put_name(char *buf, size_t size, size_t *len,
		     const struct unix_addr *addr)
{
	const char *path = addr->name + SUN_PATH_OFFSET;
	int n = addr->len - SUN_PATH_OFFSET, i = 0;

	if (path[0]) {
		n--;		/* the path's NUL */
		buf_printf(buf, size, len, " ");
	} else {
		buf_printf(buf, size, len, " @");
		i = 1;
	}
	for (; i < n; i++)
		buf_printf(buf, size, len, "%c", path[i] ? path[i] : '@');
}

ssize_t unix_proc_show(char *buf, size_t size)
{
	struct unix_sock *u;
	size_t len = 0;

	buf_printf(buf, size, &len,
	    "Num       RefCount Protocol Flags    Type St Inode Path\n");
	list_for_each_entry(u, &unix_socks, all_link) {
		bool established = u->state == UNIX_CONNECTED;
		int st = u->sock ?
			(established ? SS_CONNECTED : SS_UNCONNECTED) :
			(established ? SS_CONNECTING : SS_DISCONNECTING);

		buf_printf(buf, size, &len,
		    "%016x: %08X %08X %08X %04X %02X %5lu", 0, (unsigned)u->refcount, 0u,
		    u->state == UNIX_LISTENING ? SO_ACCEPTCON : 0u,
		    (unsigned)u->type, (unsigned)st,
		    u->sock ? (unsigned long)u->sock->inode->ino : 0UL);
		if (u->addr)
			put_name(buf, size, &len, u->addr);
		buf_printf(buf, size, &len, "\n");
	}
	return (ssize_t)len;
}
