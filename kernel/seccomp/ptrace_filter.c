/*
 * The tracer's view of a tracee's filters (PTRACE_SECCOMP_GET_FILTER and
 * PTRACE_SECCOMP_GET_METADATA, for checkpoint and restore), with Linux's
 * checks: a tracer with CAP_SYS_ADMIN, itself outside seccomp. Filters
 * are numbered from the oldest, 0. Kernel lock held; the tracee is in
 * a ptrace stop.
 */
#include <kernel/task.h>
#include <platform/usercopy.h>
#include <svc/task.h>
#include <uapi/capability.h>
#include <uapi/errno.h>
#include "seccomp_internal.h"

struct seccomp_metadata {
	uint64_t filter_off;
	uint64_t flags;
};

/* @t's filter @off, or an error pointer (-EACCES, -EINVAL, -ENOENT). */
static const struct seccomp_filter *nth_filter(const struct task *t,
					       uint64_t off)
{
	const struct seccomp_filter *f = t->seccomp.filter;

	if (!capable(CAP_SYS_ADMIN) ||
	    current->seccomp.mode != SECCOMP_MODE_DISABLED)
		return ERR_PTR(-EACCES);
	if (t->seccomp.mode != SECCOMP_MODE_FILTER)
		return ERR_PTR(-EINVAL);
	if (off >= f->count)
		return ERR_PTR(-ENOENT);
	while (f->count > off + 1)
		f = f->prev;
	return f;
}

/* See kernel/seccomp.h. */
long seccomp_get_filter(const struct task *t, uint64_t off, uptr_t data)
{
	const struct seccomp_filter *f = nth_filter(t, off);

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!uptr_null(data) &&
	    copy_to_user(data, f->insns, f->len * sizeof(f->insns[0])))
		return -EFAULT;
	return f->len;
}

/* See kernel/seccomp.h. */
long seccomp_get_metadata(const struct task *t, uint64_t size, uptr_t data)
{
	struct seccomp_metadata md = { 0 };
	const struct seccomp_filter *f;

	if (!capable(CAP_SYS_ADMIN) ||
	    current->seccomp.mode != SECCOMP_MODE_DISABLED)
		return -EACCES;
	size = MIN(size, sizeof(md));
	if (size < sizeof(md.filter_off))
		return -EINVAL;
	if (get_user(md.filter_off, data))
		return -EFAULT;
	f = nth_filter(t, md.filter_off);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (f->log)
		md.flags = SECCOMP_FILTER_FLAG_LOG;
	return copy_to_user(data, &md, size) ? -EFAULT : (long)size;
}
