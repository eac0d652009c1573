/*
 * The socket system calls, independent of the address family: socket
 * objects on their pseudo filesystem and their file operations, the copy
 * of addresses and message headers between user space and the kernel,
 * and the SOL_SOCKET options. Each call finds the socket behind its
 * descriptor and hands over to the family's proto_ops.
 */
#include <kernel/socket.h>
#include <kernel/fasync.h>
#include <kernel/sops.h>
#include <kernel/net_service.h>
#include <kernel/syscall.h>
#include <kernel/task.h>
#include <kernel/pid_ns.h>
#include <svc/uio.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <aramid/string.h>
#include <uapi/capability.h>
#include <uapi/fcntl.h>
#include <uapi/if.h>
#include <uapi/poll.h>
#include <platform/time.h>

#define SOCKFS_MAGIC	0x534F434B
#define FIOSETOWN	0x8901
#define SIOCSPGRP	0x8902
#define FIOGETOWN	0x8903
#define SIOCGPGRP	0x8904
#define CONTROL_MAX	65536		/* net.core.optmem_max, roughly */
/* net.core.{w,r}mem_default and _max, and the smallest buffers. */
#define SOCK_BUF_DEFAULT	212992
#define SOCK_BUF_MAX		212992
#define SOCK_MIN_SNDBUF		4608
#define SOCK_MIN_RCVBUF		2304
#define OVERFLOW_ID		65534	/* the uid/gid of "no credentials" */

static struct super_block sock_sb = {
	.magic = SOCKFS_MAGIC,
};

/* The families this kernel provides, by number. */
static const struct net_family *const families[] = {
	&unix_family,
	&inet_family,
	&inet6_family,
	&packet_family,
	&netlink_family,
};

/*
 * The file operations hand over to the family through the proto_ops
 * wrappers of kernel/net/sops.c (which cross into the network service for
 * AF_INET).
 */

/* read(2) on a socket: recvmsg without flags. */
static ssize_t sock_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct socket *sock = file->priv;
	struct sock_msg msg = { .uio = uio };

	if (file->flags & O_NONBLOCK)
		msg.flags |= MSG_DONTWAIT;
	return sop_recvmsg(sock, &msg);
}

/* write(2) on a socket: sendmsg without flags (so SIGPIPE applies). */
static ssize_t sock_write(struct file *file, struct uio *uio, off_t *pos)
{
	struct socket *sock = file->priv;
	struct sock_msg msg = { .uio = uio };

	if (file->flags & O_NONBLOCK)
		msg.flags |= MSG_DONTWAIT;
	if (sock->type == SOCK_SEQPACKET)
		msg.flags |= MSG_EOR;
	return sop_sendmsg(sock, &msg);
}

static unsigned sock_poll(struct file *file, struct poll_table *pt)
{
	struct socket *sock = file->priv;

	return sop_poll(sock, file, pt);
}

/* The last reference to the socket's file is gone: free the socket. */
static void sock_release(struct file *file)
{
	struct socket *sock = file->priv;

	if (sock->ops)
		sop_release(sock);
	kfree(sock);
	file->priv = NULL;
}

/*
 * ioctl(2) on a socket: the owner of its I/O signals is the socket
 * layer's; the interface and route requests go to the network service
 * (kernel/net/netsvc_family.c), the rest to the family.
 */
static long sock_ioctl(struct file *file, unsigned cmd, uptr_t arg)
{
	struct socket *sock = file->priv;
	int pid;

	switch (cmd) {
	case FIOSETOWN:
	case SIOCSPGRP:
		if (get_user(pid, arg))
			return -EFAULT;
		return fown_set(file, pid);
	case FIOGETOWN:
	case SIOCGPGRP:
		pid = fown_get(file);
		return put_user(pid, arg);
	}
	if (net_is_if_ioctl(cmd))
		return net_sock_ioctl(cmd, arg);
	return sop_ioctl(sock, cmd, arg);
}

const struct file_ops socket_fops = {
	.release = sock_release,
	.ioctl = sock_ioctl,
	.read = sock_read,
	.write = sock_write,
	.poll = sock_poll,
};

/* See kernel/socket.h. */
struct socket *file_socket(const struct file *file)
{
	return file->fops == &socket_fops ? file->priv : NULL;
}

/* See kernel/socket.h. */
struct ucred sock_current_cred(void)
{
	return (struct ucred){
		.pid = current->tgid,
		.uid = current->cred.euid,
		.gid = current->cred.egid,
	};
}

/* See kernel/socket.h. */
struct socket *sock_alloc_file(int family, int type, int protocol,
			       unsigned flags)
{
	struct socket *sock = kzalloc(sizeof(*sock));
	struct inode *inode;

	if (!sock)
		return ERR_PTR(-ENOMEM);
	if (!sock_sb.dev)
		sock_sb.dev = anon_dev_alloc();
	inode = inode_new(&sock_sb);
	if (!inode)
		goto err_free_sock;
	inode->mode = S_IFSOCK | 0777;
	inode->uid = current->cred.fsuid;	/* as Linux's sock_alloc */
	inode->gid = current->cred.fsgid;
	inode->fops = &socket_fops;
	inode->priv = sock;
	sock->file = file_alloc(inode, NULL, O_RDWR | (flags & O_NONBLOCK));
	iput(inode);		/* the file holds it, if there is one */
	if (!sock->file)
		goto err_free_sock;
	sock->file->priv = sock;
	sock->inode = inode;
	sock->family = family;
	sock->type = type;
	sock->protocol = protocol;
	sock->sndbuf = SOCK_BUF_DEFAULT;
	sock->rcvbuf = SOCK_BUF_DEFAULT;
	sock->rcvlowat = 1;
	sock->peercred = (struct ucred){ 0, OVERFLOW_ID, OVERFLOW_ID };
	return sock;

err_free_sock:
	kfree(sock);
	return ERR_PTR(-ENFILE);
}

/* See kernel/socket.h. */
void sock_free_file(struct socket *sock)
{
	fput(sock->file);
}

/*
 * The socket behind descriptor @fd, with a reference to its file in
 * *@filp; NULL and *@err = -EBADF or -ENOTSOCK.
 */
struct socket *sockfd_get(int fd, struct file **filp, long *err)
{
	struct file *f = fd_get(fd);
	struct socket *sock;

	*err = -EBADF;
	if (!f)
		return NULL;
	if (f->flags & O_PATH)
		goto err_put;
	*err = -ENOTSOCK;
	sock = file_socket(f);
	if (!sock)
		goto err_put;
	*filp = f;
	return sock;

err_put:
	fput(f);
	return NULL;
}

/* Copy in an address of @len bytes into @kaddr (128 bytes): 0 or -errno. */
static int addr_from_user(void *kaddr, uptr_t uaddr, long len)
{
	if (len < 0 || len > SOCKADDR_STORAGE_SIZE)
		return -EINVAL;
	if (len && copy_from_user(kaddr, uaddr, (size_t)len))
		return -EFAULT;
	return 0;
}

/*
 * Copy out an address of @klen bytes: as much as the user's *@ulen
 * allows, then the full length into *@ulen. 0 or -errno.
 */
static int addr_to_user(const void *kaddr, int klen, uptr_t uaddr,
			uptr_t ulen)
{
	int len;

	if (get_user(len, ulen))
		return -EFAULT;
	if (len > klen)
		len = klen;
	if (len < 0)
		return -EINVAL;
	if (len && copy_to_user(uaddr, kaddr, (size_t)len))
		return -EFAULT;
	return put_user(klen, ulen);
}

/* Split socket(2)'s @type into the type and the file flags: or -EINVAL. */
static int sock_type_flags(long type, int *flags)
{
	*flags = (int)(type & ~SOCK_TYPE_MASK);
	if (*flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	return (int)(type & SOCK_TYPE_MASK);
}

static const struct net_family *find_family(long family)
{
	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		if (families[i]->family == family)
			return families[i];
	}
	return NULL;
}

/* A new socket of the family: the socket, or an ERR_PTR. */
static struct socket *sock_create(long family, int type, long protocol,
				  int flags)
{
	const struct net_family *fam;
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return ERR_PTR(-EAFNOSUPPORT);
	if (type < 0 || type >= SOCK_MAX)
		return ERR_PTR(-EINVAL);
	fam = find_family(family);
	if (!fam)
		return ERR_PTR(-EAFNOSUPPORT);
	sock = sock_alloc_file((int)family, type, (int)protocol,
			       (unsigned)flags);
	if (IS_ERR(sock))
		return sock;
	err = fam->create(sock, type, (int)protocol);
	if (err) {
		sock_free_file(sock);
		return ERR_PTR(err);
	}
	return sock;
}

SYSCALL(__NR_socket, socket)(SYSCALL_ARGS)
{
	struct socket *sock;
	int flags, type = sock_type_flags(a1, &flags);

	if (type < 0)
		return type;
	/* As Linux: the family's errors come before EMFILE. */
	sock = sock_create(a0, type, a2, flags);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	return fd_install(sock->file, flags & SOCK_CLOEXEC);
}

SYSCALL(__NR_socketpair, socketpair)(SYSCALL_ARGS)
{
	struct socket *a, *b;
	int flags, type = sock_type_flags(a1, &flags);
	bool cloexec = flags & SOCK_CLOEXEC;
	uptr_t ufds = UPTR(a3);
	int fds[2];
	long err;

	if (type < 0)
		return type;
	/* As Linux: EMFILE, then EFAULT, before the family's errors. */
	err = fd_reserve_pair(fds, cloexec, ufds);
	if (err)
		return err;
	a = sock_create(a0, type, a2, flags);
	if (IS_ERR(a)) {
		err = PTR_ERR(a);
		goto err_unreserve;
	}
	b = sock_create(a0, type, a2, flags);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto err_free_a;
	}
	err = sop_socketpair(a, b);
	if (err)
		goto err_free_b;
	/* Only a racing munmap from another thread can fail this now. */
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		err = -EFAULT;
		goto err_free_b;
	}
	fd_install_reserved(fds[0], a->file);
	fd_install_reserved(fds[1], b->file);
	return 0;

err_free_b:
	sock_free_file(b);
err_free_a:
	sock_free_file(a);
err_unreserve:
	fd_unreserve_pair(fds);
	return err;
}

/* bind(2) and connect(2): copy the address in, then the family's op. */
static long sock_addr_op(int fd, uptr_t uaddr, long len, bool connect)
{
	long err;
	char addr[SOCKADDR_STORAGE_SIZE];
	struct file *f;
	struct socket *sock = sockfd_get(fd, &f, &err);

	if (!sock)
		return err;
	err = addr_from_user(addr, uaddr, len);
	if (!err)
		err = connect ? sop_connect(sock, addr, (int)len,
						   f->flags & O_NONBLOCK) :
				sop_bind(sock, addr, (int)len);
	fput(f);
	return err;
}

SYSCALL(__NR_bind, bind)(SYSCALL_ARGS)
{
	return sock_addr_op((int)a0, UPTR(a1), a2, false);
}

SYSCALL(__NR_connect, connect)(SYSCALL_ARGS)
{
	return sock_addr_op((int)a0, UPTR(a1), a2, true);
}

SYSCALL(__NR_listen, listen)(SYSCALL_ARGS)
{
	long err;
	struct file *f;
	struct socket *sock = sockfd_get((int)a0, &f, &err);
	int backlog = (int)a1;

	if (!sock)
		return err;
	if ((unsigned)backlog > SOMAXCONN)
		backlog = SOMAXCONN;
	err = sop_listen(sock, backlog);
	fput(f);
	return err;
}

/*
 * accept4(fd, addr, addrlen, flags). The descriptor is reserved before a
 * connection is dequeued, so EMFILE leaves it queued for a later accept.
 * The address is checked when it is copied out, after the family's
 * accept, as Linux does: a socket that is not listening gives EINVAL and
 * an empty queue EAGAIN whatever @addr is, and a copy-out that fails
 * closes the new connection (EFAULT, or EINVAL for a negative length).
 */
static long do_accept4(int fd, uptr_t uaddr, uptr_t ulen, long flags)
{
	char addr[SOCKADDR_STORAGE_SIZE];
	struct socket *sock, *child;
	struct file *f;
	long err;
	int len, newfd;

	if (flags & ~(long)(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_get(fd, &f, &err);
	if (!sock)
		return err;
	newfd = fd_reserve(0, flags & SOCK_CLOEXEC);
	if (newfd < 0) {
		err = newfd;
		goto out_put;
	}
	child = sock_alloc_file(sock->family, sock->type, sock->protocol,
				(unsigned)flags);
	if (IS_ERR(child)) {
		err = PTR_ERR(child);
		goto err_unreserve;
	}
	child->cap = sock->cap;
	err = sop_accept(sock, child, f->flags & O_NONBLOCK);
	if (err)
		goto err_free_child;
	if (!uptr_null(uaddr)) {
		/* As Linux: a failure here closes the new connection. */
		len = sop_getname(child, addr, true);
		err = len < 0 ? -ECONNABORTED :
				addr_to_user(addr, len, uaddr, ulen);
		if (err)
			goto err_free_child;
	}
	fd_install_reserved(newfd, child->file);
	err = newfd;
	goto out_put;

err_free_child:
	sock_free_file(child);
err_unreserve:
	fd_unreserve(newfd);
out_put:
	fput(f);
	return err;
}

SYSCALL(__NR_accept, accept)(SYSCALL_ARGS)
{
	return do_accept4((int)a0, UPTR(a1), UPTR(a2), 0);
}

SYSCALL(__NR_accept4, accept4)(SYSCALL_ARGS)
{
	return do_accept4((int)a0, UPTR(a1), UPTR(a2), a3);
}

static long do_getname(int fd, uptr_t uaddr, uptr_t ulen, bool peer)
{
	char addr[SOCKADDR_STORAGE_SIZE];
	struct file *f;
	long err;
	struct socket *sock = sockfd_get(fd, &f, &err);
	int len;

	if (!sock)
		return err;
	len = sop_getname(sock, addr, peer);
	err = len < 0 ? len : addr_to_user(addr, len, uaddr, ulen);
	fput(f);
	return err;
}

SYSCALL(__NR_getsockname, getsockname)(SYSCALL_ARGS)
{
	return do_getname((int)a0, UPTR(a1), UPTR(a2), false);
}

SYSCALL(__NR_getpeername, getpeername)(SYSCALL_ARGS)
{
	return do_getname((int)a0, UPTR(a1), UPTR(a2), true);
}

SYSCALL(__NR_shutdown, shutdown)(SYSCALL_ARGS)
{
	long err;
	struct file *f;
	struct socket *sock = sockfd_get((int)a0, &f, &err);

	if (!sock)
		return err;
	if (a1 < SHUT_RD || a1 > SHUT_RDWR)
		err = -EINVAL;
	else
		err = sop_shutdown(sock, (int)a1);
	fput(f);
	return err;
}

/*
 * A message in kernel form for a call with MSG_* @flags on @f's socket
 * (O_NONBLOCK on the file counts as MSG_DONTWAIT); NULL without memory.
 */
static struct sock_msg *sock_msg_new(const struct file *f, int flags)
{
	struct sock_msg *msg = kzalloc(sizeof(*msg));

	if (!msg)
		return NULL;
	msg->flags = flags;
	if (f->flags & O_NONBLOCK)
		msg->flags |= MSG_DONTWAIT;
	return msg;
}

/* sendto(fd, buf, len, flags, addr, addrlen). */
static long do_sendto(int fd, uptr_t buf, size_t len, int flags,
		      uptr_t uaddr, long addrlen)
{
	struct sock_msg *msg;
	struct socket *sock;
	struct kiovec iov;
	struct uio uio;
	struct file *f;
	long err;

	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (!access_ok(buf, len))
		return -EFAULT;
	sock = sockfd_get(fd, &f, &err);
	if (!sock)
		return err;
	err = -ENOMEM;
	msg = sock_msg_new(f, flags);
	if (!msg)
		goto out_put;
	uio_init_user(&uio, &iov, buf, len, UIO_WRITE);
	msg->uio = &uio;
	if (!uptr_null(uaddr)) {
		err = addr_from_user(msg->name, uaddr, addrlen);
		if (err)
			goto out_free;
		msg->namelen = (int)addrlen;
	}
	err = sop_sendmsg(sock, msg);
out_free:
	kfree(msg);
out_put:
	fput(f);
	return err;
}

SYSCALL(__NR_sendto, sendto)(SYSCALL_ARGS)
{
	return do_sendto((int)a0, UPTR(a1), (size_t)a2, (int)a3, UPTR(a4), a5);
}

/* recvfrom(fd, buf, len, flags, addr, addrlen). */
static long do_recvfrom(int fd, uptr_t buf, size_t len, int flags,
			uptr_t uaddr, uptr_t ulen)
{
	struct sock_msg *msg;
	struct socket *sock;
	struct kiovec iov;
	struct uio uio;
	struct file *f;
	long err, ret;

	len = MIN(len, (size_t)MAX_RW_COUNT);
	if (!access_ok(buf, len))
		return -EFAULT;
	sock = sockfd_get(fd, &f, &err);
	if (!sock)
		return err;
	ret = -ENOMEM;
	msg = sock_msg_new(f, flags);
	if (!msg)
		goto out_put;
	uio_init_user(&uio, &iov, buf, len, UIO_READ);
	msg->uio = &uio;
	ret = sop_recvmsg(sock, msg);
	if (ret >= 0 && !uptr_null(uaddr)) {
		err = addr_to_user(msg->name, msg->namelen, uaddr, ulen);
		if (err)
			ret = err;
	}
	kfree(msg);
out_put:
	fput(f);
	return ret;
}

SYSCALL(__NR_recvfrom, recvfrom)(SYSCALL_ARGS)
{
	return do_recvfrom((int)a0, UPTR(a1), (size_t)a2, (int)a3, UPTR(a4),
			   UPTR(a5));
}

/*
 * Copy in a user msghdr and its iovec as sendmsg/recvmsg do: the data
 * into @uio (its kiovec array kmalloc'd into *@kiov), the destination
 * address into @msg (send only). 0 or -errno.
 */
static int msghdr_from_user(uptr_t umsg, struct user_msghdr *hdr,
			    struct sock_msg *msg, struct uio *uio,
			    struct kiovec **kiov, enum uio_dir dir)
{
	struct { uint64_t base, len; } v;
	struct kiovec *iov;
	size_t total = 0;
	int err;

	if (copy_from_user(hdr, umsg, sizeof(*hdr)))
		return -EFAULT;
	if (!hdr->msg_name)
		hdr->msg_namelen = 0;
	if (hdr->msg_namelen < 0)
		return -EINVAL;
	if (hdr->msg_namelen > SOCKADDR_STORAGE_SIZE)
		hdr->msg_namelen = SOCKADDR_STORAGE_SIZE;
	if (hdr->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (dir == UIO_WRITE && hdr->msg_namelen) {
		err = addr_from_user(msg->name, UPTR(hdr->msg_name),
				     hdr->msg_namelen);
		if (err)
			return err;
		msg->namelen = hdr->msg_namelen;
	}
	iov = kmalloc(sizeof(*iov) * (hdr->msg_iovlen ? hdr->msg_iovlen : 1));
	if (!iov)
		return -ENOMEM;
	for (uint64_t i = 0; i < hdr->msg_iovlen; i++) {
		err = -EFAULT;
		if (copy_from_user(&v, UPTR(hdr->msg_iov + i * sizeof(v)),
				   sizeof(v)))
			goto err_free;
		err = -EINVAL;
		if (v.len > (uint64_t)INT64_MAX)
			goto err_free;
		v.len = MIN(v.len, (uint64_t)(MAX_RW_COUNT - total));
		err = -EFAULT;
		if (!access_ok(UPTR(v.base), v.len))
			goto err_free;
		iov[i].ubase = UPTR(v.base);
		iov[i].len = v.len;
		total += v.len;
	}
	uio->iov = iov;
	uio->iovcnt = (int)hdr->msg_iovlen;
	uio->resid = total;
	uio->dir = dir;
	uio->seg = UIO_USER;
	msg->uio = uio;
	*kiov = iov;
	return 0;

err_free:
	kfree(iov);
	return err;
}

long sock_sendmsg_user(struct socket *sock, const struct file *f,
		       uptr_t umsg, int flags, size_t *left)
{
	struct user_msghdr hdr;
	struct sock_msg *msg;
	struct kiovec *kiov;
	void *control = NULL;
	struct uio uio;
	size_t total;
	long err = -ENOMEM;

	msg = sock_msg_new(f, flags);
	if (!msg)
		return err;
	err = msghdr_from_user(umsg, &hdr, msg, &uio, &kiov, UIO_WRITE);
	if (err)
		goto out_free_msg;
	err = -ENOBUFS;
	if (hdr.msg_controllen > CONTROL_MAX)
		goto out_free_iov;
	if (hdr.msg_controllen) {
		control = kmalloc(hdr.msg_controllen);
		if (!control)
			goto out_free_iov;
		err = -EFAULT;
		if (copy_from_user(control, UPTR(hdr.msg_control),
				   hdr.msg_controllen))
			goto out_free_control;
	}
	msg->control = control;
	msg->controllen = hdr.msg_controllen;
	total = uio.resid;
	err = sop_sendmsg(sock, msg);
	if (left)
		*left = err >= 0 ? total - (size_t)err : 0;
out_free_control:
	kfree(control);
out_free_iov:
	kfree(kiov);
out_free_msg:
	kfree(msg);
	return err;
}

/* MSG_CMSG_COMPAT is for 32-bit callers, refused from 64-bit ones. */
SYSCALL(__NR_sendmsg, sendmsg)(SYSCALL_ARGS)
{
	struct socket *sock;
	struct file *f;
	long err;

	if ((unsigned)a2 & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_get((int)a0, &f, &err);
	if (!sock)
		return err;
	err = sock_sendmsg_user(sock, f, UPTR(a1), (int)a2, NULL);
	fput(f);
	return err;
}

long sock_recvmsg_user(struct socket *sock, const struct file *f,
		       uptr_t umsg, int flags, int *msg_flags)
{
	struct user_msghdr hdr;
	struct sock_msg *msg;
	struct kiovec *kiov;
	struct uio uio;
	long err, ret = -ENOMEM;
	uint64_t used;
	int32_t oflags;

	msg = sock_msg_new(f, flags);
	if (!msg)
		return ret;
	ret = msghdr_from_user(umsg, &hdr, msg, &uio, &kiov, UIO_READ);
	if (ret)
		goto out_free_msg;
	msg->ucontrol = UPTR(hdr.msg_control);
	msg->ucontrollen = hdr.msg_controllen;
	msg->out_flags = flags & MSG_CMSG_CLOEXEC;
	ret = sop_recvmsg(sock, msg);
	if (ret < 0)
		goto out_free_iov;
	err = 0;
	if (hdr.msg_name)
		err = addr_to_user(msg->name, msg->namelen,
				   UPTR(hdr.msg_name),
				   uptr_add(umsg, offsetof(struct user_msghdr,
							   msg_namelen)));
	oflags = msg->out_flags & ~MSG_CMSG_CLOEXEC;
	used = msg->control_used;
	if (msg_flags)
		*msg_flags = oflags;
	if (!err)
		err = put_user(oflags, uptr_add(umsg,
				offsetof(struct user_msghdr, msg_flags)));
	if (!err)
		err = put_user(used, uptr_add(umsg,
				offsetof(struct user_msghdr, msg_controllen)));
	if (err)
		ret = err;
out_free_iov:
	kfree(kiov);
out_free_msg:
	kfree(msg);
	return ret;
}

SYSCALL(__NR_recvmsg, recvmsg)(SYSCALL_ARGS)
{
	struct socket *sock;
	struct file *f;
	long err;

	if ((unsigned)a2 & MSG_CMSG_COMPAT)
		return -EINVAL;
	sock = sockfd_get((int)a0, &f, &err);
	if (!sock)
		return err;
	err = sock_recvmsg_user(sock, f, UPTR(a1), (int)a2, NULL);
	fput(f);
	return err;
}

/* The SOL_SOCKET options that are one flag of struct socket. */
static const struct {
	int name;
	size_t offset;
} bool_opts[] = {
	{ SO_REUSEADDR, offsetof(struct socket, reuseaddr) },
	{ SO_REUSEPORT, offsetof(struct socket, reuseport) },
	{ SO_KEEPALIVE, offsetof(struct socket, keepalive) },
	{ SO_BROADCAST, offsetof(struct socket, broadcast) },
	{ SO_OOBINLINE, offsetof(struct socket, oobinline) },
	{ SO_DONTROUTE, offsetof(struct socket, dontroute) },
	{ SO_PASSCRED, offsetof(struct socket, passcred) },
};

/* The flag of @sock that option @name is, or NULL. */
static bool *bool_opt(struct socket *sock, int name)
{
	for (size_t i = 0; i < ARRAY_SIZE(bool_opts); i++) {
		if (bool_opts[i].name == name)
			return (bool *)((char *)sock + bool_opts[i].offset);
	}
	return NULL;
}

/* A SO_RCVTIMEO/SO_SNDTIMEO value as struct timeval. */
static void timeo_to_timeval(uint64_t ns, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (int64_t)(ns / NSEC_PER_SEC);
	tv->tv_usec = (int64_t)(ns % NSEC_PER_SEC / 1000);
}

/* getsockopt(SOL_SOCKET, @name): the value into @val, its size returned. */
static int sock_getopt(struct socket *sock, int name, void *val, int len)
{
	bool *flag = bool_opt(sock, name);
	int *v = val;

	if (flag) {
		*v = *flag;
		return sizeof(int);
	}
	switch (name) {
	case SO_TYPE:
		*v = sock->type;
		return sizeof(int);
	case SO_PROTOCOL:
		*v = sock->protocol;
		return sizeof(int);
	case SO_DOMAIN:
		*v = sock->family;
		return sizeof(int);
	case SO_ERROR:
		*v = sock->error;
		sock->error = 0;
		return sizeof(int);
	case SO_SNDBUF:
		*v = sock->sndbuf;
		return sizeof(int);
	case SO_RCVBUF:
		*v = sock->rcvbuf;
		return sizeof(int);
	case SO_PRIORITY:
		*v = sock->priority;
		return sizeof(int);
	case SO_RCVLOWAT:
		*v = sock->rcvlowat;
		return sizeof(int);
	case SO_SNDLOWAT:
		*v = 1;
		return sizeof(int);
	case SO_ACCEPTCONN:
		*v = sock->listening;
		return sizeof(int);
	case SO_LINGER:
		memcpy(val, &sock->linger, sizeof(sock->linger));
		return sizeof(sock->linger);
	case SO_RCVTIMEO:
		timeo_to_timeval(sock->rcvtimeo_ns, val);
		return sizeof(struct __kernel_old_timeval);
	case SO_SNDTIMEO:
		timeo_to_timeval(sock->sndtimeo_ns, val);
		return sizeof(struct __kernel_old_timeval);
	case SO_PEERCRED: {
		struct ucred uc = sock->peercred;

		uc.pid = pid_vnr(uc.pid);	/* in the caller's namespace */
		memcpy(val, &uc, sizeof(uc));
		return sizeof(uc);
	}
	case SO_BINDTODEVICE:	/* the name, or nothing when unbound */
		if (!sock->bound_dev_if)
			return 0;
		if (len < IFNAMSIZ)
			return -EINVAL;
		strlcpy(val, sock->bound_dev, IFNAMSIZ);
		return (int)strlen(sock->bound_dev) + 1;
	default:
		return -ENOPROTOOPT;
	}
}

#define OPT_MAX	64	/* the largest option value we take or give */

SYSCALL(__NR_getsockopt, getsockopt)(SYSCALL_ARGS)
{
	long err;
	union { int i; uint8_t bytes[OPT_MAX]; } val = { 0 };
	uptr_t uval = UPTR(a3), ulen = UPTR(a4);
	struct file *f;
	struct socket *sock = sockfd_get((int)a0, &f, &err);
	int len, vlen;

	if (!sock)
		return err;
	err = -EFAULT;
	if (get_user(len, ulen))
		goto out_put;
	err = -EINVAL;
	if (len < 0)
		goto out_put;
	if (a1 == SOL_SOCKET) {
		vlen = sock_getopt(sock, (int)a2, &val, len);
	} else {
		vlen = MIN(len, OPT_MAX);
		err = sop_getsockopt(sock, (int)a1, (int)a2, &val, &vlen);
		if (err)
			goto out_put;
	}
	err = vlen;
	if (vlen < 0)
		goto out_put;
	len = MIN(len, vlen);
	err = -EFAULT;
	if (copy_to_user(uval, &val, (size_t)len) || put_user(len, ulen))
		goto out_put;
	err = 0;
out_put:
	fput(f);
	return err;
}

/*
 * A buffer size as SO_SNDBUF/SO_RCVBUF set it, @val taken as unsigned
 * and cut at net.core.wmem_max/rmem_max, or as SO_SNDBUFFORCE and
 * SO_RCVBUFFORCE (@force) set it, past the maximum but never negative:
 * doubled, at least @min, as Linux's sock_setsockopt.
 */
static int sock_bufsize(int val, int min, bool force)
{
	unsigned v = force ? (unsigned)MAX(val, 0) :
			     MIN((unsigned)val, (unsigned)SOCK_BUF_MAX);

	v = MIN(v, (unsigned)INT32_MAX / 2);
	return MAX((int)v * 2, min);
}

/* SO_RCVTIMEO/SO_SNDTIMEO from struct timeval, as Linux's sock_set_timeout. */
static int timeval_to_timeo(const void *val, int len, uint64_t *ns)
{
	struct __kernel_old_timeval tv;

	if (len < (int)sizeof(tv))
		return -EINVAL;
	memcpy(&tv, val, sizeof(tv));
	if (tv.tv_usec < 0 || tv.tv_usec >= 1000000)
		return -EDOM;
	if (tv.tv_sec < 0) {
		*ns = 1;	/* "already expired": every wait times out */
		return 0;
	}
	if ((uint64_t)tv.tv_sec >= UINT64_MAX / NSEC_PER_SEC / 2)
		*ns = 0;	/* too far to matter: no timeout */
	else
		*ns = (uint64_t)tv.tv_sec * NSEC_PER_SEC +
		      (uint64_t)tv.tv_usec * 1000;
	return 0;
}

/* setsockopt(SOL_SOCKET, @name) with @len bytes at @val: 0 or -errno. */
static int sock_setopt(struct socket *sock, int name, const void *val,
		       int len)
{
	bool *flag;
	int v;

	switch (name) {
	case SO_RCVTIMEO:
		return timeval_to_timeo(val, len, &sock->rcvtimeo_ns);
	case SO_SNDTIMEO:
		return timeval_to_timeo(val, len, &sock->sndtimeo_ns);
	case SO_LINGER:
		if (len < (int)sizeof(sock->linger))
			return -EINVAL;
		memcpy(&sock->linger, val, sizeof(sock->linger));
		sock->linger.l_onoff = sock->linger.l_onoff != 0;
		return 0;
	}
	if (len < (int)sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	flag = bool_opt(sock, name);
	if (flag) {
		*flag = v != 0;
		return 0;
	}
	switch (name) {
	case SO_DETACH_FILTER:
		if (!sock->filter)
			return -ENOENT;
		sock->filter = false;
		return 0;
	case SO_SNDBUFFORCE:
	case SO_RCVBUFFORCE:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		/* fallthrough */
	case SO_SNDBUF:
	case SO_RCVBUF: {
		bool force = name == SO_SNDBUFFORCE || name == SO_RCVBUFFORCE;

		if (name == SO_SNDBUF || name == SO_SNDBUFFORCE)
			sock->sndbuf = sock_bufsize(v, SOCK_MIN_SNDBUF, force);
		else
			sock->rcvbuf = sock_bufsize(v, SOCK_MIN_RCVBUF, force);
		return 0;
	}
	case SO_PRIORITY:
		/* 0 to 6 for anyone, the rest with CAP_NET_RAW or _ADMIN. */
		if ((v < 0 || v > 6) && !capable(CAP_NET_RAW) &&
		    !capable(CAP_NET_ADMIN))
			return -EPERM;
		sock->priority = v;
		return 0;
	case SO_RCVLOWAT:
		sock->rcvlowat = v < 0 ? INT32_MAX : (v ? v : 1);
		return 0;
	default:
		return -ENOPROTOOPT;
	}
}

/*
 * SO_BINDTODEVICE with the interface name @val of @len bytes (at most
 * IFNAMSIZ - 1 count; "" or none unbinds): kept in the socket, and the
 * family gets the interface's index (an int, 0 for none) to act on.
 * 0, or -ENODEV for no such interface.
 */
static int sock_bindtodevice(struct socket *sock, const void *val, int len)
{
	char name[IFNAMSIZ] = { 0 };
	int index = 0, err;

	memcpy(name, val, (size_t)MIN(len, IFNAMSIZ - 1));
	if (name[0]) {
		index = net_if_index(name);
		if (index < 0)
			return index;
	}
	err = sop_setsockopt(sock, SOL_SOCKET, SO_BINDTODEVICE, &index,
			     sizeof(index));
	if (err && err != -ENOPROTOOPT && err != -EOPNOTSUPP)
		return err;
	sock->bound_dev_if = index;
	memcpy(sock->bound_dev, name, sizeof(name));
	return 0;
}

/*
 * SO_ATTACH_FILTER with the struct sock_fprog at @val: the program must
 * be readable, of 1..BPF_MAXINSNS instructions and end in a return, as
 * Linux's sk_attach_filter checks. It is kept (SO_DETACH_FILTER drops
 * it) but not run: no family here filters what it receives.
 */
static int sock_attach_filter(struct socket *sock, const void *val, int len)
{
	uint8_t insn[SOCK_FILTER_SIZE];
	struct sock_fprog prog;

	if (len != (int)sizeof(prog))
		return -EINVAL;
	memcpy(&prog, val, sizeof(prog));
	if (!prog.filter || !prog.len || prog.len > BPF_MAXINSNS)
		return -EINVAL;
	for (unsigned i = 0; i < prog.len; i++) {
		if (copy_from_user(insn, UPTR(prog.filter +
					      (uint64_t)i * SOCK_FILTER_SIZE),
				   sizeof(insn)))
			return -EFAULT;
	}
	if ((insn[0] & 0x07) != BPF_RET)
		return -EINVAL;
	sock->filter = true;
	return 0;
}

SYSCALL(__NR_setsockopt, setsockopt)(SYSCALL_ARGS)
{
	long err;
	struct file *f;
	struct socket *sock = sockfd_get((int)a0, &f, &err);
	uint8_t val[OPT_MAX] = { 0 };
	int len = (int)a4;

	if (!sock)
		return err;
	err = -EINVAL;
	if (len < 0)
		goto out_put;
	err = -EFAULT;
	if (copy_from_user(val, UPTR(a3), (size_t)MIN(len, OPT_MAX)))
		goto out_put;
	if (a1 != SOL_SOCKET) {
		err = sop_setsockopt(sock, (int)a1, (int)a2, val, len);
		goto out_put;
	}
	if (a2 == SO_BINDTODEVICE) {
		err = sock_bindtodevice(sock, val, len);
		goto out_put;
	}
	if (a2 == SO_ATTACH_FILTER) {
		err = sock_attach_filter(sock, val, len);
		goto out_put;
	}
	err = sock_setopt(sock, (int)a2, val, len);
	if (!err) {
		/* The family may act on it; it need not know the option. */
		int ferr = sop_setsockopt(sock, SOL_SOCKET, (int)a2, val, len);

		if (ferr != -ENOPROTOOPT && ferr != -EOPNOTSUPP)
			err = ferr;
	}
out_put:
	fput(f);
	return err;
}
