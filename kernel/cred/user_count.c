/*
 * Per-user counts (see include/kernel/user_count.h): a list of the users
 * that own tasks, queued signals or message queues, root's entry static
 * and permanent, the others freed with their last reference.
 */
#include <kernel/user_count.h>
#include <kernel/task.h>
#include <platform/heap.h>
#include <svc/task.h>
#include <uapi/errno.h>


static struct user_count root_user = { .uid = 0, .refs = 1 };
static LIST_HEAD(users);

/* @uid's entry with one more reference, made if need be; NULL: no memory. */
static struct user_count *user_get(uid_t uid)
{
	struct user_count *u;

	if (uid == 0) {
		root_user.refs++;
		return &root_user;
	}
	list_for_each_entry(u, &users, link) {
		if (u->uid == uid) {
			u->refs++;
			return u;
		}
	}
	u = kzalloc(sizeof(*u));
	if (!u)
		return NULL;
	u->uid = uid;
	u->refs = 1;
	list_add_tail(&u->link, &users);
	return u;
}

static void user_put(struct user_count *u)
{
	if (--u->refs || u == &root_user)
		return;
	list_del(&u->link);
	kfree(u);
}

/* Linux's is_rlimit_overlimit: more than the limit counted. */
static bool over(const struct user_count *u, uint64_t limit)
{
	return u->tasks > limit;
}

void user_count_init_task(struct task *t)
{
	root_user.refs++;
	root_user.tasks++;
	t->user = &root_user;
}

void user_count_fork(struct task *c, const struct task *parent)
{
	c->user = parent->user;
	c->user->refs++;
	c->user->tasks++;
}

void user_count_release(struct task *t)
{
	if (!t->user)
		return;
	t->user->tasks--;
	user_put(t->user);
	t->user = NULL;
}

int user_count_may_fork(void)
{
	/* Linux counts the child first, then compares: >= before it. */
	if (current->user->tasks >= rlimit(RLIMIT_NPROC) &&
	    current->user != &root_user && !capable(CAP_SYS_RESOURCE) &&
	    !capable(CAP_SYS_ADMIN))
		return -EAGAIN;
	current->nproc_exceeded = false;
	return 0;
}

int user_count_setuid(uid_t uid)
{
	struct user_count *old = current->user, *u;

	if (uid == old->uid)
		return 0;
	u = user_get(uid);
	if (!u)
		return -EAGAIN;
	current->nproc_exceeded = u != &root_user &&
				  over(u, rlimit(RLIMIT_NPROC));
	u->tasks++;
	current->user = u;
	old->tasks--;
	user_put(old);
	return 0;
}

int user_count_exec_check(void)
{
	if (current->nproc_exceeded &&
	    over(current->user, rlimit(RLIMIT_NPROC)))
		return -EAGAIN;
	current->nproc_exceeded = false;
	return 0;
}

bool user_sigpending_get(struct user_count *u, uint64_t limit, bool force)
{
	if (u->sigpending >= limit && !force)
		return false;
	u->sigpending++;
	u->refs++;
	return true;
}

void user_sigpending_put(struct user_count *u)
{
	u->sigpending--;
	user_put(u);
}

struct user_count *user_mq_charge(unsigned long bytes)
{
	struct user_count *u = current->user;

	if (u->mq_bytes + bytes < u->mq_bytes ||
	    u->mq_bytes + bytes > rlimit(RLIMIT_MSGQUEUE))
		return NULL;
	u->mq_bytes += bytes;
	u->refs++;
	return u;
}

void user_mq_uncharge(struct user_count *u, unsigned long bytes)
{
	u->mq_bytes -= bytes;
	user_put(u);
}
