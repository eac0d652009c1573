/*
 * openat2(2): open(2) with a struct open_how whose every field is
 * checked (Linux's build_open_flags) and whose RESOLVE_* flags restrict
 * the path walk (namei.c). RESOLVE_CACHED: Aramid keeps no dentry
 * cache to miss, so every lookup counts as cached and succeeds; only
 * what Linux refuses before looking (O_CREAT, O_TRUNC, O_TMPFILE) gets
 * EAGAIN.
 */
#include "vfs_internal.h"
#include <kernel/syscall.h>
#include <uapi/openat2.h>

/* The flags open(2) knows (Linux's VALID_OPEN_FLAGS). */
#define VALID_OPEN_FLAGS						\
	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_APPEND |	\
	 O_NONBLOCK | O_SYNC | O_DSYNC | O_ASYNC | O_DIRECT |		\
	 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME |		\
	 O_CLOEXEC | O_PATH | __O_TMPFILE)
#define VALID_RESOLVE_FLAGS					\
	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |			\
	 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT |	\
	 RESOLVE_CACHED)
/* What O_PATH may come with (O_CLOEXEC is not an open flag here). */
#define OPENAT2_PATH_FLAGS	(O_DIRECTORY | O_NOFOLLOW | O_PATH)

/*
 * Linux's build_open_flags on @how: the LOOKUP_* flags of its resolve
 * field into *@lookup; -EINVAL for an unknown flag or resolve bit, both
 * scoping flags, a mode with neither O_CREAT nor O_TMPFILE or beyond
 * 07777, O_TMPFILE without write access, O_PATH with flags it does not
 * take; -EAGAIN for RESOLVE_CACHED with O_CREAT, O_TRUNC or O_TMPFILE.
 */
static int open_how_check(const struct open_how *how, unsigned *lookup)
{
	static const struct { uint64_t resolve; unsigned lookup; } map[] = {
		{ RESOLVE_NO_XDEV, LOOKUP_NO_XDEV },
		{ RESOLVE_NO_MAGICLINKS, LOOKUP_NO_MAGICLINKS },
		{ RESOLVE_NO_SYMLINKS, LOOKUP_NO_SYMLINKS },
		{ RESOLVE_BENEATH, LOOKUP_BENEATH },
		{ RESOLVE_IN_ROOT, LOOKUP_IN_ROOT },
	};
	uint64_t flags = how->flags & ~(uint64_t)O_CLOEXEC;

	if (flags & ~(uint64_t)VALID_OPEN_FLAGS)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VALID_RESOLVE_FLAGS)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) &&
	    (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (flags & (O_CREAT | __O_TMPFILE)) {
		if (how->mode & ~(uint64_t)07777)
			return -EINVAL;
	} else if (how->mode) {
		return -EINVAL;
	}
	if ((flags & __O_TMPFILE) &&
	    (!(flags & O_DIRECTORY) || (flags & O_ACCMODE) == O_RDONLY))
		return -EINVAL;
	if ((flags & O_PATH) && (flags & ~(uint64_t)OPENAT2_PATH_FLAGS))
		return -EINVAL;
	if ((how->resolve & RESOLVE_CACHED) &&
	    (flags & (O_TRUNC | O_CREAT | __O_TMPFILE)))
		return -EAGAIN;
	*lookup = 0;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		if (how->resolve & map[i].resolve)
			*lookup |= map[i].lookup;
	}
	return 0;
}

SYSCALL(__NR_openat2, openat2)(SYSCALL_ARGS)
{
	struct open_how how;
	size_t usize = (size_t)a3;
	unsigned lookup;
	int err;

	if (usize < OPEN_HOW_SIZE_VER0)
		return -EINVAL;
	err = copy_struct_from_user(&how, sizeof(how), UPTR(a2), usize);
	if (!err)
		err = open_how_check(&how, &lookup);
	if (err)
		return err;
	return open_fd((int)a0, UPTR(a1), (unsigned)how.flags,
		       (mode_t)how.mode, lookup);
}
