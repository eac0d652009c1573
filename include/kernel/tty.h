/*
 * Terminals (kernel/tty/): the serial console as a Linux-compatible tty
 * with the N_TTY line discipline, its character devices (ttyS0 4:64,
 * /dev/tty 5:0, /dev/console 5:1) and the controlling-terminal side of
 * sessions and job control.
 */
#pragma once
#include <aramid/types.h>

struct tty;
struct task;

/*
 * Set up the console tty and register the tty character devices (majors
 * 4 and 5). Boot, process context, before the initramfs is unpacked;
 * console input is dropped until it has run.
 */
void tty_init(void);

/*
 * Session leader @leader is exiting: if its session has a controlling
 * tty, send SIGHUP then SIGCONT to the tty's foreground process group and
 * detach the tty from the session (tty side and task->tty of every task
 * in the session). Process context.
 */
void tty_session_leader_exit(struct task *leader);

/*
 * The foreground process group of @tty (0 if it has none), or -1 for a
 * NULL @tty: the tpgid field of /proc/<pid>/stat.
 */
int tty_foreground_pgrp(struct tty *tty);

/* The device name without "/dev/" ("ttyS0"); "" for NULL. */
const char *tty_name(struct tty *tty);

/*
 * @tty's device number in Linux's new_encode_dev form (ttyS0, 4:64: 0x440),
 * for the tty_nr field of /proc/<pid>/stat; 0 for NULL.
 */
dev_t tty_devnum(struct tty *tty);
