/*
 * How a service interface is written down: once, as one X-macro list in
 * the interface's header, one entry per operation:
 *
 *   OP(I, ret, name, subject, (params), (args), missing)
 *   OP_VOID(I, name, subject, (params), (args))
 *   OP_OWN(I, ret, name, subject, (params), (args))
 *
 * I is the interface, the tag of its ops struct; @subject an expression
 * over the parameters naming the object whose ops table and capability a
 * call uses; @missing what a call gives when the table lacks the
 * operation (an OP_OWN entry's wrapper says it). Everything else follows from the list:
 *   - the ops struct's members and a function type per operation,
 *     I_name_fn (SVC_OPS_TYPES, SVC_OPS_MEMBERS, below);
 *   - ring 1's wrapper for each operation (include/kernel/svc_dispatch.h):
 *     generated for OP and OP_VOID entries; an OP_OWN entry's wrapper is
 *     written by hand beside the generated ones, for what a list entry
 *     cannot say (a check before the call, a result made of a failure);
 *   - the direct-dispatch lists of performance and ludicrous, which
 *     scripts/gen-svc-direct.py makes from the ops tables it finds.
 * Adding an operation is one entry; implementations stay static in their
 * service.
 */
#pragma once

#define SVC_FNTYPE(I, ret, name, subj, params, args, missing)		\
	typedef ret I##_##name##_fn params;
#define SVC_FNTYPE_VOID(I, name, subj, params, args)			\
	typedef void I##_##name##_fn params;
#define SVC_FNTYPE_OWN(I, ret, name, subj, params, args)		\
	typedef ret I##_##name##_fn params;
/* The function type I_name_fn of each operation of @LIST. */
#define SVC_OPS_TYPES(LIST, I)						\
	LIST(SVC_FNTYPE, SVC_FNTYPE_VOID, SVC_FNTYPE_OWN, I)

#define SVC_MEMBER(I, ret, name, subj, params, args, missing)		\
	I##_##name##_fn *name;
#define SVC_MEMBER_VOID(I, name, subj, params, args)			\
	I##_##name##_fn *name;
#define SVC_MEMBER_OWN(I, ret, name, subj, params, args)		\
	I##_##name##_fn *name;
/* Inside struct I: a function pointer member per operation of @LIST. */
#define SVC_OPS_MEMBERS(LIST, I)					\
	LIST(SVC_MEMBER, SVC_MEMBER_VOID, SVC_MEMBER_OWN, I)
