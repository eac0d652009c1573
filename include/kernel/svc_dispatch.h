/*
 * Ring 1's calls into the operations of an interface (include/svc/iface.h)
 * and the one place the profile decides how they are made. A dispatch
 * file (kernel/vfs/vops.c, kernel/net/sops.c, kernel/net/netsvc_call.c)
 * binds each interface it serves to its objects with three macros,
 *
 *   I_table(subject)   the ops table, or NULL
 *   I_cap(subject)     the capability the call presents
 *   I_wrapper(name)    the wrapper's name (vop_read, sop_bind, ...)
 *
 * and expands SVC_WRAPPERS(LIST, I) for the generated wrappers; the
 * interface's header expands SVC_WRAPPER_DECLS(LIST, I) for their
 * prototypes.
 *
 * fortress, balanced: each call crosses the service boundary (SVC_CALL:
 * contained, capability checked; a ring-1 table, svc NULL, is a plain
 * call). performance, ludicrous: the table's pointer is matched against
 * the implementations found at build time (scripts/gen-svc-direct.py,
 * build/<profile>/gen/svc_direct_list.h), so that the call is a direct
 * one the compiler may inline (scripts/check-direct.sh proves it).
 */
#pragma once
#include <aramid/compiler.h>
#include <kernel/service.h>

#if CONFIG_SVC_CONTAIN
/* @r = @t->@name @args (@t->@name set), across the boundary. */
#define SVC_DISPATCH(I, name, t, cap, r, args)				\
	SVC_CALL((t)->svc, (cap), #name, r, (t)->name args)
/* The same for an operation without a result. */
#define SVC_DISPATCH_VOID(I, name, t, cap, args)			\
	SVC_CALL_VOID((t)->svc, (cap), #name, (t)->name args)
#else
#include "svc_direct_list.h"

/* No implementation in the list: a table the generator did not see. */
__noreturn void svc_direct_miss(const char *iface, const char *op,
				const void *fn);

#define SVC_DISPATCH(I, name, t, cap, r, args)				\
	SVC_DIRECT(I, name, t, r =, args)
#define SVC_DISPATCH_VOID(I, name, t, cap, args)			\
	SVC_DIRECT(I, name, t, , args)
#define SVC_DIRECT(I, name, t, assign, args)				\
	do {								\
		I##_##name##_fn *__p = (t)->name;			\
		SVC_IMPLS_##I##_##name(SVC_DIRECT_TRY, assign, args)	\
		svc_direct_miss(#I, #name, __p);			\
	} while (0)
#define SVC_DIRECT_TRY(fn, assign, args)				\
	if (__p == (fn)) {						\
		assign (fn) args;					\
		break;							\
	}
#endif

/* The wrapper of an operation with a result: @missing without the op. */
#define SVC_WRAPPER(I, ret, name, subj, params, args, missing)		\
	ret I##_wrapper(name) params					\
	{								\
		const struct I *__t = I##_table(subj);			\
		ret __r;						\
									\
		if (!__t || !__t->name)					\
			return missing;					\
		SVC_DISPATCH(I, name, __t, I##_cap(subj), __r, args);	\
		return __r;						\
	}
/* The wrapper of an operation without a result: nothing without it. */
#define SVC_WRAPPER_VOID(I, name, subj, params, args)			\
	void I##_wrapper(name) params					\
	{								\
		const struct I *__t = I##_table(subj);			\
									\
		if (__t && __t->name)					\
			SVC_DISPATCH_VOID(I, name, __t, I##_cap(subj), args); \
	}
#define SVC_WRAPPER_OWN(I, ret, name, subj, params, args)
/* The generated wrappers of interface @I (list @LIST). */
#define SVC_WRAPPERS(LIST, I)						\
	LIST(SVC_WRAPPER, SVC_WRAPPER_VOID, SVC_WRAPPER_OWN, I)

#define SVC_WRAPPER_DECL(I, ret, name, subj, params, args, missing)	\
	ret I##_wrapper(name) params;
#define SVC_WRAPPER_DECL_VOID(I, name, subj, params, args)		\
	void I##_wrapper(name) params;
#define SVC_WRAPPER_DECL_OWN(I, ret, name, subj, params, args)		\
	ret I##_wrapper(name) params;
/* The prototypes of every wrapper of @I, generated or own. */
#define SVC_WRAPPER_DECLS(LIST, I)					\
	LIST(SVC_WRAPPER_DECL, SVC_WRAPPER_DECL_VOID, SVC_WRAPPER_DECL_OWN, I)
