/*
 * Filesystem event hooks (kernel/vfs/inotify.c), Linux's fsnotify_*: the
 * VFS calls one at each site where an event happens, after the change
 * succeeded, and inotify turns it into records for the watches on the
 * inodes involved. Each returns at once when nobody watches. Process
 * context.
 */
#pragma once
#include <kernel/vfs.h>

/* inotify event bits (include/uapi/linux/inotify.h). */
#define IN_ACCESS		0x00000001
#define IN_MODIFY		0x00000002
#define IN_ATTRIB		0x00000004
#define IN_CLOSE_WRITE		0x00000008
#define IN_CLOSE_NOWRITE	0x00000010
#define IN_OPEN			0x00000020
#define IN_MOVED_FROM		0x00000040
#define IN_MOVED_TO		0x00000080
#define IN_CREATE		0x00000100
#define IN_DELETE		0x00000200
#define IN_DELETE_SELF		0x00000400
#define IN_MOVE_SELF		0x00000800
#define IN_ALL_EVENTS		0x00000fff

/*
 * fs.inotify.max_queued_events, max_user_instances and max_user_watches
 * (kernel/vfs/inotify.c), as /proc/sys sets them (0 or more).
 */
extern int inotify_max_queued_events, inotify_max_user_instances,
	   inotify_max_user_watches;

/*
 * @mask (IN_ACCESS, IN_MODIFY, IN_ATTRIB, IN_OPEN, IN_CLOSE_*) happened
 * to @inode, known as @name in directory @dir (NULL if unknown): for the
 * watches on @inode, and those on @dir with the name.
 */
void fsnotify_inode(struct inode *dir, const char *name, struct inode *inode,
		    uint32_t mask);
/* fsnotify_inode for open file @f, named as it was opened. */
void fsnotify_file(struct file *f, uint32_t mask);
/*
 * The attribute change @attr was made to @inode (IN_ATTRIB, IN_MODIFY...),
 * known as @name in directory @dir (NULL if unknown).
 */
void fsnotify_change(struct inode *dir, const char *name, struct inode *inode,
		     const struct iattr *attr);
/* Entry @name of @dir, for @inode, was created (IN_CREATE) or removed. */
void fsnotify_dirent(struct inode *dir, const char *name, struct inode *inode,
		     uint32_t mask);
/*
 * @inode moved from @oldname in @olddir to @newname in @newdir, replacing
 * @target (NULL if none): IN_MOVED_FROM and IN_MOVED_TO with one cookie,
 * IN_ATTRIB on @target, IN_MOVE_SELF on @inode.
 */
void fsnotify_move(struct inode *olddir, const char *oldname,
		   struct inode *newdir, const char *newname,
		   struct inode *inode, struct inode *target);
/*
 * @inode lost a link; the caller holds @held references to it. Once it
 * has no link and nothing but watches uses it: IN_DELETE_SELF, and its
 * watches end (IN_IGNORED). iput calls it too, with @held 0.
 */
void fsnotify_unlinked(struct inode *inode, int held);
