/*
 * Private to kernel/system/: the text helpers of the /proc/sys table
 * (sysctl.c) and kernel.sem and kernel.shm_rmid_forced, the IPC tunables
 * it lists that are more than a number (sysctl_ipc.c). Process context.
 */
#pragma once
#include <aramid/types.h>

/* The text of @value and a newline into @buf: its length, or -EFBIG. */
int show_text(char *buf, size_t size, const char *value);
/*
 * As Linux's proc_dointvec for one int: blanks, an optional sign, digits
 * within an int, blanks or a newline. 0 or -EINVAL.
 */
int parse_int(const char *buf, size_t len, int *out);

/*
 * As Linux's proc_dointvec for a vector of up to @max ints: blank-
 * separated ints into v[0..], the rest of v left as it was, and what
 * follows the @max-th ignored. How many were given, or -EINVAL for none
 * or garbage.
 */
int parse_int_list(const char *buf, size_t len, int *v, int max);

/* kernel.sem's four ints, tab-separated, into @buf: its length or -EFBIG. */
int sem_show(char *buf, size_t size);
/*
 * Up to four blank-separated ints for kernel.sem, the rest kept; semmni
 * must stay within 0..IPCMNI. 0 or -EINVAL, nothing changed then.
 */
int sem_store(const char *buf, size_t len);
/* kernel.shm_rmid_forced of the caller's IPC namespace: its length. */
int shm_rmid_forced_show(char *buf, size_t size);
/*
 * As Linux's proc_dointvec_minmax_orphans: 0 or 1, and 1 removes the
 * orphaned segments nothing maps. 0 or -EINVAL.
 */
int shm_rmid_forced_store(const char *buf, size_t len);
