/*
 * abi_sysvipc - System V shared memory, semaphores and message queues as
 * Linux 6.1 has them: ids and keys, the limits and their errors, the
 * permission bits against an unprivileged process, attaches across fork
 * and exit, SEM_UNDO at exit, blocking with IPC_NOWAIT, timeouts, signals
 * and removal, message types, and the kernel.shm*, sem and msg* sysctls.
 */
#include "check.h"
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <time.h>

#define UID 1000
#define GID 1000
#define PG 4096

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

static key_t key_base;

static void on_alarm(int s)
{
	(void)s;
}

/* Become uid/gid 1000 with no groups: 0, or -1. */
static int drop_privs(void)
{
	return (setgroups(0, NULL) || setresgid(GID, GID, GID) ||
		setresuid(UID, UID, UID)) ? -1 : 0;
}

/* Arm SIGALRM, no SA_RESTART, in @ms milliseconds. */
static void alarm_ms(long ms)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { .it_value = { 0, ms * 1000 } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
}

static int wait_child(pid_t p)
{
	int st;

	if (waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static unsigned long nattch(int id)
{
	struct shmid_ds ds;

	if (shmctl(id, IPC_STAT, &ds))
		return (unsigned long)-1;
	return ds.shm_nattch;
}

static void test_shm_get(void)
{
	key_t k = key_base + 1;
	int id, id2;

	CHECK_ERR("shmget size 0", shmget(IPC_PRIVATE, 0, 0600), EINVAL);
	CHECK_ERR("shmget absent key", shmget(k, PG, 0600), ENOENT);
	id = shmget(k, PG, IPC_CREAT | 0600);
	CHECK_OK("shmget IPC_CREAT", id);
	CHECK_EQ("shmget same key", shmget(k, PG, 0600), id);
	CHECK_EQ("shmget same key smaller", shmget(k, 100, 0), id);
	CHECK_ERR("shmget IPC_EXCL", shmget(k, PG, IPC_CREAT | IPC_EXCL | 0600),
		  EEXIST);
	CHECK_ERR("shmget larger than the segment", shmget(k, 2 * PG, 0600),
		  EINVAL);
	CHECK_ERR("shmget larger than memory",
		  shmget(IPC_PRIVATE, 1UL << 44, 0600), ENOMEM);
	CHECK_ERR("shmget above SHMMAX",
		  shmget(IPC_PRIVATE, ~0UL - (1UL << 20), 0600), EINVAL);
	id2 = shmget(IPC_PRIVATE, PG, 0600);
	CHECK("IPC_PRIVATE makes a new id", id2 >= 0 && id2 != id);
	CHECK_OK("IPC_RMID", shmctl(id, IPC_RMID, NULL));
	CHECK_OK("IPC_RMID private", shmctl(id2, IPC_RMID, NULL));
	CHECK_ERR("IPC_STAT after IPC_RMID", shmctl(id, IPC_STAT, NULL),
		  EINVAL);
	CHECK_ERR("shmctl bad cmd", shmctl(0, 99, NULL), EINVAL);
	CHECK_ERR("shmctl negative id", shmctl(-1, IPC_STAT, NULL), EINVAL);
}

static void test_shm_attach(void)
{
	int id = shmget(IPC_PRIVATE, 3 * PG, 0600);
	struct shmid_ds ds;
	char *p, *q;
	pid_t c;

	CHECK_OK("shmget 3 pages", id);
	p = shmat(id, NULL, 0);
	CHECK("shmat", p != (void *)-1);
	if (p == (void *)-1)
		return;
	CHECK_EQ("shm starts zeroed", p[PG + 5], 0);
	strcpy(p, "hello");
	CHECK_OK("IPC_STAT", shmctl(id, IPC_STAT, &ds));
	CHECK_EQ("shm_segsz", ds.shm_segsz, 3 * PG);
	CHECK_EQ("shm_nattch 1", ds.shm_nattch, 1);
	CHECK_EQ("shm_cpid", ds.shm_cpid, getpid());
	CHECK_EQ("shm_lpid", ds.shm_lpid, getpid());
	CHECK("shm_atime set", ds.shm_atime > 0);
	CHECK_EQ("shm_perm.mode", ds.shm_perm.mode, 0600);
	CHECK_EQ("shm_perm.uid", ds.shm_perm.uid, getuid());

	q = shmat(id, NULL, SHM_RDONLY);
	CHECK("shmat SHM_RDONLY", q != (void *)-1);
	CHECK_STR("the same pages", q, "hello");
	CHECK_EQ("shm_nattch 2", nattch(id), 2);
	CHECK_ERR("mprotect PROT_WRITE on SHM_RDONLY",
		  mprotect(q, PG, PROT_READ | PROT_WRITE), EACCES);
	CHECK_OK("shmdt", shmdt(q));
	CHECK_EQ("shm_nattch back to 1", nattch(id), 1);
	CHECK_ERR("shmdt again", shmdt(q), EINVAL);
	CHECK_ERR("shmdt unaligned", shmdt(p + 1), EINVAL);

	c = fork();
	if (c == 0) {
		_exit(nattch(id) == 2 && !strcmp(p, "hello") &&
		      (strcpy(p + PG, "child"), 1) ? 0 : 1);
	}
	CHECK_EQ("fork keeps the attach", wait_child(c), 0);
	CHECK_STR("child's write seen", p + PG, "child");
	CHECK_EQ("exit detaches", nattch(id), 1);

	c = fork();
	if (c == 0) {
		execl("/nonexistent", "x", (char *)NULL);
		_exit(nattch(id) == 2 ? 0 : 1);
	}
	CHECK_EQ("failed exec keeps the attach", wait_child(c), 0);
	c = fork();
	if (c == 0) {
		execl("/bin/busybox", "sleep", "5", (char *)NULL);
		_exit(1);
	}
	for (int i = 0; i < 400 && nattch(id) != 1; i++)
		usleep(5000);
	CHECK_EQ("exec detaches", nattch(id), 1);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);

	CHECK_ERR("shmat unaligned", (long)shmat(id, p + 1, 0), EINVAL);
	CHECK_ERR("shmat over a mapping", (long)shmat(id, p, 0), EINVAL);
	CHECK_ERR("SHM_REMAP without address", (long)shmat(id, NULL,
							  SHM_REMAP), EINVAL);
	q = shmat(id, p + 1, SHM_RND | SHM_REMAP);
	CHECK("SHM_RND|SHM_REMAP at a mapped address", q == p);
	CHECK_EQ("remap replaced the attach", nattch(id), 1);
	CHECK_STR("remapped pages", p, "hello");
	CHECK_OK("shmdt", shmdt(p));
	CHECK_EQ("nattch 0", nattch(id), 0);

	q = mmap(NULL, 3 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(q, 3 * PG);
	p = shmat(id, q, 0);
	CHECK("shmat at a free address", p == q);
	CHECK_STR("same contents", p, "hello");
	CHECK_OK("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
	CHECK_OK("IPC_STAT after IPC_RMID", shmctl(id, IPC_STAT, &ds));
	CHECK_EQ("SHM_DEST in the mode", ds.shm_perm.mode, 01600);
	CHECK_EQ("key now private", ds.shm_perm.__key, 0);
	CHECK_STR("still readable", p, "hello");
	CHECK_OK("last shmdt", shmdt(p));
	CHECK_ERR("destroyed at the last detach", shmctl(id, IPC_STAT, &ds),
		  EINVAL);
}

static void test_shm_info(void)
{
	int id = shmget(IPC_PRIVATE, PG, 0640);
	struct shminfo si;
	struct shm_info inf;
	struct shmid_ds ds;
	int max;

	max = shmctl(0, IPC_INFO, (struct shmid_ds *)&si);
	CHECK("IPC_INFO returns the highest index", max >= 0);
	CHECK_EQ("shmmni", si.shmmni, 4096);
	CHECK_EQ("shmmax", si.shmmax, ~0UL - (1UL << 24));
	CHECK_EQ("shmall", si.shmall, ~0UL - (1UL << 24));
	CHECK_EQ("shmmin", si.shmmin, 1);
	CHECK_OK("SHM_INFO", shmctl(0, SHM_INFO, (struct shmid_ds *)&inf));
	CHECK("used_ids", inf.used_ids >= 1);
	CHECK("shm_tot", inf.shm_tot >= 1);
	CHECK_EQ("SHM_STAT of its index", shmctl(id & 0x7fff, SHM_STAT, &ds),
		 id);
	CHECK_EQ("SHM_STAT_ANY", shmctl(id & 0x7fff, SHM_STAT_ANY, &ds), id);
	CHECK_ERR("IPC_INFO to a bad buffer", shmctl(0, IPC_INFO, BAD_LOW),
		  EFAULT);
	ds.shm_perm.uid = 0;
	ds.shm_perm.gid = 0;
	ds.shm_perm.mode = 0604;
	CHECK_OK("IPC_SET", shmctl(id, IPC_SET, &ds));
	CHECK_OK("IPC_STAT", shmctl(id, IPC_STAT, &ds));
	CHECK_EQ("IPC_SET mode", ds.shm_perm.mode, 0604);
	ds.shm_perm.uid = (uid_t)-1;
	CHECK_ERR("IPC_SET uid -1", shmctl(id, IPC_SET, &ds), EINVAL);
	shmctl(id, IPC_RMID, NULL);
}

static void test_shm_perm(void)
{
	key_t k = key_base + 2;
	int id = shmget(k, PG, IPC_CREAT | 0604);
	int id2 = shmget(IPC_PRIVATE, PG, 0600);
	pid_t c = fork();

	if (c == 0) {
		struct shmid_ds ds;

		if (drop_privs())
			_exit(2);
		CHECK_ERR("user: shmget 0604 for writing", shmget(k, PG, 0666),
			  EACCES);
		CHECK_EQ("user: shmget 0604 for reading", shmget(k, PG, 0444),
			 id);
		CHECK_ERR("user: shmat read-write", (long)shmat(id, NULL, 0),
			  EACCES);
		void *p = shmat(id, NULL, SHM_RDONLY);

		CHECK("user: shmat SHM_RDONLY", p != (void *)-1);
		CHECK_ERR("user: IPC_STAT on 0600", shmctl(id2, IPC_STAT, &ds),
			  EACCES);
		CHECK_ERR("user: SHM_STAT on 0600",
			  shmctl(id2 & 0x7fff, SHM_STAT, &ds), EACCES);
		CHECK_EQ("user: SHM_STAT_ANY on 0600",
			 shmctl(id2 & 0x7fff, SHM_STAT_ANY, &ds), id2);
		CHECK_ERR("user: IPC_RMID of root's", shmctl(id, IPC_RMID, NULL),
			  EPERM);
		CHECK_ERR("user: IPC_SET of root's", shmctl(id, IPC_SET, &ds),
			  EPERM);
		CHECK_ERR("user: SHM_LOCK", shmctl(id, SHM_LOCK, NULL), EPERM);
		_exit(0);
	}
	CHECK_EQ("unprivileged child ran", wait_child(c), 0);
	shmctl(id, IPC_RMID, NULL);
	shmctl(id2, IPC_RMID, NULL);
}

static int sem_op1(int id, int num, int op, int flg)
{
	struct sembuf sb = { (unsigned short)num, (short)op, (short)flg };

	return semop(id, &sb, 1);
}

static void test_sem_basic(void)
{
	int id = semget(IPC_PRIVATE, 3, 0600);
	unsigned short vals[3] = { 1, 2, 3 }, got[3];
	struct sembuf sb[600];
	struct semid_ds ds;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	long long t0;

	CHECK_ERR("semget nsems -1", semget(IPC_PRIVATE, -1, 0600), EINVAL);
	CHECK_ERR("semget nsems over SEMMSL", semget(IPC_PRIVATE, 32001, 0600),
		  EINVAL);
	CHECK_ERR("semget nsems 0 new", semget(IPC_PRIVATE, 0, 0600), EINVAL);
	CHECK_OK("semget", id);
	CHECK_EQ("new semaphores are 0", semctl(id, 1, GETVAL), 0);
	CHECK_ERR("SETVAL above SEMVMX", semctl(id, 0, SETVAL, 32768), ERANGE);
	CHECK_ERR("SETVAL negative", semctl(id, 0, SETVAL, -1), ERANGE);
	CHECK_ERR("SETVAL bad semnum", semctl(id, 3, SETVAL, 1), EINVAL);
	CHECK_ERR("GETVAL bad semnum", semctl(id, 3, GETVAL), EINVAL);
	CHECK_OK("SETVAL", semctl(id, 0, SETVAL, 5));
	CHECK_EQ("GETVAL", semctl(id, 0, GETVAL), 5);
	CHECK_EQ("GETPID after SETVAL", semctl(id, 0, GETPID), getpid());
	CHECK_OK("SETALL", semctl(id, 0, SETALL, vals));
	CHECK_OK("GETALL", semctl(id, 0, GETALL, got));
	CHECK("GETALL values", got[0] == 1 && got[1] == 2 && got[2] == 3);
	CHECK_OK("IPC_STAT", semctl(id, 0, IPC_STAT, &ds));
	CHECK_EQ("sem_nsems", ds.sem_nsems, 3);
	CHECK_EQ("sem_otime before any semop", ds.sem_otime, 0);

	memset(sb, 0, sizeof(sb));
	CHECK_ERR("semop nsops 0", semop(id, sb, 0), EINVAL);
	CHECK_ERR("semop over SEMOPM", semop(id, sb, 501), E2BIG);
	CHECK_ERR("semop bad sem_num", sem_op1(id, 3, 1, 0), EFBIG);
	CHECK_ERR("semop bad id", sem_op1(-1, 0, 1, 0), EINVAL);
	CHECK_ERR("semop bad sops", semop(id, BAD_LOW, 1), EFAULT);
	CHECK_ERR("decrement below 0, IPC_NOWAIT", sem_op1(id, 0, -2,
		  IPC_NOWAIT), EAGAIN);
	CHECK_ERR("wait for zero, IPC_NOWAIT", sem_op1(id, 0, 0, IPC_NOWAIT),
		  EAGAIN);
	CHECK_ERR("above SEMVMX", sem_op1(id, 0, 32767, 0), ERANGE);
	sb[0] = (struct sembuf){ 0, 1, 0 };
	sb[1] = (struct sembuf){ 1, -5, IPC_NOWAIT };
	CHECK_ERR("all or nothing", semop(id, sb, 2), EAGAIN);
	CHECK_EQ("first op undone", semctl(id, 0, GETVAL), 1);
	sb[1].sem_op = -2;
	CHECK_OK("two ops", semop(id, sb, 2));
	CHECK("applied", semctl(id, 0, GETVAL) == 2 &&
	      semctl(id, 1, GETVAL) == 0);
	CHECK_OK("IPC_STAT", semctl(id, 0, IPC_STAT, &ds));
	CHECK("sem_otime set", ds.sem_otime > 0);

	t0 = now_ns();
	CHECK_ERR("semtimedop times out", semtimedop(id, &(struct sembuf){
		  1, -1, 0 }, 1, &ts), EAGAIN);
	CHECK("after the timeout", now_ns() - t0 >= 40 * 1000 * 1000);
	ts.tv_nsec = 1000000000;
	CHECK_ERR("semtimedop bad timeout", semtimedop(id, &(struct sembuf){
		  1, -1, 0 }, 1, &ts), EINVAL);
	alarm_ms(50);
	CHECK_ERR("signal interrupts semop", sem_op1(id, 1, -1, 0), EINTR);
	CHECK_ERR("semctl bad cmd", semctl(id, 0, 99), EINVAL);
	CHECK_OK("IPC_RMID", semctl(id, 0, IPC_RMID));
	CHECK_ERR("GETVAL after IPC_RMID", semctl(id, 0, GETVAL), EINVAL);
}

static void test_sem_wait(void)
{
	int id = semget(IPC_PRIVATE, 2, 0600);
	pid_t c;
	int i;

	c = fork();
	if (c == 0)
		_exit(sem_op1(id, 0, -1, 0) == 0 ? 0 : 1);
	for (i = 0; i < 200 && semctl(id, 0, GETNCNT) != 1; i++)
		usleep(5000);
	CHECK_EQ("GETNCNT counts the sleeper", semctl(id, 0, GETNCNT), 1);
	CHECK_EQ("GETZCNT", semctl(id, 0, GETZCNT), 0);
	CHECK_OK("wake it", sem_op1(id, 0, 1, 0));
	CHECK_EQ("sleeper got the semaphore", wait_child(c), 0);
	CHECK_EQ("value consumed", semctl(id, 0, GETVAL), 0);
	CHECK_EQ("GETPID is the child's", semctl(id, 0, GETPID), c);

	semctl(id, 1, SETVAL, 1);
	c = fork();
	if (c == 0)
		_exit(sem_op1(id, 1, 0, 0) == 0 ? 0 : 1);
	for (i = 0; i < 200 && semctl(id, 1, GETZCNT) != 1; i++)
		usleep(5000);
	CHECK_EQ("GETZCNT counts the zero waiter", semctl(id, 1, GETZCNT), 1);
	semctl(id, 1, SETVAL, 0);
	CHECK_EQ("SETVAL wakes it", wait_child(c), 0);

	c = fork();
	if (c == 0) {
		CHECK_OK("child: SEM_UNDO up", sem_op1(id, 0, 3, SEM_UNDO));
		CHECK_OK("child: SEM_UNDO down", sem_op1(id, 0, -1, SEM_UNDO));
		_exit(semctl(id, 0, GETVAL) == 2 ? 0 : 1);
	}
	CHECK_EQ("child ran with SEM_UNDO", wait_child(c), 0);
	CHECK_EQ("SEM_UNDO applied at exit", semctl(id, 0, GETVAL), 0);

	c = fork();
	if (c == 0)
		_exit(sem_op1(id, 0, -1, 0) == -1 && errno == EIDRM ? 0 : 1);
	for (i = 0; i < 200 && semctl(id, 0, GETNCNT) != 1; i++)
		usleep(5000);
	CHECK_OK("IPC_RMID with a sleeper", semctl(id, 0, IPC_RMID));
	CHECK_EQ("sleeper gets EIDRM", wait_child(c), 0);
}

static void test_sem_perm(void)
{
	int id = semget(key_base + 3, 1, IPC_CREAT | 0604);
	pid_t c = fork();

	if (c == 0) {
		struct semid_ds ds;

		if (drop_privs())
			_exit(2);
		CHECK_ERR("user: semop on 0604", sem_op1(id, 0, 1, 0), EACCES);
		CHECK_OK("user: wait-for-zero reads", sem_op1(id, 0, 0, 0));
		CHECK_ERR("user: SETVAL", semctl(id, 0, SETVAL, 1), EACCES);
		CHECK_OK("user: IPC_STAT", semctl(id, 0, IPC_STAT, &ds));
		CHECK_ERR("user: IPC_RMID", semctl(id, 0, IPC_RMID), EPERM);
		CHECK_ERR("user: semget for writing",
			  semget(key_base + 3, 1, 0600), EACCES);
		CHECK_ERR("user: semget more semaphores",
			  semget(key_base + 3, 2, 0), EINVAL);
		_exit(0);
	}
	CHECK_EQ("unprivileged child ran", wait_child(c), 0);
	semctl(id, 0, IPC_RMID);
}

struct msgbuf_ {
	long mtype;
	char mtext[64];
};

static int snd(int id, long type, const char *s, int flg)
{
	struct msgbuf_ m = { .mtype = type };

	strncpy(m.mtext, s, sizeof(m.mtext) - 1);
	return msgsnd(id, &m, strlen(s) + 1, flg);
}

/* The type of the message msgrcv(@type, @flg) gets, or -errno. */
static long rcv(int id, long type, size_t size, int flg)
{
	struct msgbuf_ m;

	if (msgrcv(id, &m, size, type, flg) < 0)
		return -errno;
	return m.mtype;
}

static void test_msg(void)
{
	int id = msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	struct msgbuf_ m = { .mtype = 1 };
	static char big[8200];
	pid_t c;
	int i;

	CHECK_OK("msgget", id);
	m.mtype = 0;
	CHECK_ERR("msgsnd mtype 0", msgsnd(id, &m, 1, 0), EINVAL);
	*(long *)big = 1;
	CHECK_ERR("msgsnd above MSGMAX", msgsnd(id, big, 8193, 0), EINVAL);
	CHECK_ERR("msgsnd bad buffer", msgsnd(id, BAD_LOW, 1, 0), EFAULT);
	CHECK_ERR("msgrcv empty, IPC_NOWAIT", msgrcv(id, &m, 64, 0,
		  IPC_NOWAIT), ENOMSG);
	snd(id, 3, "three", 0);
	snd(id, 1, "one", 0);
	snd(id, 2, "two", 0);
	snd(id, 5, "five", 0);
	CHECK_OK("IPC_STAT", msgctl(id, IPC_STAT, &ds));
	CHECK_EQ("msg_qnum", ds.msg_qnum, 4);
	CHECK_EQ("msg_cbytes", ds.msg_cbytes, 6 + 4 + 4 + 5);
	CHECK_EQ("msg_qbytes is MSGMNB", ds.msg_qbytes, 16384);
	CHECK_EQ("msg_lspid", ds.msg_lspid, getpid());
	CHECK_EQ("msgtyp 2", rcv(id, 2, 64, IPC_NOWAIT), 2);
	CHECK_EQ("msgtyp -4: lowest type", rcv(id, -4, 64, IPC_NOWAIT), 1);
	CHECK_EQ("MSG_EXCEPT 3", rcv(id, 3, 64, IPC_NOWAIT | MSG_EXCEPT), 5);
	CHECK_EQ("msgtyp 4 none", rcv(id, 4, 64, IPC_NOWAIT), -ENOMSG);
	CHECK_EQ("too small a buffer", rcv(id, 0, 2, IPC_NOWAIT), -E2BIG);
	CHECK_EQ("MSG_NOERROR truncates", msgrcv(id, &m, 2, 0,
		 IPC_NOWAIT | MSG_NOERROR), 2);
	CHECK_EQ("truncated text", m.mtext[0] == 't' && m.mtext[1] == 'h', 1);
	CHECK_OK("IPC_STAT", msgctl(id, IPC_STAT, &ds));
	CHECK_EQ("queue empty", ds.msg_qnum, 0);
	CHECK_EQ("msg_lrpid", ds.msg_lrpid, getpid());

	ds.msg_qbytes = 10;
	CHECK_OK("IPC_SET msg_qbytes", msgctl(id, IPC_SET, &ds));
	CHECK_OK("fits", snd(id, 1, "12345678", IPC_NOWAIT));
	CHECK_ERR("queue full, IPC_NOWAIT", snd(id, 1, "12", IPC_NOWAIT),
		  EAGAIN);
	alarm_ms(50);
	CHECK_ERR("signal interrupts msgsnd", snd(id, 1, "12", 0), EINTR);
	c = fork();
	if (c == 0)
		_exit(snd(id, 7, "later", 0) == 0 ? 0 : 1);
	usleep(50000);
	CHECK_EQ("receive makes room", rcv(id, 1, 64, 0), 1);
	CHECK_EQ("blocked sender went on", wait_child(c), 0);
	CHECK_EQ("its message", rcv(id, 0, 64, 0), 7);
	ds.msg_qbytes = 16384;
	msgctl(id, IPC_SET, &ds);

	c = fork();
	if (c == 0)
		_exit(rcv(id, 9, 64, 0) == 9 ? 0 : 1);
	usleep(50000);
	snd(id, 8, "eight", 0);
	snd(id, 9, "nine", 0);
	CHECK_EQ("blocked receiver got its type", wait_child(c), 0);
	CHECK_EQ("the other stays", rcv(id, 0, 64, IPC_NOWAIT), 8);

	c = fork();
	if (c == 0)
		_exit(rcv(id, 0, 64, 0) == -EIDRM ? 0 : 1);
	for (i = 0; i < 10; i++)
		usleep(10000);
	CHECK_OK("IPC_RMID with a receiver", msgctl(id, IPC_RMID, NULL));
	CHECK_EQ("receiver gets EIDRM", wait_child(c), 0);
	CHECK_ERR("msgsnd after IPC_RMID", snd(id, 1, "x", 0), EINVAL);

	id = msgget(key_base + 4, IPC_CREAT | 0620);
	c = fork();
	if (c == 0) {
		if (drop_privs())
			_exit(2);
		CHECK_ERR("user: msgrcv on 0620", msgrcv(id, &m, 64, 0,
			  IPC_NOWAIT), EACCES);
		CHECK_ERR("user: msgget IPC_EXCL", msgget(key_base + 4,
			  IPC_CREAT | IPC_EXCL), EEXIST);
		CHECK_ERR("user: IPC_RMID", msgctl(id, IPC_RMID, NULL), EPERM);
		_exit(0);
	}
	CHECK_EQ("unprivileged child ran", wait_child(c), 0);
	msgctl(id, IPC_STAT, &ds);
	ds.msg_perm.uid = UID;
	CHECK_OK("IPC_SET a new owner", msgctl(id, IPC_SET, &ds));
	c = fork();
	if (c == 0) {
		if (drop_privs())
			_exit(2);
		CHECK_OK("owner: msgsnd", snd(id, 1, "x", IPC_NOWAIT));
		ds.msg_qbytes = 16385;
		CHECK_ERR("owner: msg_qbytes past MSGMNB", msgctl(id, IPC_SET,
			  &ds), EPERM);
		ds.msg_qbytes = 100;
		CHECK_OK("owner: lower msg_qbytes", msgctl(id, IPC_SET, &ds));
		_exit(0);
	}
	CHECK_EQ("owner child ran", wait_child(c), 0);
	ds.msg_qbytes = 16385;
	CHECK_OK("root raises msg_qbytes past MSGMNB", msgctl(id, IPC_SET,
								&ds));
	CHECK_OK("the owner's IPC_RMID", msgctl(id, IPC_RMID, NULL));
}

/* The first line of @path, or "" . */
static const char *read_line(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

static void test_next_id(void)
{
	int a = msgget(IPC_PRIVATE, 0600), b;

	msgctl(a, IPC_RMID, NULL);
	b = msgget(IPC_PRIVATE, 0600);
	CHECK("a removed id is not reused at once", b >= 0 && b != a);
	msgctl(b, IPC_RMID, NULL);
	CHECK_STR("kernel.msg_next_id unset", read_line(
		  "/proc/sys/kernel/msg_next_id"), "-1");
	CHECK_OK("write kernel.msg_next_id",
		 write_text("/proc/sys/kernel/msg_next_id", "98309"));
	a = msgget(IPC_PRIVATE, 0600);
	CHECK_EQ("msgget takes msg_next_id", a, 98309);
	CHECK_STR("kernel.msg_next_id used up", read_line(
		  "/proc/sys/kernel/msg_next_id"), "-1");
	msgctl(a, IPC_RMID, NULL);
	CHECK_OK("write kernel.shm_next_id",
		 write_text("/proc/sys/kernel/shm_next_id", "7"));
	a = shmget(IPC_PRIVATE, PG, 0600);
	CHECK_EQ("shmget takes shm_next_id", a, 7);
	shmctl(a, IPC_RMID, NULL);
	CHECK_OK("write kernel.sem_next_id",
		 write_text("/proc/sys/kernel/sem_next_id", "32769"));
	a = semget(IPC_PRIVATE, 1, 0600);
	CHECK_EQ("semget takes sem_next_id", a, 32769);
	semctl(a, 0, IPC_RMID);
	pid_t c = fork();

	if (c == 0) {
		if (drop_privs())
			_exit(2);
		CHECK_ERR("user: open kernel.msg_next_id for writing",
			  open("/proc/sys/kernel/msg_next_id", O_WRONLY), EACCES);
		_exit(0);
	}
	CHECK_EQ("unprivileged child ran", wait_child(c), 0);
}

static void test_sysctl(void)
{
	CHECK_STR("kernel.shmmax", read_line("/proc/sys/kernel/shmmax"),
		  "18446744073692774399");
	CHECK_STR("kernel.shmall", read_line("/proc/sys/kernel/shmall"),
		  "18446744073692774399");
	CHECK_STR("kernel.shmmni", read_line("/proc/sys/kernel/shmmni"),
		  "4096");
	CHECK_STR("kernel.sem", read_line("/proc/sys/kernel/sem"),
		  "32000\t1024000000\t500\t32000");
	CHECK_STR("kernel.msgmax", read_line("/proc/sys/kernel/msgmax"),
		  "8192");
	CHECK_STR("kernel.msgmnb", read_line("/proc/sys/kernel/msgmnb"),
		  "16384");
	CHECK_STR("kernel.msgmni", read_line("/proc/sys/kernel/msgmni"),
		  "32000");
	CHECK("kernel.threads-max (msgstress01 reads it)",
	      atol(read_line("/proc/sys/kernel/threads-max")) >= 20);
}

#define SYSCTL_KERNEL(name)	"/proc/sys/kernel/" name

/* Writes of the one-number IPC tunables: their bounds and bad text. */
static void test_sysctl_write(void)
{
	CHECK_OK("write kernel.shmmax",
		 write_text(SYSCTL_KERNEL("shmmax"), "1000\n"));
	CHECK_STR("... it shows the new value",
		  read_line(SYSCTL_KERNEL("shmmax")), "1000");
	CHECK_ERR("kernel.shmmax takes no sign",
		  write_text(SYSCTL_KERNEL("shmmax"), "-1"), EINVAL);
	CHECK_ERR("kernel.shmmax past an unsigned long is EINVAL",
		  write_text(SYSCTL_KERNEL("shmmax"), "18446744073709551616"),
		  EINVAL);
	CHECK_ERR("kernel.shmall takes a number only",
		  write_text(SYSCTL_KERNEL("shmall"), "12x"), EINVAL);
	CHECK_STR("... the failed writes changed nothing",
		  read_line(SYSCTL_KERNEL("shmmax")), "1000");
	CHECK_OK("kernel.shmmax back to its default",
		 write_text(SYSCTL_KERNEL("shmmax"), "18446744073692774399"));
	CHECK_OK("kernel.shmmni takes 32768 (IPCMNI)",
		 write_text(SYSCTL_KERNEL("shmmni"), "32768"));
	CHECK_ERR("kernel.shmmni above IPCMNI is EINVAL",
		  write_text(SYSCTL_KERNEL("shmmni"), "32769"), EINVAL);
	CHECK_STR("... it kept 32768", read_line(SYSCTL_KERNEL("shmmni")),
		  "32768");
	CHECK_OK("kernel.shmmni back to its default",
		 write_text(SYSCTL_KERNEL("shmmni"), "4096\n"));
	CHECK_ERR("kernel.msgmni below 0 is EINVAL",
		  write_text(SYSCTL_KERNEL("msgmni"), "-1"), EINVAL);
	CHECK_ERR("kernel.msgmax past an int is EINVAL",
		  write_text(SYSCTL_KERNEL("msgmax"), "2147483648"), EINVAL);
	CHECK_ERR("kernel.msgmnb takes a number only",
		  write_text(SYSCTL_KERNEL("msgmnb"), "abc"), EINVAL);
	CHECK_ERR("kernel.msg_next_id below 0 is EINVAL",
		  write_text(SYSCTL_KERNEL("msg_next_id"), "-5"), EINVAL);
	CHECK_STR("kernel.msgmax unchanged", read_line(SYSCTL_KERNEL("msgmax")),
		  "8192");
	CHECK_STR("kernel.msg_next_id unchanged",
		  read_line(SYSCTL_KERNEL("msg_next_id")), "-1");
}

/* Whether /proc/sysvipc/@name has @header and a line starting @prefix. */
static int proc_has(const char *name, const char *header, const char *prefix)
{
	static char buf[65536];
	char path[64];
	int fd, ok;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/sysvipc/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	ok = !strncmp(buf, header, strlen(header));
	return ok && strstr(buf, prefix) != NULL;
}

static void test_proc(void)
{
	int shm = shmget(key_base + 5, 8192, IPC_CREAT | 0640);
	int sem = semget(key_base + 6, 4, IPC_CREAT | 0600);
	int msg = msgget(key_base + 7, IPC_CREAT | 0622);
	char line[256];
	void *p = shmat(shm, NULL, 0);

	snprintf(line, sizeof(line), "\n%10d %10d   640 %21lu %5d %5d  %5lu "
		 "%5u %5u %5u %5u ", key_base + 5, shm, 8192UL, getpid(),
		 getpid(), 1UL, 0, 0, 0, 0);
	CHECK("/proc/sysvipc/shm", proc_has("shm", "       key      shmid "
	      "perms                  size  cpid  lpid nattch   uid   gid  "
	      "cuid  cgid      atime      dtime      ctime                   "
	      "rss                  swap\n", line));
	snprintf(line, sizeof(line), "\n%10d %10d   600 %10u %5u %5u %5u %5u "
		 "%10llu ", key_base + 6, sem, 4, 0, 0, 0, 0, 0ULL);
	CHECK("/proc/sysvipc/sem", proc_has("sem", "       key      semid "
	      "perms      nsems   uid   gid  cuid  cgid      otime      "
	      "ctime\n", line));
	snd(msg, 1, "abc", 0);
	snprintf(line, sizeof(line), "\n%10d %10d   622  %10lu %10lu %5d %5d "
		 "%5u %5u %5u %5u ", key_base + 7, msg, 4UL, 1UL, getpid(), 0,
		 0, 0, 0, 0);
	CHECK("/proc/sysvipc/msg", proc_has("msg", "       key      msqid "
	      "perms      cbytes       qnum lspid lrpid   uid   gid  cuid  "
	      "cgid      stime      rtime      ctime\n", line));
	shmdt(p);
	shmctl(shm, IPC_RMID, NULL);
	semctl(sem, 0, IPC_RMID);
	msgctl(msg, IPC_RMID, NULL);
}

int main(void)
{
	TEST_BEGIN("abi_sysvipc");
	key_base = (key_t)(0x51500000 + (getpid() & 0xffff) * 16);
	test_shm_get();
	test_shm_attach();
	test_shm_info();
	test_shm_perm();
	test_sem_basic();
	test_sem_wait();
	test_sem_perm();
	test_msg();
	test_sysctl();
	test_sysctl_write();
	test_next_id();
	test_proc();
	return TEST_END();
}
