/*
 * The safety dial: exactly one PROFILE_* is defined by the build
 * (make PROFILE=...), and this header turns it into named switches.
 * Every profile decision in the code tests one of these switches; no
 * other file tests PROFILE_* directly.
 */
#pragma once

#if defined(PROFILE_FORTRESS) + defined(PROFILE_BALANCED) + \
    defined(PROFILE_PERFORMANCE) + defined(PROFILE_LUDICROUS) != 1
#error "exactly one of PROFILE_FORTRESS, PROFILE_BALANCED, PROFILE_PERFORMANCE, PROFILE_LUDICROUS must be defined"
#endif

/*
 * CONFIG_ACCESS_OK: user pointer ranges are checked against the user half
 *	before any copy; off, a kernel-half pointer from user space is used
 *	as is (ludicrous trusts user space).
 * CONFIG_CHECKED_INDEX: CHECKED_INDEX() (<aramid/checked.h>) panics on an
 *	out-of-range index; off, it is the plain index.
 */
#if defined(PROFILE_FORTRESS)
#define PROFILE_NAME		"fortress"
#define CONFIG_ACCESS_OK	1
#define CONFIG_CHECKED_INDEX	1
#elif defined(PROFILE_BALANCED)
#define PROFILE_NAME		"balanced"
#define CONFIG_ACCESS_OK	1
#define CONFIG_CHECKED_INDEX	1
#elif defined(PROFILE_PERFORMANCE)
#define PROFILE_NAME		"performance"
#define CONFIG_ACCESS_OK	1
#define CONFIG_CHECKED_INDEX	1
#elif defined(PROFILE_LUDICROUS)
#define PROFILE_NAME		"ludicrous"
#define CONFIG_ACCESS_OK	0
#define CONFIG_CHECKED_INDEX	0
#endif

/*
 * The service boundary (kernel/svc/svc_boundary.c,
 * include/kernel/svc_dispatch.h): fortress and balanced call ring-2
 * services inside a fault-containment point; fortress also checks a
 * runtime capability token at every call, balanced carries a zero-size
 * compile-time token; performance and ludicrous call the implementations
 * directly.
 */
#if defined(PROFILE_FORTRESS) || defined(PROFILE_BALANCED)
#define CONFIG_SVC_CONTAIN	1
#else
#define CONFIG_SVC_CONTAIN	0
#endif
#if defined(PROFILE_FORTRESS)
#define CONFIG_SVC_CAP_RUNTIME	1
#else
#define CONFIG_SVC_CAP_RUNTIME	0
#endif

/*
 * CONFIG_FRAME_COPY_ONLY (<platform/frame.h>): fortress reaches page
 * frames outside platform/ only through the copy operations, and the
 * direct-pointer accessor frame_map() is not even declared; the other
 * profiles declare it as the fast path.
 */
#if defined(PROFILE_FORTRESS)
#define CONFIG_FRAME_COPY_ONLY	1
#else
#define CONFIG_FRAME_COPY_ONLY	0
#endif

/*
 * CONFIG_LOCK_CHECKS (platform/klock.c): fortress and balanced check the
 * kernel lock's preconditions on every take and give (interrupts off, no
 * recursion, given back by the CPU that holds it) and panic naming the
 * broken rule; performance and ludicrous compile the checks out.
 */
#if defined(PROFILE_FORTRESS) || defined(PROFILE_BALANCED)
#define CONFIG_LOCK_CHECKS	1
#else
#define CONFIG_LOCK_CHECKS	0
#endif

/*
 * CONFIG_SPINLOCK_CHECKS (platform/spinlock.c, <platform/spinlock.h>):
 * fortress records every spinlock's holder and site and checks each take
 * and give (interrupts off, no recursion, given back by the CPU that
 * holds it; none held across a context switch), panicking naming the
 * broken rule, and runs the lock-order graph, which logs the first
 * inversion of each pair of lock classes as a warning. The other
 * profiles compile all of it out: an uncontended take is an inline
 * atomic exchange, a give an inline store.
 */
#if defined(PROFILE_FORTRESS)
#define CONFIG_SPINLOCK_CHECKS	1
#else
#define CONFIG_SPINLOCK_CHECKS	0
#endif

/*
 * CONFIG_MUTEX_CHECKS (kernel/proc/mutex.c, <svc/mutex.h>): fortress
 * records each mutex's site and checks every take and give (task
 * context with no spinlock held, no recursion, given
 * back by the task that holds it), panicking naming the lock and the
 * sites, and orders mutex classes in the spinlocks' lock-order graph.
 * The other profiles compile all of it out: a mutex is its owner and its
 * queue of sleepers.
 */
#if defined(PROFILE_FORTRESS)
#define CONFIG_MUTEX_CHECKS	1
#else
#define CONFIG_MUTEX_CHECKS	0
#endif
#if CONFIG_MUTEX_CHECKS && !CONFIG_SPINLOCK_CHECKS
#error "the mutex checks order classes in the spinlock checks' graph"
#endif
