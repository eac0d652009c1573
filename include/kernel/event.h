/*
 * Event files (kernel/event/): epoll, eventfd, timerfd and signalfd. What
 * the rest of ring 1 calls into them for.
 */
#pragma once

struct file;

/*
 * The last reference to @file is going (fput, before its release op):
 * remove every epoll registration watching it, as Linux's
 * eventpoll_release. Process context.
 */
void eventpoll_release(struct file *file);
