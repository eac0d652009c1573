/*
 * The service boundary as ring 1 keeps it (kernel/svc/svc_boundary.c): a service
 * (include/svc/service.h) is called only through the wrappers of the
 * dispatch files (include/kernel/svc_dispatch.h). In the containing profiles a fault inside a call ends
 * the call with -EIO (the kernel lives on), frees what the call allocated,
 * releases the svc_locks it held, logs one line, and marks the service
 * failed, or restarts it if it is restartable. In fortress every call also
 * presents a capability token that must match the service's nonce.
 */
#pragma once
#include <aramid/profile.h>
#include <aramid/types.h>
#include <platform/contain.h>
#include <svc/service.h>

/* Give @svc its nonce (at registration). */
void svc_register(struct service *svc);
/* A valid token for @svc, for the kernel object that will present it. */
struct svc_cap svc_mint(const struct service *svc);

/* One call in progress across the boundary (on the caller's stack). */
struct svc_call {
	struct contain_point point;
	struct service *svc;
	const char *op;
	struct svc_lock *locks;		/* held by the service in this call */
};

/*
 * Start a call of @op on @svc presenting @cap: 0, or -EIO (the service has
 * failed) or -EPERM (the token is refused). Then arm call->point.
 */
long svc_begin(struct svc_call *call, struct service *svc,
	       struct svc_cap cap, const char *op);
/* The call returned normally. */
void svc_end(struct svc_call *call);
/* The call faulted: clean up, log, fail or restart the service; -EIO. */
long svc_fault(struct svc_call *call);

#if CONFIG_SVC_CONTAIN
/*
 * Evaluate @call (an expression calling into @svc) inside the boundary,
 * storing its value in @ret; -EIO or -EPERM instead when refused or when
 * the service faults. A NULL @svc is ring-1 code: a plain call.
 */
#define SVC_CALL(svc, cap, opname, ret, call)				\
	do {								\
		struct service *__svc = (svc);				\
		struct svc_call __c __uninit;				\
		if (!__svc) {						\
			ret = (call);					\
			break;						\
		}							\
		long __err = svc_begin(&__c, __svc, (cap), (opname));	\
		if (__err) {						\
			ret = __err;					\
			break;						\
		}							\
		if (contain_enter(&__c.point) == 0) {			\
			ret = (call);					\
			svc_end(&__c);					\
		} else {						\
			ret = svc_fault(&__c);				\
		}							\
	} while (0)

/* The same for an operation without a result. */
#define SVC_CALL_VOID(svc, cap, opname, call)				\
	do {								\
		long __ignored;						\
		SVC_CALL(svc, cap, opname, __ignored,			\
			 ((call), 0L));					\
		(void)__ignored;					\
	} while (0)
#else
#define SVC_CALL(svc, cap, opname, ret, call)	((ret) = (call))
#define SVC_CALL_VOID(svc, cap, opname, call)	((void)(call))
#endif
