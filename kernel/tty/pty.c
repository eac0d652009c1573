/*
 * Pseudo-terminal pairs, as Linux's Unix98 ptys: an open of ptmx makes a
 * pair, the master on that file and the slave named /dev/pts/N in the
 * devpts instance (devpts.c), locked until TIOCSPTLCK unlocks it. Both
 * sides are ttys with their own N_TTY line discipline: what the master
 * writes is the slave's input (edited, echoed and turned into signals by
 * the slave's termios), what the slave's line discipline outputs is the
 * master's input (the master is raw, and its termios ioctls act on the
 * slave). Closing every slave file makes master reads fail with EIO and
 * poll POLLHUP; closing the master removes the slave node and hangs the
 * slave up (reads 0, writes EIO, SIGHUP to the session leader). The pair
 * is freed, and its index reusable, when both sides are closed.
 *
 * Packet mode (TIOCPKT, on the master) is Linux's: changes of the slave's
 * control state (flushes, output stopped and started, its flow-control
 * and EXTPROC settings) collect as TIOCPKT_* bits in the slave's
 * pktstatus, which the master's next read returns as a lone byte (tty.c)
 * and poll reports as POLLPRI; enabling the mode clears them.
 *
 * Locking: as the rest of kernel/tty/ (tty_priv.h).
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/cpu.h>
#include <platform/heap.h>
#include <platform/usercopy.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include <uapi/fcntl.h>
#include <uapi/ioctls.h>
#include <uapi/signal.h>
#include "tty_priv.h"

struct pty {
	struct tty master, slave;
	struct super_block *sb;		/* its devpts instance (a reference) */
	struct inode *node;		/* the slave's node (a reference) */
	unsigned index;
	bool locked;			/* TIOCSPTLCK: slave opens get EIO */
	char master_name[12], slave_name[12];	/* "ptm/N", "pts/N" */
};

static struct pty *tty_pty(struct tty *tty)
{
	return tty->kind == TTY_PTY_MASTER ?
		container_of(tty, struct pty, master) :
		container_of(tty, struct pty, slave);
}

void pty_receive(struct tty *tty, const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		n_tty_receive(&tty->ld, (uint8_t)buf[i]);
	tty_wake(tty);
}

/* A side's line discipline output is the other side's input. */
static void pty_ld_output(struct n_tty *ld, const char *buf, size_t len)
{
	pty_receive(container_of(ld, struct tty, ld)->link, buf, len);
}

static void pty_ld_signal(struct n_tty *ld, int sig)
{
	tty_signal_fg(container_of(ld, struct tty, ld), sig);
}

/* Linux's pty_stop and pty_start: the later of the two is reported. */
static void pty_ld_flow(struct n_tty *ld, bool stopped)
{
	pty_packet_status(container_of(ld, struct tty, ld),
			  stopped ? TIOCPKT_START : TIOCPKT_STOP,
			  stopped ? TIOCPKT_STOP : TIOCPKT_START);
}

/* An ISIG character flushed the line discipline and the pending output. */
static void pty_ld_flushed(struct n_tty *ld)
{
	pty_packet_status(container_of(ld, struct tty, ld), 0,
			  TIOCPKT_FLUSHREAD | TIOCPKT_FLUSHWRITE);
}

static const struct n_tty_ops pty_ldisc_ops = {
	.output = pty_ld_output,
	.signal = pty_ld_signal,
	.flow = pty_ld_flow,
	.flushed = pty_ld_flushed,
};

void pty_packet_status(struct tty *tty, unsigned clear, unsigned set)
{
	if (tty->kind != TTY_PTY_SLAVE || !tty->link->packet)
		return;
	tty->pktstatus = (uint8_t)((tty->pktstatus & ~clear) | set);
	wq_wake_all(&tty->link->read_wq);
}

/*
 * Flow control a packet-mode master can leave to the slave: IXON with
 * VSTOP ^S and VSTART ^Q (what Linux's pty_set_termios checks).
 */
static bool pty_dostop(const struct termios *t)
{
	return (t->c_iflag & IXON) && t->c_cc[VSTOP] == 023 &&
	       t->c_cc[VSTART] == 021;
}

void pty_set_termios(struct tty *tty, struct termios *t)
{
	const struct termios *old = &tty->ld.termios;
	bool old_flow = pty_dostop(old), new_flow = pty_dostop(t);

	if (old_flow != new_flow)
		pty_packet_status(tty, TIOCPKT_DOSTOP | TIOCPKT_NOSTOP,
				  new_flow ? TIOCPKT_DOSTOP : TIOCPKT_NOSTOP);
	if ((old->c_lflag | t->c_lflag) & EXTPROC)
		pty_packet_status(tty, 0, TIOCPKT_IOCTL);
	t->c_cflag = (t->c_cflag & ~(CSIZE | PARENB)) | CS8 | CREAD;
}

/*
 * TIOCPKT: packet mode on for a nonzero @on, off for 0. Turning it on
 * (when off) forgets the status that was pending, as Linux.
 */
static void pty_set_packet(struct pty *pty, bool on)
{
	irqflags_t fl = irq_save();

	if (on && !pty->master.packet)
		pty->slave.pktstatus = 0;
	pty->master.packet = on;
	irq_restore(fl);
}

/* Set up the two sides of @pty for index @index. */
static void pty_setup(struct pty *pty, unsigned index)
{
	struct termios t;

	pty->index = index;
	pty->locked = true;
	snprintf(pty->master_name, sizeof(pty->master_name), "ptm/%u", index);
	snprintf(pty->slave_name, sizeof(pty->slave_name), "pts/%u", index);
	tty_setup(&pty->master, pty->master_name,
		  MKDEV(UNIX98_PTY_MASTER_MAJOR, index), &pty_ldisc_ops);
	tty_setup(&pty->slave, pty->slave_name,
		  MKDEV(UNIX98_PTY_SLAVE_MAJOR, index), &pty_ldisc_ops);
	pty->master.kind = TTY_PTY_MASTER;
	pty->slave.kind = TTY_PTY_SLAVE;
	pty->master.link = &pty->slave;
	pty->slave.link = &pty->master;
	/* Linux's ptm and pts driver termios: a raw master, no HUPCL. */
	t = pty->master.ld.termios;
	t.c_iflag = 0;
	t.c_oflag = 0;
	t.c_cflag = B38400 | CS8 | CREAD;
	t.c_lflag = 0;
	n_tty_set_termios(&pty->master.ld, &t);
	t = pty->slave.ld.termios;
	t.c_cflag = B38400 | CS8 | CREAD;
	n_tty_set_termios(&pty->slave.ld, &t);
}

int pty_open_master(struct inode *inode, struct file *file)
{
	struct super_block *sb;
	struct path root;
	struct pty *pty;
	int index;

	index = devpts_instance(file, &root);	/* 0 or -errno here */
	if (index)
		return index;
	sb = root.inode->sb;
	pty = kzalloc(sizeof(*pty));
	if (!pty) {
		path_put(&root);
		return -ENOMEM;
	}
	index = devpts_pty_new(sb, pty, &pty->node);
	if (index < 0) {
		kfree(pty);
		path_put(&root);
		return index;
	}
	sb_get(sb);
	path_put(&root);
	pty->sb = sb;
	pty_setup(pty, (unsigned)index);
	pty->master.count = 1;
	file->priv = &pty->master;
	return 0;
}

int pty_open_slave(struct inode *inode, struct file *file, struct tty **out)
{
	struct pty *pty = devpts_slave_pty(inode);

	/* As Linux: a 136:N node elsewhere, or of a gone pair, gives EIO. */
	if (!pty || pty->locked)
		return -EIO;
	pty->slave.count++;
	pty->master.other_closed = false;
	*out = &pty->slave;
	return 0;
}

static void pty_free(struct pty *pty)
{
	devpts_kill_index(pty->sb, pty->index);
	iput(pty->node);
	sb_put(pty->sb);
	kfree(pty);
}

void pty_release(struct tty *tty)
{
	struct pty *pty = tty_pty(tty);

	if (--tty->count > 0)
		return;
	if (tty->kind == TTY_PTY_SLAVE) {
		pty->master.other_closed = true;
		tty_wake(&pty->master);
	} else {
		pty->slave.other_closed = true;
		pty->slave.hung_up = true;
		devpts_pty_kill(pty->node);
		tty_hangup_session(&pty->slave);
		tty_wake(&pty->slave);
	}
	if (!pty->master.count && !pty->slave.count)
		pty_free(pty);
}

/*
 * TIOCGPTPEER: open the slave of master @file's pair by its node in the
 * devpts instance @file belongs to, with open(2) @flags: the new
 * descriptor, or -errno (EIO while locked, ENODEV if the instance is no
 * longer beside the master's node).
 */
static long pty_open_peer(struct file *file, struct pty *pty, unsigned flags)
{
	struct path root;
	struct file *f;
	char name[12];
	int fd, err;

	fd = fd_reserve(0, flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	err = devpts_instance(file, &root);
	if (err)
		goto err_fd;
	err = -ENODEV;
	if (root.inode->sb != pty->sb)
		goto err_root;
	snprintf(name, sizeof(name), "%u", pty->index);
	f = vfs_open_child(&root, name, flags & ~O_CLOEXEC);
	err = IS_ERR(f) ? (int)PTR_ERR(f) : 0;
	if (err)
		goto err_root;
	path_put(&root);
	fd_install_reserved(fd, f);
	return fd;

err_root:
	path_put(&root);
err_fd:
	fd_unreserve(fd);
	return err;
}

long pty_ioctl(struct file *file, struct tty *tty, unsigned cmd, uptr_t p)
{
	struct pty *pty;
	int v;

	if (cmd == TIOCGPTPEER && tty->kind != TTY_PTY_MASTER)
		return -EIO;
	if (tty->kind != TTY_PTY_MASTER)
		return -ENOTTY;
	pty = tty_pty(tty);
	switch (cmd) {
	case TIOCGPTN:
		return put_user(pty->index, p);
	case TIOCSPTLCK:
		if (get_user(v, p))
			return -EFAULT;
		pty->locked = v != 0;
		return 0;
	case TIOCGPTLCK:
		v = pty->locked;
		return put_user(v, p);
	case TIOCPKT:
		if (get_user(v, p))
			return -EFAULT;
		pty_set_packet(pty, v != 0);
		return 0;
	case TIOCGPKT:
		v = pty->master.packet;
		return put_user(v, p);
	case TIOCSIG:
		v = (int)uptr_to_ulong(p);
		if (v != SIGINT && v != SIGQUIT && v != SIGTSTP)
			return -EINVAL;
		tty_signal_fg(&pty->slave, v);
		return 0;
	case TIOCGPTPEER:
		return pty_open_peer(file, pty, (unsigned)uptr_to_ulong(p));
	default:
		return -ENOTTY;
	}
}
