/*
 * tmpfs's export support (name_to_handle_at, open_by_handle_at), with
 * Linux's shmem handle: handle type 1 and three words, the inode's
 * random generation then its 64-bit inode number, low word first. An
 * inode is found again among the live ones of its super block, and a
 * name for it in one of their directories.
 */
#include "tmpfs.h"
#include <aramid/string.h>

#define TMPFS_FH_WORDS	3
#define TMPFS_FH_TYPE	1	/* Linux's FILEID_INO32_GEN */

/* super_ops.encode_fh (include/svc/vfs.h). */
int tmpfs_encode_fh(struct inode *inode, uint32_t *fh, int *len)
{
	if (*len < TMPFS_FH_WORDS) {
		*len = TMPFS_FH_WORDS;
		return FILEID_INVALID;
	}
	fh[0] = tmpfs_node(inode)->generation;
	fh[1] = (uint32_t)inode->ino;
	fh[2] = (uint32_t)((uint64_t)inode->ino >> 32);
	*len = TMPFS_FH_WORDS;
	return TMPFS_FH_TYPE;
}

/*
 * super_ops.fh_to_inode: the live inode with the handle's number and
 * generation, whatever @type says (as Linux's shmem_fh_to_dentry).
 */
int tmpfs_fh_to_inode(struct super_block *sb, const uint32_t *fh, int len,
		      int type, struct inode **out)
{
	struct tmpfs_sb *ts = sb->priv;
	struct inode *inode;
	uint64_t ino;

	if (len < TMPFS_FH_WORDS)
		return -ESTALE;
	ino = (uint64_t)fh[2] << 32 | fh[1];
	list_for_each_entry(inode, &ts->inodes, sb_link) {
		if (inode->ino == ino &&
		    tmpfs_node(inode)->generation == fh[0]) {
			iget(inode);
			*out = inode;
			return 0;
		}
	}
	return -ESTALE;
}

/*
 * super_ops.get_name: the first entry for @inode in any live directory
 * of its super block (a walk over them all: handles are opened rarely).
 */
int tmpfs_get_name(struct inode *inode, struct inode **dir, char *name)
{
	struct tmpfs_sb *ts = inode->sb->priv;
	struct tmpfs_node *node;
	struct inode *d;
	size_t i;

	list_for_each_entry(d, &ts->inodes, sb_link) {
		if (!S_ISDIR(d->mode))
			continue;
		node = tmpfs_node(d);
		for (i = 0; i < node->dir.nents; i++) {
			if (node->dir.ents[i].name &&
			    node->dir.ents[i].inode == inode) {
				strlcpy(name, node->dir.ents[i].name,
					NAME_MAX + 1);
				iget(d);
				*dir = d;
				return 0;
			}
		}
	}
	return -ENOENT;
}
