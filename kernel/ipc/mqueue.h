/*
 * Private to kernel/ipc/mqueue*.c: a POSIX message queue, as Linux 6.1's
 * ipc/mqueue.c keeps one behind each inode of the mqueue filesystem
 * (mqueue_fs.c: names, inodes, the queue file), its messages and waits
 * (mqueue.c) and its one notification registration (mqueue_notify.c).
 * One CPU, no preemption inside the kernel: no locks; a task that sleeps
 * rechecks the queue when it wakes.
 */
#pragma once
#include <aramid/list.h>
#include <aramid/types.h>
#include <svc/vfs.h>
#include <svc/wait.h>
#include <kernel/user_count.h>
#include <kernel/ipc.h>

#define MQ_PRIO_MAX		32768
#define NOTIFY_COOKIE_LEN	32
#define MQ_FILENT_SIZE		80	/* a queue file's size, its line's room */

/* struct mq_attr as user space passes it. */
struct mq_attr {
	int64_t mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs;
	int64_t reserved[4];
};

struct mq_msg {
	struct list_head link;		/* mqueue.msgs */
	unsigned prio;
	size_t len;
	char data[];
};

struct mqueue {
	struct list_head msgs;		/* highest priority first, FIFO within */
	long maxmsg, msgsize, curmsgs;
	unsigned long qsize;		/* bytes of messages queued */
	unsigned long charged;		/* RLIMIT_MSGQUEUE bytes, to user */
	struct user_count *user;
	struct wait_queue rd_wait;	/* receivers, pollers for POLLIN */
	struct wait_queue wr_wait;	/* senders, pollers for POLLOUT */
	unsigned rd_sleepers;		/* receivers asleep: no notification */
	/* The registration (mq_notify): its process, 0 for none. */
	pid_t notify_owner;
	int notify;			/* SIGEV_NONE, _SIGNAL or _THREAD */
	int signo;
	uint64_t value;
	struct file *nl_file;		/* SIGEV_THREAD's netlink socket */
	uint8_t cookie[NOTIFY_COOKIE_LEN];
};

/*
 * A new empty queue of @attr's sizes (NULL: the defaults of @lim, its
 * namespace's fs.mqueue tunables), charged to current's user, as Linux's
 * mqueue_get_inode: -EINVAL (sizes not positive, or over @lim's maxima,
 * or without CAP_SYS_RESOURCE the hard ones), -EOVERFLOW, -EMFILE (over
 * RLIMIT_MSGQUEUE), -ENOMEM.
 */
int mq_alloc(const struct mq_limits *lim, const struct mq_attr *attr,
	     struct mqueue **out);
/* Free @q, its messages, its charge and its registration. */
void mq_free(struct mqueue *q);
/* The queue behind @file, or NULL if it is no mqueue file. */
struct mqueue *mq_of_file(const struct file *file);
/*
 * The queue of the mqueue file open (not O_PATH) at @fd with FMODE_READ
 * or FMODE_WRITE as @fmode asks (0: either), with a reference to the
 * file in *@filp; NULL for -EBADF (mqueue.c).
 */
struct mqueue *mq_fd_get(int fd, unsigned fmode, struct file **filp);
/*
 * mq_open's work on @name (a single component) in the kernel's mount of
 * the caller's IPC namespace's instance:
 * a file open with @oflag, made with @mode and @attr under O_CREAT, or
 * an ERR_PTR: Linux's errno for each step (mqueue_fs.c).
 */
struct file *mq_open_name(const char *name, int oflag, mode_t mode,
			  const struct mq_attr *attr);
/* mq_unlink of @name: 0, -ENOENT, -EACCES, -EPERM, -ENAMETOOLONG. */
int mq_unlink_name(const char *name);
/*
 * A message arrived on @q: its registration fires, once, if the queue
 * was empty and no receiver waits (Linux's __do_notify).
 */
void mq_notify_arrival(struct mqueue *q);
/*
 * Drop @q's registration (Linux's remove_notification): SIGEV_THREAD's
 * socket hears NOTIFY_REMOVED.
 */
void mq_notify_remove(struct mqueue *q);
