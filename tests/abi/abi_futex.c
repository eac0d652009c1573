/* abi_futex.c - futex: WAKE_OP, (CMP_)REQUEUE counts, bitsets and absolute timeouts, PI lock/unlock/trylock ownership and errors, REQUEUE_PI, robust lists and OWNER_DIED at exit. */
#include "check.h"
#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/mman.h>
#include <time.h>

#define T "abi_futex"

/* <linux/futex.h>, which musl does not ship. */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define P(op)			((op) | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_PRIVATE	P(FUTEX_WAIT)
#define FUTEX_WAKE_PRIVATE	P(FUTEX_WAKE)
#define FUTEX_REQUEUE_PRIVATE	P(FUTEX_REQUEUE)
#define FUTEX_CMP_REQUEUE_PRIVATE P(FUTEX_CMP_REQUEUE)
#define FUTEX_WAKE_OP_PRIVATE	P(FUTEX_WAKE_OP)
#define FUTEX_LOCK_PI_PRIVATE	P(FUTEX_LOCK_PI)
#define FUTEX_UNLOCK_PI_PRIVATE	P(FUTEX_UNLOCK_PI)
#define FUTEX_TRYLOCK_PI_PRIVATE P(FUTEX_TRYLOCK_PI)
#define FUTEX_WAIT_BITSET_PRIVATE P(FUTEX_WAIT_BITSET)
#define FUTEX_WAKE_BITSET_PRIVATE P(FUTEX_WAKE_BITSET)
#define FUTEX_WAIT_REQUEUE_PI_PRIVATE P(FUTEX_WAIT_REQUEUE_PI)
#define FUTEX_CMP_REQUEUE_PI_PRIVATE P(FUTEX_CMP_REQUEUE_PI)
#define FUTEX_WAITERS		0x80000000u
#define FUTEX_OWNER_DIED	0x40000000u
#define FUTEX_TID_MASK		0x3fffffffu
#define FUTEX_OP_SET		0
#define FUTEX_OP_ADD		1
#define FUTEX_OP_OR		2
#define FUTEX_OP_ANDN		3
#define FUTEX_OP_XOR		4
#define FUTEX_OP_OPARG_SHIFT	8
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP_CMP_GT		4
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	(((unsigned)(op) & 0xf) << 28 | ((unsigned)(cmp) & 0xf) << 24 | \
	 ((unsigned)(oparg) & 0xfff) << 12 | ((unsigned)(cmparg) & 0xfff))
#define MS 1000000LL

static long fx(volatile uint32_t *u, int op, uint32_t val, const void *to_or_val2,
	       volatile uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, to_or_val2, u2, val3);
}

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * MS };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static struct timespec abs_in(clockid_t clk, long long ns)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	long long t = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec + ns;
	ts.tv_sec = t / 1000000000LL;
	ts.tv_nsec = t % 1000000000LL;
	return ts;
}

/*
 * Wait until @n waiters are queued on @u: a requeue onto the same word
 * counts them and changes nothing (as Linux's requeue_futex in place).
 */
static void wait_queued(volatile uint32_t *u, int private, long n)
{
	long long t0 = now_ns();
	while (fx(u, FUTEX_REQUEUE | private, 0, (void *)0x7fffffffL, u, 0) < n &&
	       now_ns() - t0 < 5000 * MS)
		sleep_ms(1);
}

/* A thread waiting on a futex word; records the call's result. */
struct waiter {
	pthread_t th;
	volatile uint32_t *word;
	int op;
	uint32_t val, bitset;
	volatile uint32_t *word2;
	long ret;
	int err;
	volatile int started, done;
};

static void *waiter_fn(void *arg)
{
	struct waiter *w = arg;
	w->started = 1;
	w->ret = fx(w->word, w->op, w->val, NULL, w->word2, w->bitset);
	w->err = errno;
	w->done = 1;
	return NULL;
}

static void start_waiter(struct waiter *w, volatile uint32_t *word, int op,
			 uint32_t val, uint32_t bitset, volatile uint32_t *word2)
{
	w->word = word;
	w->op = op;
	w->val = val;
	w->bitset = bitset;
	w->word2 = word2;
	w->done = 0;
	w->started = 0;
	pthread_create(&w->th, NULL, waiter_fn, w);
}

static void join(struct waiter *w)
{
	pthread_join(w->th, NULL);
}

static volatile uint32_t f1, f2;

static void test_wake_op(void)
{
	struct waiter a, b;
	f2 = 5;
	CHECK_EQ("WAKE_OP no waiters", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
					  FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)), 0);
	CHECK_EQ("WAKE_OP ADD applied", f2, 8);
	fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2, FUTEX_OP(FUTEX_OP_OR, 4, FUTEX_OP_CMP_EQ, 0) | ((unsigned)FUTEX_OP_OPARG_SHIFT << 28));
	CHECK_EQ("WAKE_OP OR with OPARG_SHIFT (1<<4)", f2, 24);
	fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2, FUTEX_OP(FUTEX_OP_ANDN, 8, FUTEX_OP_CMP_EQ, 0));
	CHECK_EQ("WAKE_OP ANDN", f2, 16);
	fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2, FUTEX_OP(FUTEX_OP_XOR, 3, FUTEX_OP_CMP_EQ, 0));
	CHECK_EQ("WAKE_OP XOR", f2, 19);
	fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2, FUTEX_OP(FUTEX_OP_SET, -2, FUTEX_OP_CMP_EQ, 0));
	CHECK_EQ("WAKE_OP SET sign-extends oparg", (int32_t)f2, -2);
	CHECK_ERR("WAKE_OP unknown op ENOSYS", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
						   (7u << 28) | (1 << 12)), ENOSYS);
	CHECK_EQ("unknown op leaves the word", (int32_t)f2, -2);
	f2 = 1;
	CHECK_ERR("WAKE_OP unknown cmp ENOSYS", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
						    FUTEX_OP(FUTEX_OP_SET, 9, 9, 0)), ENOSYS);
	CHECK_EQ("unknown cmp: the op was done", f2, 9);
	CHECK_ERR("WAKE_OP bad uaddr2 EFAULT", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1,
						   (volatile uint32_t *)BAD_LOW, 0), EFAULT);

	/* a waits on f1, b on f2: the comparison decides whether b wakes */
	f1 = 0;
	f2 = 8;
	start_waiter(&a, &f1, FUTEX_WAIT_PRIVATE, 0, 0, NULL);
	start_waiter(&b, &f2, FUTEX_WAIT_PRIVATE, 8, 0, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 1);
	wait_queued(&f2, FUTEX_PRIVATE_FLAG, 1);
	CHECK_EQ("WAKE_OP false comparison wakes only uaddr's", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
	    FUTEX_OP(FUTEX_OP_SET, 8, FUTEX_OP_CMP_GT, 100)), 1);
	join(&a);
	start_waiter(&a, &f1, FUTEX_WAIT_PRIVATE, 0, 0, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 1);
	CHECK_EQ("WAKE_OP true comparison wakes both", fx(&f1, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &f2,
	    FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)), 2);
	join(&a);
	join(&b);
	CHECK("both waits returned 0", a.ret == 0 && b.ret == 0 && f2 == 0);
}

static void test_requeue(void)
{
	struct waiter w[3];
	f1 = 0;
	f2 = 0;
	for (int i = 0; i < 3; i++)
		start_waiter(&w[i], &f1, FUTEX_WAIT_PRIVATE, 0, 0, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 3);
	CHECK_ERR("CMP_REQUEUE value differs EAGAIN", fx(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &f2, 1), EAGAIN);
	CHECK_ERR("CMP_REQUEUE negative count EINVAL", fx(&f1, FUTEX_CMP_REQUEUE_PRIVATE, -1, (void *)1, &f2, 0), EINVAL);
	CHECK_EQ("CMP_REQUEUE counts woken + requeued", fx(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &f2, 0), 2);
	CHECK_EQ("one waiter left on uaddr", fx(&f1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1);
	CHECK_EQ("the requeued one waits on uaddr2", fx(&f2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1);
	for (int i = 0; i < 3; i++)
		join(&w[i]);
	for (int i = 0; i < 2; i++)
		start_waiter(&w[i], &f1, FUTEX_WAIT_PRIVATE, 0, 0, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 2);
	CHECK_EQ("REQUEUE returns woken + requeued too", fx(&f1, FUTEX_REQUEUE_PRIVATE, 0, (void *)5, &f2, 0), 2);
	CHECK_EQ("both now on uaddr2", fx(&f2, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 2);
	for (int i = 0; i < 2; i++)
		join(&w[i]);
	/* FUTEX_WAKE with a count of 0 still wakes one, as Linux */
	start_waiter(&w[0], &f1, FUTEX_WAIT_PRIVATE, 0, 0, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 1);
	CHECK_EQ("FUTEX_WAKE count 0 wakes one", fx(&f1, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0), 1);
	join(&w[0]);
}

static void test_bitset(void)
{
	struct waiter a, b;
	struct timespec ts;
	f1 = 0;
	start_waiter(&a, &f1, FUTEX_WAIT_BITSET_PRIVATE, 0, 0x1, NULL);
	start_waiter(&b, &f1, FUTEX_WAIT_BITSET_PRIVATE, 0, 0x6, NULL);
	wait_queued(&f1, FUTEX_PRIVATE_FLAG, 2);
	CHECK_EQ("WAKE_BITSET 0x8 matches none", fx(&f1, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 0x8), 0);
	CHECK_EQ("WAKE_BITSET 0x2 wakes the 0x6 waiter", fx(&f1, FUTEX_WAKE_BITSET_PRIVATE, 10, NULL, NULL, 0x2), 1);
	join(&b);
	CHECK_EQ("plain FUTEX_WAKE matches any bitset", fx(&f1, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0), 1);
	join(&a);
	CHECK_ERR("WAIT_BITSET bitset 0 EINVAL", fx(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR("WAKE_BITSET bitset 0 EINVAL", fx(&f1, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0), EINVAL);
	long long t0 = now_ns();
	ts = abs_in(CLOCK_MONOTONIC, 50 * MS);
	CHECK_ERR("WAIT_BITSET absolute monotonic ETIMEDOUT", fx(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, ~0u), ETIMEDOUT);
	CHECK("at the absolute time", now_ns() - t0 >= 49 * MS);
	t0 = now_ns();
	ts = abs_in(CLOCK_REALTIME, 50 * MS);
	CHECK_ERR("WAIT_BITSET|CLOCK_REALTIME absolute ETIMEDOUT",
		  fx(&f1, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &ts, NULL, ~0u), ETIMEDOUT);
	CHECK("at the wall-clock time", now_ns() - t0 >= 49 * MS);
	ts = abs_in(CLOCK_MONOTONIC, -10 * MS);
	CHECK_ERR("absolute time past ETIMEDOUT at once", fx(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, &ts, NULL, ~0u), ETIMEDOUT);
	struct timespec rel = { 0, 20 * MS };
	CHECK_ERR("FUTEX_WAIT|CLOCK_REALTIME ENOSYS",
		  fx(&f1, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &rel, NULL, 0), ENOSYS);
	CHECK_ERR("FUTEX_WAKE|CLOCK_REALTIME ENOSYS", fx(&f1, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0), ENOSYS);
	CHECK_ERR("FUTEX_LOCK_PI|CLOCK_REALTIME ENOSYS", fx(&f1, FUTEX_LOCK_PI | FUTEX_CLOCK_REALTIME, 0, NULL, NULL, 0), ENOSYS);
	CHECK_ERR("WAIT_BITSET bad timeout pointer EFAULT", fx(&f1, FUTEX_WAIT_BITSET_PRIVATE, 0, BAD_LOW, NULL, ~0u), EFAULT);

	/* a shared futex across fork, in MAP_SHARED memory */
	volatile uint32_t *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*sh = 0;
	pid_t c = fork();
	if (c == 0) {
		struct timespec to = { 5, 0 };
		_exit(fx(sh, FUTEX_WAIT, 0, &to, NULL, 0) == 0 ? 0 : 1);
	}
	wait_queued(sh, 0, 1);
	CHECK_EQ("shared futex: wake from another process", fx(sh, FUTEX_WAKE, 1, NULL, NULL, 0), 1);
	int st;
	waitpid(c, &st, 0);
	CHECK("the other process's wait returned 0", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	munmap((void *)sh, 4096);
}

static volatile uint32_t pi;
static volatile int holder_go;

static void *pi_holder(void *arg)
{
	long hold_ms = (long)arg;
	fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	holder_go = 1;
	sleep_ms(hold_ms);
	fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

static void test_pi(void)
{
	pid_t me = gettid_();
	pthread_t th;
	pi = 0;
	CHECK_EQ("LOCK_PI on a free lock", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("the word holds our tid", pi, (uint32_t)me);
	CHECK_ERR("LOCK_PI on our own lock EDEADLK", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), EDEADLK);
	CHECK_ERR("TRYLOCK_PI on our own lock EDEADLK", fx(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EDEADLK);
	CHECK_EQ("UNLOCK_PI", fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("the word is 0", pi, 0);
	CHECK_ERR("UNLOCK_PI not owned EPERM", fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EPERM);
	CHECK_EQ("TRYLOCK_PI on a free lock", fx(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("trylock took it", pi, (uint32_t)me);
	fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
	pi = FUTEX_OWNER_DIED;
	CHECK_EQ("LOCK_PI on an owner-died free lock", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("keeps OWNER_DIED", pi, FUTEX_OWNER_DIED | (uint32_t)me);
	CHECK_EQ("UNLOCK_PI clears every bit", (fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), pi), 0);
	pi = 0x3ffffff0;
	CHECK_ERR("LOCK_PI owned by no task ESRCH", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), ESRCH);
	CHECK_EQ("FUTEX_WAITERS was set", pi, 0x3ffffff0 | FUTEX_WAITERS);
	CHECK_ERR("UNLOCK_PI of another's lock EPERM", fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EPERM);
	CHECK_ERR("LOCK_PI misaligned EINVAL", fx((volatile uint32_t *)((char *)&pi + 1), FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), EINVAL);
	CHECK_ERR("LOCK_PI bad address EFAULT", fx((volatile uint32_t *)BAD_LOW, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), EFAULT);

	/* contention: another thread holds it */
	pi = 0;
	holder_go = 0;
	pthread_create(&th, NULL, pi_holder, (void *)300L);
	while (!holder_go)
		sleep_ms(1);
	uint32_t owner = pi & FUTEX_TID_MASK;
	CHECK_ERR("TRYLOCK_PI held by another EAGAIN", fx(&pi, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0), EAGAIN);
	CHECK_EQ("and sets FUTEX_WAITERS", pi, owner | FUTEX_WAITERS);
	struct timespec ts = abs_in(CLOCK_REALTIME, 50 * MS);
	CHECK_ERR("LOCK_PI times out at an absolute wall time", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, &ts, NULL, 0), ETIMEDOUT);
	CHECK_EQ("LOCK_PI waits for the holder's UNLOCK_PI", fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("handed over: our tid with FUTEX_WAITERS", pi, (uint32_t)me | FUTEX_WAITERS);
	pthread_join(th, NULL);
	CHECK_EQ("UNLOCK_PI with no waiters left", fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	CHECK_EQ("the word is 0 again", pi, 0);
}

/* REQUEUE_PI: glibc's condition variable with a PI mutex. */
static volatile uint32_t cv;

static void test_requeue_pi(void)
{
	struct waiter a, b;
	pid_t me = gettid_();
	cv = 0;
	pi = 0;
	CHECK_ERR("WAIT_REQUEUE_PI on one word EINVAL", fx(&cv, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &cv, 0), EINVAL);
	CHECK_ERR("WAIT_REQUEUE_PI value differs EAGAIN", fx(&cv, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, &pi, 0), EAGAIN);
	/* a REQUEUE_PI waiter makes FUTEX_WAKE fail: a sign it is queued */
	start_waiter(&a, &cv, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, 0, &pi);
	long long t0 = now_ns();
	while (fx(&cv, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0 && now_ns() - t0 < 5000 * MS)
		sleep_ms(1);
	start_waiter(&b, &cv, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, 0, &pi);
	while (!b.started)
		sleep_ms(1);
	sleep_ms(200);
	CHECK_ERR("FUTEX_WAKE on a REQUEUE_PI waiter EINVAL", fx(&cv, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), EINVAL);
	CHECK_ERR("CMP_REQUEUE_PI nr_wake must be 1", fx(&cv, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, (void *)1, &pi, 0), EINVAL);
	fx(&pi, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);	/* we hold the mutex */
	CHECK_EQ("CMP_REQUEUE_PI moves both to the held lock", fx(&cv, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)2, &pi, 0), 2);
	CHECK_EQ("the lock word got FUTEX_WAITERS", pi, (uint32_t)me | FUTEX_WAITERS);
	CHECK_EQ("UNLOCK_PI hands it to the first", fx(&pi, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0), 0);
	/* each thread ends holding it: Linux passes a PI lock held at exit on */
	join(&a);
	join(&b);
	CHECK("both got the lock in turn (unlock, then the owner's exit)", a.ret == 0 && b.ret == 0);
	pid_t last = (pid_t)(pi & FUTEX_TID_MASK);
	CHECK("the word names the last owner, with FUTEX_WAITERS", last != me && last != 0 && (pi & FUTEX_WAITERS));
	/* a free lock: CMP_REQUEUE_PI takes it for the waiter at once */
	struct waiter c;
	pi = 0;
	cv = 0;
	start_waiter(&c, &cv, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, 0, &pi);
	t0 = now_ns();
	while (fx(&cv, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0 && now_ns() - t0 < 5000 * MS)
		sleep_ms(1);
	CHECK_EQ("CMP_REQUEUE_PI on a free lock wakes the owner-to-be", fx(&cv, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (void *)0, &pi, 0), 1);
	join(&c);
	CHECK("it returned 0 owning the lock", c.ret == 0 && (pi & FUTEX_TID_MASK) != 0 && (pi & FUTEX_TID_MASK) != (uint32_t)me);
}

/* Robust lists: the owner is a child process, the lock word shared. */
struct robust_entry {
	struct robust_entry *next;
	uint32_t word;
};
struct robust_head {
	struct robust_entry *next;
	long futex_offset;
	struct robust_entry *pending;
};
struct robust_shared {
	struct robust_entry ent;
	volatile int locked;
	volatile pid_t tid;
};

static struct robust_head rhead;

/* The child: register a list holding @sh's lock, take it, die. */
static void robust_owner(struct robust_shared *sh, int use_pi)
{
	rhead.next = use_pi ? (struct robust_entry *)((uintptr_t)&sh->ent | 1) : &sh->ent;
	sh->ent.next = (struct robust_entry *)&rhead;
	rhead.futex_offset = offsetof(struct robust_entry, word);
	rhead.pending = NULL;
	syscall(SYS_set_robust_list, &rhead, sizeof(rhead));
	sh->tid = gettid_();
	if (use_pi)
		fx(&sh->ent.word, FUTEX_LOCK_PI, 0, NULL, NULL, 0);
	else
		sh->ent.word = (uint32_t)sh->tid;
	sh->locked = 1;
	sleep_ms(400);
	_exit(0);
}

static void test_robust(void)
{
	void *head;
	size_t len;
	int st;
	CHECK_ERR("set_robust_list wrong size EINVAL", syscall(SYS_set_robust_list, &rhead, 23), EINVAL);
	CHECK_OK("get_robust_list self", syscall(SYS_get_robust_list, 0, &head, &len));
	CHECK_EQ("len is sizeof(struct robust_list_head)", len, 24);
	CHECK_ERR("get_robust_list no such pid ESRCH", syscall(SYS_get_robust_list, 999999, &head, &len), ESRCH);
	CHECK_ERR("get_robust_list bad pointer EFAULT", syscall(SYS_get_robust_list, 0, BAD_LOW, &len), EFAULT);

	struct robust_shared *sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	/* a plain robust lock, held at exit, with a waiter */
	memset(sh, 0, sizeof(*sh));
	pid_t c = fork();
	if (c == 0)
		robust_owner(sh, 0);
	while (!sh->locked)
		sleep_ms(1);
	void *got = NULL;
	syscall(SYS_get_robust_list, c, &got, &len);
	CHECK("get_robust_list of another process", got == &rhead);
	sh->ent.word |= FUTEX_WAITERS;
	struct timespec to = { 5, 0 };
	long r = fx(&sh->ent.word, FUTEX_WAIT, (uint32_t)sh->tid | FUTEX_WAITERS, &to, NULL, 0);
	CHECK_EQ("the owner's death wakes a (shared) waiter", r, 0);
	CHECK_EQ("the word: OWNER_DIED | WAITERS, no tid", sh->ent.word, FUTEX_OWNER_DIED | FUTEX_WAITERS);
	waitpid(c, &st, 0);

	/* a robust PI lock: the waiter gets it, marked owner-died */
	memset(sh, 0, sizeof(*sh));
	c = fork();
	if (c == 0)
		robust_owner(sh, 1);
	while (!sh->locked)
		sleep_ms(1);
	CHECK_EQ("LOCK_PI waits for the robust PI owner", fx(&sh->ent.word, FUTEX_LOCK_PI, 0, NULL, NULL, 0), 0);
	CHECK_EQ("and gets it OWNER_DIED | WAITERS | our tid", sh->ent.word,
		 FUTEX_OWNER_DIED | FUTEX_WAITERS | (uint32_t)gettid_());
	CHECK_EQ("UNLOCK_PI", fx(&sh->ent.word, FUTEX_UNLOCK_PI, 0, NULL, NULL, 0), 0);
	waitpid(c, &st, 0);
	munmap(sh, 4096);

	/* libc's process-shared robust mutex, its owner process dying */
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(m, &at);
	c = fork();
	if (c == 0) {
		pthread_mutex_lock(m);
		_exit(0);
	}
	waitpid(c, &st, 0);
	CHECK_EQ("robust mutex of a dead process: EOWNERDEAD", pthread_mutex_lock(m), EOWNERDEAD);
	CHECK_EQ("pthread_mutex_consistent", pthread_mutex_consistent(m), 0);
	CHECK_EQ("unlock", pthread_mutex_unlock(m), 0);
	munmap(m, 4096);
}

/*
 * A shared futex's word must be accessible memory (Linux faults it in):
 * unmapped, PROT_NONE and a file page beyond the end are EFAULT, for a
 * wake too, and for requeue's second word; a private wake never looks.
 */
static void test_fault(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint32_t *hole = mmap(NULL, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t *none = mmap(NULL, pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[] = "/tmp/abi_futex_XXXXXX";
	int fd = mkstemp(path);
	uint32_t *past = NULL;

	munmap(hole, pg);
	if (fd >= 0 && ftruncate(fd, pg) == 0) {
		past = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		CHECK_OK("truncate the mapped file to 0", ftruncate(fd, 0));
	}
	CHECK_ERR("wake on an unmapped word", fx(hole, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_ERR("wake on a PROT_NONE word", fx(none, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_ERR("wake on a word past the file's end",
		  fx(past, FUTEX_WAKE, 1, NULL, NULL, 0), EFAULT);
	CHECK_EQ("private wake on an unmapped word: nothing to wake",
		 fx(hole, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0), 0);
	CHECK_ERR("cmp_requeue to an unmapped word",
		  fx(&f1, FUTEX_CMP_REQUEUE, 1, (void *)1, hole, f1), EFAULT);
	CHECK_ERR("cmp_requeue to a PROT_NONE word",
		  fx(&f1, FUTEX_CMP_REQUEUE, 1, (void *)1, none, f1), EFAULT);
	CHECK_EQ("shared wake on an untouched shared page: nothing to wake",
		 ({ uint32_t *sh = mmap(NULL, pg, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		    long r = fx(sh, FUTEX_WAKE, 1, NULL, NULL, 0);
		    munmap(sh, pg); r; }), 0);
	munmap(none, pg);
	if (past)
		munmap(past, pg);
	if (fd >= 0)
		close(fd);
	unlink(path);
}

int main(void)
{
	TEST_BEGIN(T);
	test_fault();
	test_wake_op();
	test_requeue();
	test_bitset();
	test_pi();
	test_requeue_pi();
	test_robust();
	return TEST_END();
}
