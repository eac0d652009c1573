/*
 * The service boundary's kernel half: service registration and tokens,
 * the bookkeeping of a call across the boundary (svc_begin/svc_end), what
 * a contained fault does (svc_fault), and the locks services may hold
 * (mutexes, kernel/proc/mutex.c, recorded in the call they are taken in).
 * The per-operation wrappers that use it are generated in the dispatch
 * files (include/kernel/svc_dispatch.h).
 */
#include <kernel/service.h>
#include <kernel/task.h>
#include <svc/random.h>
#include <platform/printk.h>
#include <uapi/errno.h>

/* The call the running task is in, innermost (its armed point's owner). */
static struct svc_call *current_call(void)
{
	struct contain_point *p = contain_current();

	return p ? container_of(p, struct svc_call, point) : NULL;
}

/* Once per service, however many types or devices it registers. */
void svc_register(struct service *svc)
{
#if CONFIG_SVC_CAP_RUNTIME
	while (!svc->nonce)
		random_bytes(&svc->nonce, sizeof(svc->nonce));
#else
	(void)svc;
#endif
}

struct svc_cap svc_mint(const struct service *svc)
{
	struct svc_cap cap;

#if CONFIG_SVC_CAP_RUNTIME
	cap.svc = svc;
	cap.nonce = svc ? svc->nonce : 0;
#else
	(void)svc;
#endif
	return cap;
}

/* Fortress: is @cap a token of @svc? Always true elsewhere (no token). */
static bool cap_valid(const struct service *svc, struct svc_cap cap)
{
#if CONFIG_SVC_CAP_RUNTIME
	return cap.svc == svc && cap.nonce == svc->nonce;
#else
	(void)svc;
	(void)cap;
	return true;
#endif
}

long svc_begin(struct svc_call *call, struct service *svc,
	       struct svc_cap cap, const char *op)
{
	if (svc->failed)
		return -EIO;
	if (!cap_valid(svc, cap)) {
		pr_warn("service %s: %s refused: forged or stale capability",
			svc->name, op);
		return -EPERM;
	}
	call->svc = svc;
	call->op = op;
	call->locks = NULL;
	return 0;
}

void svc_end(struct svc_call *call)
{
	contain_exit(&call->point);
}

long svc_fault(struct svc_call *call)
{
	struct service *svc = call->svc;
	struct contain_point *p = &call->point;
	unsigned freed = p->nallocs;

	while (call->locks) {		/* give back what the service held */
		struct svc_lock *l = call->locks;

		call->locks = l->next_held;
		l->next_held = NULL;
		mutex_unlock(&l->mutex);
	}
	contain_free_allocs(p);
	svc->faults++;
	if (p->panicked)
		pr_err("service %s: %s: contained panic \"%s\" (freed %u blocks%s); %s",
		       svc->name, call->op, p->panic_msg, freed,
		       p->untracked ? ", some untracked" : "",
		       svc->restartable ? "restarted" : "marked failed");
	else
		pr_err("service %s: %s: contained %s at %p, address %p (freed %u blocks%s); %s",
		       svc->name, call->op, p->fault, (void *)p->fault_rip,
		       (void *)p->fault_addr, freed,
		       p->untracked ? ", some untracked" : "",
		       svc->restartable ? "restarted" : "marked failed");
	svc->failed = !svc->restartable;
	return -EIO;
}

void svc_lock_init(struct svc_lock *l, struct lock_class *class)
{
	mutex_init(&l->mutex, class);
	l->next_held = NULL;
}

void svc_lock_at(struct svc_lock *l, const char *site)
{
	mutex_lock_at(&l->mutex, site);
	struct svc_call *call = current_call();

	if (call) {
		l->next_held = call->locks;
		call->locks = l;
	}
}

void svc_unlock_at(struct svc_lock *l, const char *site)
{
	struct svc_call *call = current_call();

	if (call) {
		struct svc_lock **pp = &call->locks;

		while (*pp && *pp != l)
			pp = &(*pp)->next_held;
		if (*pp)
			*pp = l->next_held;
	}
	l->next_held = NULL;
	mutex_unlock_at(&l->mutex, site);
}
