/*
 * Event files (kernel/event/): epoll, eventfd, timerfd and signalfd. What
 * the rest of ring 1 calls into them for.
 */
#pragma once
#include <aramid/types.h>

struct file;

/*
 * The eventfd open at @fd with a reference, as Linux's
 * eventfd_ctx_fdget: ERR_PTR(-EBADF) for no open descriptor,
 * ERR_PTR(-EINVAL) for another kind of file. Process context.
 */
struct file *eventfd_fget(int fd);
/*
 * Add @n to eventfd @file's counter, stopping at UINT64_MAX, and wake
 * its readers and pollers (Linux's eventfd_signal). Any context.
 */
void eventfd_signal(struct file *file, uint64_t n);

/*
 * The last reference to @file is going (fput, before its release op):
 * remove every epoll registration watching it, as Linux's
 * eventpoll_release. Process context.
 */
void eventpoll_release(struct file *file);
/*
 * The file of the @nth registration (from 0) of descriptor @fd in epoll
 * file @epfile, in the epoll's order, as Linux's get_epoll_tfile_raw_ptr
 * for kcmp(KCMP_EPOLL_TFD); no reference is taken, the pointer is only
 * compared. ERR_PTR(-EINVAL) if @epfile is not an epoll file,
 * ERR_PTR(-ENOENT) if there is no such registration. Does not sleep.
 */
struct file *epoll_target_file(struct file *epfile, int fd, unsigned long nth);
