/*
 * Checked array indexing for indices that come from user space (a system
 * call number, a signal number, a resource number, a descriptor).
 *
 *   CHECKED_INDEX(arr, idx)	arr[idx], for an array whose size is known
 *   CHECKED_INDEX_N(p, idx, n)	p[idx], for a pointer to n elements
 *
 * Both are lvalues. Where CONFIG_CHECKED_INDEX is on (every profile but
 * ludicrous) an index outside [0, size) panics with the file and line;
 * a negative index counts as out of range. In ludicrous they are the
 * plain index. The call sites still validate their input and return the
 * Linux errno: these checks catch the kernel's own mistakes in doing so.
 */
#pragma once
#include <aramid/compiler.h>
#include <aramid/profile.h>

/* Panics "CHECKED_INDEX: file:line: index i out of range [0, n)". */
__noreturn void checked_index_fail(const char *file, int line,
				   size_t idx, size_t n);

#if CONFIG_CHECKED_INDEX
#define CHECKED_INDEX_N(p, idx, n) (*({				\
	size_t ci_idx_ = (size_t)(idx), ci_n_ = (size_t)(n);		\
	if (unlikely(ci_idx_ >= ci_n_))					\
		checked_index_fail(__FILE__, __LINE__, ci_idx_, ci_n_);	\
	&(p)[ci_idx_];							\
}))
#else
#define CHECKED_INDEX_N(p, idx, n) ((p)[idx])
#endif

/* ARRAY_SIZE of a pointer would be wrong, so @arr must be an array. */
#define CHECKED_INDEX(arr, idx) (*({					\
	_Static_assert(!__builtin_types_compatible_p(__typeof__(arr),	\
			__typeof__(&(arr)[0])),				\
		       "CHECKED_INDEX needs an array, not a pointer");	\
	&CHECKED_INDEX_N(arr, idx, ARRAY_SIZE(arr));			\
}))
