/*
 * Waiting for file readiness inside ring 1 (kernel/vfs/poll.c): the poll
 * table a file's poll op hands to poll_wait(), and the timeout and
 * signal-mask rules poll, select and epoll share.
 */
#pragma once
#include <svc/vfs.h>
#include <aramid/types.h>

/*
 * What poll_wait() does for its caller: poll and select queue their task
 * on each wait queue, epoll a callback per registration (Linux's
 * poll_queue_proc). A NULL @queue registers nothing.
 */
struct poll_table {
	void (*queue)(struct poll_table *pt, struct file *file,
		      struct wait_queue *wq);
};

/*
 * Turn a relative timeout into the monotonic end time in *@end, as
 * Linux's poll_select_set_timeout: -EINVAL unless 0 <= nsec < 1e9 and
 * sec >= 0; a zero timeout gives a zero end time ("do not wait"); a
 * timeout past the end of time saturates.
 */
int poll_set_timeout(struct timespec64 *end, int64_t sec, int64_t nsec);
/* True if @end (NULL: none) is the zero "do not wait" end time. */
bool poll_timeout_is_zero(const struct timespec64 *end);
/* The sleep deadline for @end (NULL: none) in monotonic ns; 0 = none. */
uint64_t poll_deadline(const struct timespec64 *end);

/*
 * The temporary signal mask of ppoll, pselect6 and epoll_pwait (@umask
 * NULL: none): 0, -EINVAL for a size other than 8, or -EFAULT.
 */
int set_user_sigmask(uptr_t umask, size_t sigsetsize);
/*
 * Put back the mask set_user_sigmask replaced, unless @delivering: a
 * signal is about to be handled under the temporary mask, and signal
 * delivery restores it (Linux's restore_saved_sigmask_unless).
 */
void restore_saved_sigmask_unless(bool delivering);
