/*
 * tmpfs internals shared by the files of services/fs/tmpfs/: the per-inode
 * node (directory entries, file pages or link target) and the per-mount
 * accounting.
 */
#pragma once
#include <svc/page_index.h>
#include <svc/vfs.h>

#define TMPFS_MAGIC	0x01021994
#define RAMFS_MAGIC	0x858458f6
#define BOGO_DIRENT_SIZE 20		/* a directory's st_size per entry */

struct tmpfs_dirent {
	char *name;			/* NULL: a free slot */
	struct inode *inode;		/* holds a reference */
};

struct tmpfs_node {
	struct inode *inode;
	uint32_t generation;		/* random: a handle's check word */
	struct list_head xattrs;	/* struct tmpfs_xattr.link */
	union {
		struct {
			/* Slots keep their index: readdir positions. */
			struct tmpfs_dirent *ents;
			size_t nents, cap;	/* used prefix, capacity */
			size_t count;		/* live entries */
			struct inode *parent;	/* NULL for the root */
			bool dead;		/* removed by rmdir */
		} dir;
		struct {
			/* A frame per page written, holding a reference. */
			struct page_index pages;
		} reg;
		char *target;			/* symlink */
	};
};

struct tmpfs_sb {
	struct list_head inodes;	/* every inode, by inode->sb_link */
	size_t max_pages;		/* 0: no limit but memory */
	size_t used_pages;
	/* The root's attributes as mounted, for /proc/mounts. */
	mode_t mode;
	uid_t uid;
	gid_t gid;
};

#define TMPFS_DEFAULT_MODE	01777
#define RAMFS_DEFAULT_MODE	0755

static inline struct tmpfs_node *tmpfs_node(const struct inode *inode)
{
	return inode->priv;
}

extern const struct inode_ops tmpfs_dir_iops, tmpfs_file_iops,
	tmpfs_link_iops, tmpfs_special_iops;
extern const struct file_ops tmpfs_dir_fops, tmpfs_file_fops;

/* tmpfs.c */
int tmpfs_fill_super(struct super_block *sb, const char *source,
		     const char *options);
void tmpfs_kill_super(struct super_block *sb);
int tmpfs_mknod(struct inode *dir, const char *name, mode_t mode, dev_t rdev,
		struct inode **out);
int tmpfs_symlink(struct inode *dir, const char *name, const char *target,
		  struct inode **out);
int tmpfs_setattr(struct inode *inode, const struct iattr *attr);

/* tmpfs_export.c */
int tmpfs_encode_fh(struct inode *inode, uint32_t *fh, int *len);
int tmpfs_fh_to_inode(struct super_block *sb, const uint32_t *fh, int len,
		      int type, struct inode **out);
int tmpfs_get_name(struct inode *inode, struct inode **dir, char *name);

/* tmpfs_xattr.c */
ssize_t tmpfs_getxattr(struct inode *inode, const char *name, void *buf,
		       size_t size);
int tmpfs_setxattr(struct inode *inode, const char *name, const void *value,
		   size_t size, int flags);
int tmpfs_removexattr(struct inode *inode, const char *name);
ssize_t tmpfs_listxattr(struct inode *inode, char *buf, size_t size);
/* Free every extended attribute of @node (evict). */
void tmpfs_xattrs_free(struct tmpfs_node *node);

/* tmpfs_file.c */
int tmpfs_truncate(struct inode *inode, off_t size);
void tmpfs_free_pages(struct inode *inode);

extern struct service tmpfs_service;
