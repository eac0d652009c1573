/*
 * dnotify (kernel/vfs/dnotify.c), Linux's fcntl(F_NOTIFY): directory
 * change signals fed by the inotify event points (inotify.c), sent to
 * the descriptor's owner (include/kernel/fasync.h). Process context.
 */
#pragma once
#include "vfs_internal.h"

/*
 * F_NOTIFY on @f through descriptor @fd: add the DN_* events of @arg
 * (DN_MULTISHOT: keep signalling), or with none remove this descriptor
 * table's watch. 0, -ENOTDIR or -ENOMEM.
 */
long fcntl_dnotify(struct file *f, int fd, unsigned long arg);
/*
 * Inotify event @in_mask (IN_* bits) happened to @inode, itself or an
 * entry of it: signal the dnotify watches on @inode that want it.
 */
void dnotify_event(struct inode *inode, uint32_t in_mask);
/* True while any dnotify watch is set: the event points' fast test. */
bool dnotify_watching(void);
/* An entry of directory @dir was renamed within it (DN_RENAME). */
void dnotify_rename(struct inode *dir);
/*
 * A descriptor of @files for @f closed (or, @files NULL, @f's last
 * reference went): its watches end.
 */
void dnotify_flush(struct file *f, const struct files *files);
