/*
 * Private to kernel/system/: the text helpers of the /proc/sys table
 * (sysctl.c) and the System V IPC tunables it lists (sysctl_ipc.c).
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
 * kernel.msgmax, msgmnb, msgmni, sem, shmall, shmmax, shmmni and the
 * *_next_id (sysctl_ipc.c).
 */
int msgmax_show(char *buf, size_t size);
int msgmax_store(const char *buf, size_t len);
int msgmnb_show(char *buf, size_t size);
int msgmnb_store(const char *buf, size_t len);
int msgmni_show(char *buf, size_t size);
int msgmni_store(const char *buf, size_t len);
int sem_show(char *buf, size_t size);
int sem_store(const char *buf, size_t len);
int shmall_show(char *buf, size_t size);
int shmall_store(const char *buf, size_t len);
int shmmax_show(char *buf, size_t size);
int shmmax_store(const char *buf, size_t len);
int shmmni_show(char *buf, size_t size);
int shmmni_store(const char *buf, size_t len);
int shm_next_id_show(char *buf, size_t size);
int shm_next_id_store(const char *buf, size_t len);
int sem_next_id_show(char *buf, size_t size);
int sem_next_id_store(const char *buf, size_t len);
int msg_next_id_show(char *buf, size_t size);
int msg_next_id_store(const char *buf, size_t len);
