/*
 * A ring-2 service as it declares itself: its name, whether it may be
 * restarted after a fault, the capability ring 1 presents when it calls
 * it, the locks it may hold across its own code, and its start-up
 * function. The kernel keeps the rest (include/kernel/service.h): in the
 * containing profiles a fault inside a call ends the call with -EIO,
 * frees what the call allocated, releases the svc_locks it held, logs
 * one line, and marks the service failed, or restarts it if it is
 * restartable.
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/profile.h>
#include <aramid/types.h>
#include <svc/mutex.h>

struct service {
	const char *name;
	bool restartable;	/* a fault clears nothing it needs: go on */
	/* Kept by the kernel. */
	bool failed;
	unsigned faults;
	uint64_t nonce;		/* fortress: what a valid token carries */
};

#define SERVICE_DEFINE(var, name_, restartable_)			\
	struct service var = { .name = name_, .restartable = restartable_ }

/*
 * The capability a caller presents with each call. Fortress: a runtime
 * token (service + nonce), checked at every boundary crossing. Balanced:
 * a zero-size type, so carrying it costs nothing. Others: the same empty
 * type, never checked.
 */
struct svc_cap {
#if CONFIG_SVC_CAP_RUNTIME
	const struct service *svc;
	uint64_t nonce;
#endif
};
#if !CONFIG_SVC_CAP_RUNTIME
_Static_assert(sizeof(struct svc_cap) == 0, "the static token is free");
#endif

/*
 * A lock a service may hold across its own code, sleeps included: a
 * mutex (<svc/mutex.h>, its rules and checks), which the service
 * boundary also records in the call it is taken in, so that a fault
 * inside the call gives it back. Give each one a class first
 * (svc_lock_init; a zeroed one is free).
 */
struct svc_lock {
	struct mutex mutex;
	struct svc_lock *next_held;	/* the holder's list, while held */
};
/* Make @l a free lock of class @class (LOCK_CLASS_DEFINE). */
void svc_lock_init(struct svc_lock *l, struct lock_class *class);
/*
 * Take @l: task context, no spinlock held; sleeps while
 * another task holds it, and is handed it in arrival order.
 */
#define svc_lock(l)	svc_lock_at((l), LOCK_SITE)
/* Give @l back. Held by this task. */
#define svc_unlock(l)	svc_unlock_at((l), LOCK_SITE)
void svc_lock_at(struct svc_lock *l, const char *site);
void svc_unlock_at(struct svc_lock *l, const char *site);

/*
 * Service start-up: SERVICE_INIT(fn) runs fn() once at boot, after the
 * kernel core is up and before the root filesystem is mounted.
 */
typedef int (*service_init_fn)(void);
#define SERVICE_INIT(fn)						\
	static const service_init_fn __service_init_##fn		\
		__section(".service_init") __used __aligned(8) = fn
