/* abi_ipcns.c - IPC namespaces as Linux 6.1: /proc/PID/ns/ipc and its nsfs file, unshare, clone and setns with CLONE_NEWIPC, System V ids, keys, /proc/sysvipc and kernel.* tunables per namespace, POSIX message queues and fs.mqueue.* per namespace (mq_open, a mount of mqueue), semaphore undos applied on leaving, kernel.shm_rmid_forced, a namespace's queues freed with it, and the errors (EPERM, EINVAL). */
#include "check.h"
#include "ns_util.h"
#include <sched.h>
#include <dirent.h>
#include <mqueue.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>

#define T "abi_ipcns"
#define INIT_IPC_INO 4026531839UL
#define KEY 0x1b5c0de
#define MQ_NAME "/abi_ipcns_q"
#define MNT "/tmp/abi_ipcns_mq"

static unsigned long parent_ino;

/* The first line of @path into @buf ("" on error). */
static const char *read_line(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, len - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

/* Whether /proc/sysvipc/@kind has a line for key @key. */
static int sysvipc_has(const char *kind, int key)
{
	char path[64], line[512];
	FILE *f;
	int found = 0, k;

	snprintf(path, sizeof path, "/proc/sysvipc/%s", kind);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%d", &k) == 1 && k == key)
			found = 1;
	fclose(f);
	return found;
}

/* The initial namespace: its link, inode and nsfs file. */
static void test_initial(void)
{
	char buf[64];
	struct stat st;
	int fd;

	CHECK_STR("/proc/self/ns/ipc reads ipc:[4026531839]",
		  link_of("/proc/self/ns/ipc", buf, sizeof buf), "ipc:[4026531839]");
	CHECK_EQ("... init's is the same", ns_ino("/proc/1/ns/ipc"), INIT_IPC_INO);
	fd = open("/proc/self/ns/ipc", O_RDONLY);
	CHECK_OK("open /proc/self/ns/ipc", fd);
	CHECK_OK("fstat", fstat(fd, &st));
	CHECK_EQ("... st_ino", st.st_ino, INIT_IPC_INO);
	CHECK_EQ("NS_GET_NSTYPE: CLONE_NEWIPC", ioctl(fd, NS_GET_NSTYPE), CLONE_NEWIPC);
	CHECK_ERR("NS_GET_PARENT: EINVAL (ipc does not nest)",
		  ioctl(fd, NS_GET_PARENT), EINVAL);
	CHECK_ERR("NS_GET_OWNER_UID: EINVAL", ioctl(fd, NS_GET_OWNER_UID, &st), EINVAL);
	CHECK_OK("setns(fd, CLONE_NEWIPC) to its own", setns_(fd, CLONE_NEWIPC));
	CHECK_ERR("setns(fd, CLONE_NEWUTS): EINVAL", setns_(fd, CLONE_NEWUTS), EINVAL);
	close(fd);
	CHECK_ERR("clone(CLONE_NEWIPC|CLONE_SYSVSEM): EINVAL",
		  syscall(SYS_clone, CLONE_NEWIPC | CLONE_SYSVSEM | SIGCHLD, 0, 0, 0, 0),
		  EINVAL);
}

static int shm_id, sem_id, msg_id;

/* In a child: a new namespace sees none of the parent's objects. */
static void child_unshare(void)
{
	char buf[64], want[64];
	struct shmid_ds ds;
	int id;

	CHECK_OK("unshare(CLONE_NEWIPC)", syscall(SYS_unshare, CLONE_NEWIPC));
	CHECK("... a new /proc/self/ns/ipc", ns_ino("/proc/self/ns/ipc") != parent_ino &&
	      ns_ino("/proc/self/ns/ipc") != 0);
	snprintf(want, sizeof want, "ipc:[%lu]", ns_ino("/proc/self/ns/ipc"));
	CHECK_STR("... its link names it", link_of("/proc/self/ns/ipc", buf, sizeof buf),
		  want);
	CHECK_ERR("shmget of the parent's key: ENOENT", shmget(KEY, 0, 0), ENOENT);
	CHECK_ERR("semget of the parent's key: ENOENT", semget(KEY, 0, 0), ENOENT);
	CHECK_ERR("msgget of the parent's key: ENOENT", msgget(KEY, 0), ENOENT);
	CHECK_ERR("shmctl IPC_STAT of the parent's id: EINVAL",
		  shmctl(shm_id, IPC_STAT, &ds), EINVAL);
	CHECK_ERR("semctl of the parent's id: EINVAL", semctl(sem_id, 0, GETVAL), EINVAL);
	CHECK_ERR("msgctl of the parent's id: EINVAL",
		  msgctl(msg_id, IPC_STAT, NULL), EINVAL);
	CHECK("/proc/sysvipc/shm: not the parent's", !sysvipc_has("shm", KEY));
	CHECK("/proc/sysvipc/sem: not the parent's", !sysvipc_has("sem", KEY));
	CHECK("/proc/sysvipc/msg: not the parent's", !sysvipc_has("msg", KEY));
	id = shmget(KEY, 4096, IPC_CREAT | IPC_EXCL | 0600);
	CHECK_EQ("the new namespace's first segment: id 0", id, 0);
	CHECK_EQ("... its first set: id 0", semget(KEY, 1, IPC_CREAT | IPC_EXCL | 0600), 0);
	CHECK_EQ("... its first queue: id 0", msgget(KEY, IPC_CREAT | IPC_EXCL | 0600), 0);
	CHECK("... in its /proc/sysvipc/shm", sysvipc_has("shm", KEY));
	CHECK_EQ("shmctl IPC_INFO: highest index 0", shmctl(0, IPC_INFO, &ds), 0);
}

/* Parent and child objects with one key, each in its own namespace. */
static void test_ids(void)
{
	struct shmid_ds ds;

	shm_id = shmget(KEY, 8192, IPC_CREAT | 0600);
	sem_id = semget(KEY, 2, IPC_CREAT | 0600);
	msg_id = msgget(KEY, IPC_CREAT | 0600);
	CHECK("the parent's objects with key KEY", shm_id >= 0 && sem_id >= 0 && msg_id >= 0);
	in_child(child_unshare);
	CHECK_OK("the parent's segment is still there", shmctl(shm_id, IPC_STAT, &ds));
	CHECK_EQ("... with its size", ds.shm_segsz, 8192);
	CHECK("... in the parent's /proc/sysvipc/shm", sysvipc_has("shm", KEY));
}

/* The tunables of a new namespace are the defaults, its own. */
static void child_tunables(void)
{
	char buf[64];

	CHECK_OK("unshare(CLONE_NEWIPC)", syscall(SYS_unshare, CLONE_NEWIPC));
	CHECK_STR("kernel.msgmni: the default", read_line("/proc/sys/kernel/msgmni",
		  buf, sizeof buf), "32000");
	CHECK_STR("kernel.shmmni: the default", read_line("/proc/sys/kernel/shmmni",
		  buf, sizeof buf), "4096");
	CHECK_STR("kernel.sem: the defaults", read_line("/proc/sys/kernel/sem", buf,
		  sizeof buf), "32000\t1024000000\t500\t32000");
	CHECK_STR("kernel.shm_rmid_forced: 0", read_line("/proc/sys/kernel/shm_rmid_forced",
		  buf, sizeof buf), "0");
	CHECK_STR("fs.mqueue.queues_max: the default",
		  read_line("/proc/sys/fs/mqueue/queues_max", buf, sizeof buf), "256");
	CHECK_OK("set kernel.shmmax here", write_text("/proc/sys/kernel/shmmax", "12345"));
	CHECK_STR("... reads back", read_line("/proc/sys/kernel/shmmax", buf, sizeof buf),
		  "12345");
	CHECK_ERR("shmget over it: EINVAL", shmget(IPC_PRIVATE, 12346, 0600), EINVAL);
	CHECK_OK("set kernel.msgmax here", write_text("/proc/sys/kernel/msgmax", "100"));
	CHECK_OK("set fs.mqueue.msg_max here", write_text("/proc/sys/fs/mqueue/msg_max",
		 "20"));
	CHECK_ERR("kernel.shm_rmid_forced 2: EINVAL",
		  write_text("/proc/sys/kernel/shm_rmid_forced", "2"), EINVAL);
}

static void test_tunables(void)
{
	char old[64], old_mq[64], buf[64];

	read_line("/proc/sys/kernel/msgmni", old, sizeof old);
	read_line("/proc/sys/fs/mqueue/queues_max", old_mq, sizeof old_mq);
	CHECK_OK("set kernel.msgmni in the parent", write_text("/proc/sys/kernel/msgmni",
		 "77"));
	CHECK_OK("set fs.mqueue.queues_max in the parent",
		 write_text("/proc/sys/fs/mqueue/queues_max", "99"));
	in_child(child_tunables);
	CHECK_STR("the parent's kernel.msgmni is its own",
		  read_line("/proc/sys/kernel/msgmni", buf, sizeof buf), "77");
	CHECK("the child's kernel.shmmax is not the parent's",
	      strcmp(read_line("/proc/sys/kernel/shmmax", buf, sizeof buf), "12345"));
	CHECK_STR("the parent's kernel.msgmax is its own",
		  read_line("/proc/sys/kernel/msgmax", buf, sizeof buf), "8192");
	CHECK_STR("the parent's fs.mqueue.msg_max is its own",
		  read_line("/proc/sys/fs/mqueue/msg_max", buf, sizeof buf), "10");
	write_text("/proc/sys/kernel/msgmni", old);
	write_text("/proc/sys/fs/mqueue/queues_max", old_mq);
}

/* Whether directory @dir lists @name. */
static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

/* In a child: a new namespace's queues, and its mqueue mount. */
static void child_mqueue(void)
{
	mqd_t q;

	CHECK_OK("unshare(CLONE_NEWIPC|CLONE_NEWNS)",
		 syscall(SYS_unshare, CLONE_NEWIPC | CLONE_NEWNS));
	CHECK_ERR("mq_open of the parent's queue: ENOENT", mq_open(MQ_NAME, O_RDONLY),
		  ENOENT);
	CHECK_ERR("mq_unlink of it: ENOENT", mq_unlink(MQ_NAME), ENOENT);
	q = mq_open("/abi_ipcns_child", O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
	CHECK_OK("mq_open O_CREAT of the child's own", q);
	mkdir(MNT, 0755);
	CHECK_OK("mount -t mqueue", mount("mqueue", MNT, "mqueue", 0, NULL));
	CHECK("... lists the child's queue", dir_has(MNT, "abi_ipcns_child"));
	CHECK("... not the parent's", !dir_has(MNT, MQ_NAME + 1));
	CHECK_OK("umount", umount(MNT));
	mq_close(q);
}

static void test_mqueue(void)
{
	mqd_t q = mq_open(MQ_NAME, O_CREAT | O_RDWR, 0600, NULL);

	CHECK_OK("mq_open O_CREAT in the parent", q);
	mkdir(MNT, 0755);
	in_child(child_mqueue);
	CHECK_ERR("the child's queue is not the parent's",
		  mq_open("/abi_ipcns_child", O_RDONLY), ENOENT);
	CHECK_OK("mount -t mqueue in the parent", mount("mqueue", MNT, "mqueue", 0, NULL));
	CHECK("... lists the parent's queue", dir_has(MNT, MQ_NAME + 1));
	CHECK("... not the child's", !dir_has(MNT, "abi_ipcns_child"));
	umount(MNT);
	rmdir(MNT);
	mq_close(q);
	mq_unlink(MQ_NAME);
}

/* A queue made in a new namespace, left there, and the process exits. */
static void child_leave_queue(void)
{
	if (syscall(SYS_unshare, CLONE_NEWIPC))
		_exit(2);
	_exit(mq_open("/abi_ipcns_left", O_CREAT | O_RDWR, 0600, NULL) < 0 ? 1 : 0);
}

/* Whether a new namespace may make one queue (up to a second of retries). */
static int child_new_queue(void)
{
	for (int i = 0; i < 100; i++) {
		pid_t c = fork();

		if (c == 0)
			child_leave_queue();
		if (reap(c) == 0)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * With RLIMIT_MSGQUEUE room for one queue, a second new namespace can
 * make its queue only once the first one's went with its namespace.
 */
static void child_ns_end(void)
{
	struct rlimit rl = { 100000, 100000 };	/* one default queue */
	struct cap_hdr h = { V3, 0 };
	struct cap_data d[2] = { { 0 } };

	CHECK_OK("setrlimit(RLIMIT_MSGQUEUE) for one queue", setrlimit(RLIMIT_MSGQUEUE, &rl));
	CHECK_OK("PR_SET_KEEPCAPS", prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0));
	CHECK_OK("setuid(65534): a fresh user's count", setuid(65534));
	syscall(SYS_capget, &h, d);
	d[0].eff = d[0].prm;
	CHECK_OK("capset: the kept capabilities effective", syscall(SYS_capset, &h, d));
	CHECK("a new namespace makes a queue and ends", child_new_queue());
	CHECK("another new namespace can too: the first one's queue went",
	      child_new_queue());
	CHECK_OK("drop CAP_SYS_ADMIN", drop_cap(CAP_SYS_ADMIN));
	CHECK_ERR("unshare(CLONE_NEWIPC) without CAP_SYS_ADMIN: EPERM",
		  syscall(SYS_unshare, CLONE_NEWIPC), EPERM);
	CHECK_ERR("clone(CLONE_NEWIPC) without it: EPERM",
		  syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0), EPERM);
}

/*
 * A namespace lives while a file of it is open: setns into an exited
 * child's finds its objects, and a segment mapped outside it lives on.
 */
static void test_setns(void)
{
	int up[2], down[2], fd, init_fd;
	char path[64], x;
	pid_t c;

	if (pipe(up) || pipe(down))
		return;
	c = fork();
	if (c == 0) {
		int ok = syscall(SYS_unshare, CLONE_NEWIPC) == 0 &&
			 shmget(KEY + 1, 4096, IPC_CREAT | 0600) >= 0;

		write(up[1], ok ? "y" : "n", 1);
		read(down[0], &x, 1);
		_exit(0);
	}
	read(up[0], &x, 1);
	CHECK_EQ("a child made a segment in its new namespace", x, 'y');
	snprintf(path, sizeof path, "/proc/%d/ns/ipc", c);
	fd = open(path, O_RDONLY);
	CHECK_OK("open its /proc/PID/ns/ipc", fd);
	write(down[1], "x", 1);
	reap(c);
	CHECK_ERR("not in the parent's namespace", shmget(KEY + 1, 0, 0), ENOENT);
	init_fd = open("/proc/self/ns/ipc", O_RDONLY);
	c = fork();
	if (c == 0) {
		int id;
		char *p;

		if (setns_(fd, CLONE_NEWIPC))
			_exit(1);
		id = shmget(KEY + 1, 0, 0);
		if (id < 0)
			_exit(2);
		p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			_exit(3);
		p[0] = 'z';
		if (shmctl(id, IPC_RMID, NULL) || setns_(init_fd, CLONE_NEWIPC))
			_exit(4);
		if (shmget(KEY + 1, 0, 0) != -1)
			_exit(5);
		_exit(p[0] == 'z' && shmdt(p) == 0 ? 0 : 6);
	}
	CHECK_EQ("setns into the exited child's namespace finds its segment", reap(c), 0);
	close(fd);
	close(init_fd);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
}

/* Leaving a namespace applies the caller's semaphore undos there. */
static void test_sem_undo(void)
{
	struct sembuf up = { 0, 1, SEM_UNDO };
	int id = semget(IPC_PRIVATE, 1, 0600), sync[2];
	char x;
	pid_t c;

	CHECK_OK("semget", id);
	if (pipe(sync))
		return;
	c = fork();
	if (c == 0) {
		if (semop(id, &up, 1) || syscall(SYS_unshare, CLONE_NEWIPC))
			_exit(1);
		write(sync[1], "x", 1);
		pause();
		_exit(0);
	}
	read(sync[0], &x, 1);
	CHECK_EQ("unshare(CLONE_NEWIPC) applied the child's undo, still alive",
		 semctl(id, 0, GETVAL), 0);
	kill(c, SIGKILL);
	reap(c);
	semctl(id, 0, IPC_RMID);
	close(sync[0]);
	close(sync[1]);
}

/* kernel.shm_rmid_forced removes orphans, and at their creator's exit. */
static void child_rmid_forced(void)
{
	struct shmid_ds ds;
	int id;
	pid_t c;

	CHECK_OK("unshare(CLONE_NEWIPC)", syscall(SYS_unshare, CLONE_NEWIPC));
	c = fork();
	if (c == 0)
		_exit(shmget(KEY, 4096, IPC_CREAT | 0600) < 0);
	reap(c);
	id = shmget(KEY, 0, 0);
	CHECK_OK("a segment whose creator exited lives on", id);
	CHECK_OK("set kernel.shm_rmid_forced 1",
		 write_text("/proc/sys/kernel/shm_rmid_forced", "1"));
	CHECK_ERR("... removed it, an orphan not attached", shmctl(id, IPC_STAT, &ds),
		  EINVAL);
	c = fork();
	if (c == 0)
		_exit(shmget(KEY, 4096, IPC_CREAT | 0600) < 0);
	reap(c);
	CHECK_ERR("... and removes one at its creator's exit", shmget(KEY, 0, 0), ENOENT);
	id = shmget(IPC_PRIVATE, 4096, 0600);
	void *p = shmat(id, NULL, 0);

	CHECK("one of ours, attached", p != (void *)-1);
	shmdt(p);
	CHECK_ERR("... goes at its last detach", shmctl(id, IPC_STAT, &ds), EINVAL);
}

int main(void)
{
	TEST_BEGIN(T);
	parent_ino = ns_ino("/proc/self/ns/ipc");
	test_initial();
	test_ids();
	test_tunables();
	test_mqueue();
	in_child(child_ns_end);
	test_setns();
	test_sem_undo();
	in_child(child_rmid_forced);
	shmctl(shm_id, IPC_RMID, NULL);
	semctl(sem_id, 0, IPC_RMID);
	msgctl(msg_id, IPC_RMID, NULL);
	return TEST_END();
}
