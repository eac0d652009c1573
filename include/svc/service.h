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

/* A lock a service may hold across its own code; released on a fault. */
struct svc_lock {
	bool held;
	struct svc_lock *next_held;	/* the holder's list, while held */
};
/* Take @l (process context; sleeps while another task holds it). */
void svc_lock(struct svc_lock *l);
void svc_unlock(struct svc_lock *l);

/*
 * Service start-up: SERVICE_INIT(fn) runs fn() once at boot, after the
 * kernel core is up and before the root filesystem is mounted.
 */
typedef int (*service_init_fn)(void);
#define SERVICE_INIT(fn)						\
	static const service_init_fn __service_init_##fn		\
		__section(".service_init") __used __aligned(8) = fn
