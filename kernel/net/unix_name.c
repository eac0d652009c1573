/*
 * AF_UNIX names: binding a socket to a filesystem path (an S_IFSOCK node
 * made through the VFS) or to a name in the abstract namespace (leading
 * NUL byte), autobind, and finding the socket bound at an address.
 */
#include "unix.h"
#include <platform/heap.h>
#include <aramid/string.h>
#include <uapi/fcntl.h>

#define AUTOBIND_LEN	(SUN_PATH_OFFSET + 6)	/* NUL and five hex digits */

/* Every socket with a name, for connect and sendto. */
static LIST_HEAD(bound);

void unix_addr_put(struct unix_addr *addr)
{
	if (addr && --addr->refcount == 0)
		kfree(addr);
}

static struct unix_addr *unix_addr_new(const void *name, int len)
{
	struct unix_addr *addr = kzalloc(sizeof(*addr));

	if (!addr)
		return NULL;
	addr->refcount = 1;
	addr->len = len;
	memcpy(addr->name, name, (size_t)len);
	return addr;
}

/* See unix.h. */
int unix_validate_addr(const void *addr, int len)
{
	sa_family_t family;

	if (len <= SUN_PATH_OFFSET || len > (int)sizeof(struct sockaddr_un))
		return -EINVAL;
	memcpy(&family, addr, sizeof(family));
	return family == AF_UNIX ? 0 : -EINVAL;
}

/* True if @addr (already validated) names a filesystem path. */
static bool is_path(const char *addr)
{
	return addr[SUN_PATH_OFFSET] != 0;
}

/*
 * The path of a filesystem address, NUL-terminated in @buf (one byte
 * longer than the largest sockaddr_un): the address length Linux
 * records for it, up to and including the NUL.
 */
static int path_of(const char *addr, int len, char *buf)
{
	memcpy(buf, addr + SUN_PATH_OFFSET, (size_t)(len - SUN_PATH_OFFSET));
	buf[len - SUN_PATH_OFFSET] = 0;
	return SUN_PATH_OFFSET + (int)strlen(buf) + 1;
}

/* The inode a path resolves to, with a reference, or an ERR_PTR. */
static struct inode *path_inode(const char *path, bool follow)
{
	struct file *f = kernel_open(path, O_PATH | (follow ? 0 : O_NOFOLLOW),
				     0);
	struct inode *inode;

	if (IS_ERR(f))
		return ERR_PTR(PTR_ERR(f));
	inode = f->inode;
	iget(inode);
	fput(f);
	return inode;
}

static struct unix_sock *find_abstract(const char *name, int len)
{
	struct unix_sock *u;

	list_for_each_entry(u, &bound, bound_link) {
		if (!u->inode && u->addr->len == len &&
		    !memcmp(u->addr->name, name, (size_t)len))
			return u;
	}
	return NULL;
}

static struct unix_sock *find_inode(const struct inode *inode)
{
	struct unix_sock *u;

	list_for_each_entry(u, &bound, bound_link) {
		if (u->inode == inode)
			return u;
	}
	return NULL;
}

static void unix_name_set(struct unix_sock *u, struct unix_addr *addr,
			  struct inode *inode)
{
	u->addr = addr;
	u->inode = inode;
	list_add(&u->bound_link, &bound);
}

/* Bind @u to the first free autobind name, "\0" and five hex digits. */
static int unix_autobind(struct unix_sock *u)
{
	static unsigned next;
	char name[AUTOBIND_LEN + 1];
	struct unix_addr *addr;

	if (u->addr)
		return 0;
	for (unsigned tries = 0; tries <= 0xfffff; tries++) {
		memset(name, 0, sizeof(name));
		name[0] = AF_UNIX;
		snprintf(name + SUN_PATH_OFFSET + 1, 6, "%05x",
			 next++ & 0xfffff);
		if (find_abstract(name, AUTOBIND_LEN))
			continue;
		addr = unix_addr_new(name, AUTOBIND_LEN);
		if (!addr)
			return -ENOMEM;
		unix_name_set(u, addr, NULL);
		return 0;
	}
	return -ENOSPC;
}

/* Bind to a filesystem path: make the node, then take its inode. */
static int unix_bind_path(struct unix_sock *u, const char *name, int len)
{
	char path[sizeof(struct sockaddr_un) + 1];
	struct unix_addr *addr;
	struct inode *inode;
	int err;

	len = path_of(name, len, path);
	if (u->addr) {
		/* Linux makes the node, then finds the socket bound. */
		inode = path_inode(path, false);
		if (IS_ERR(inode))
			return -EINVAL;
		iput(inode);
		return -EADDRINUSE;
	}
	addr = unix_addr_new(name, len);
	if (!addr)
		return -ENOMEM;
	addr->name[len - 1] = 0;
	err = kernel_mknod(path, S_IFSOCK | 0777, 0);
	if (err == -EEXIST)
		err = -EADDRINUSE;
	if (err)
		goto err_put_addr;
	inode = path_inode(path, false);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto err_put_addr;
	}
	unix_name_set(u, addr, inode);
	return 0;

err_put_addr:
	unix_addr_put(addr);
	return err;
}

static int unix_bind_abstract(struct unix_sock *u, const char *name, int len)
{
	struct unix_addr *addr;

	if (u->addr)
		return -EINVAL;
	if (find_abstract(name, len))
		return -EADDRINUSE;
	addr = unix_addr_new(name, len);
	if (!addr)
		return -ENOMEM;
	unix_name_set(u, addr, NULL);
	return 0;
}

/* bind(2): see unix(7). Process context. */
int unix_bind(struct socket *sock, const void *addr, int len)
{
	struct unix_sock *u = sock->priv;
	sa_family_t family;
	int err;

	if (len == SUN_PATH_OFFSET) {
		memcpy(&family, addr, sizeof(family));
		if (family == AF_UNIX)
			return unix_autobind(u);
	}
	err = unix_validate_addr(addr, len);
	if (err)
		return err;
	if (is_path(addr))
		return unix_bind_path(u, addr, len);
	return unix_bind_abstract(u, addr, len);
}

/* See unix.h. */
struct unix_sock *unix_find(const void *addr, int len, int type)
{
	char path[sizeof(struct sockaddr_un) + 1];
	struct inode *inode;
	struct unix_sock *u;
	int err;

	if (is_path(addr)) {
		path_of(addr, len, path);
		inode = path_inode(path, true);
		if (IS_ERR(inode))
			return ERR_PTR(PTR_ERR(inode));
		/* Linux's unix_find_bsd: writing to the socket file. */
		err = inode_permission(inode, MAY_WRITE);
		u = !err && S_ISSOCK(inode->mode) ? find_inode(inode) : NULL;
		iput(inode);
		if (err)
			return ERR_PTR(err);
	} else {
		u = find_abstract(addr, len);
	}
	if (!u)
		return ERR_PTR(-ECONNREFUSED);
	if (u->type != type)
		return ERR_PTR(-EPROTOTYPE);
	unix_get(u);
	return u;
}

/* See unix.h. */
void unix_unbind(struct unix_sock *u)
{
	if (!u->addr)
		return;
	if (!list_empty(&u->bound_link))
		list_del(&u->bound_link);
	list_init(&u->bound_link);
	iput(u->inode);
	u->inode = NULL;
}

/* See unix.h. */
int unix_addr_copy(const struct unix_sock *u, void *addr)
{
	sa_family_t family = AF_UNIX;

	if (!u->addr) {
		memcpy(addr, &family, sizeof(family));
		return sizeof(family);
	}
	memcpy(addr, u->addr->name, (size_t)u->addr->len);
	return u->addr->len;
}
