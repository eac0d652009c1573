/*
 * devpts: the filesystem that names the pty slaves, /dev/pts/N (136:N),
 * beside its own ptmx node (5:2). As in Linux since 4.7 every mount is an
 * independent instance with its own index space ("newinstance" is
 * accepted and changes nothing); /dev/ptmx finds its instance as the
 * devpts mounted on "pts" in the directory it was opened from.
 *
 * Why ring 1, next to the tty code, and not a service in services/fs/:
 * devpts stores nothing of its own. Its entries are the pty pairs of
 * kernel/tty/pty.c, made and removed by tty events (a ptmx open, the
 * master's last close), and an open of one of its nodes must reach the
 * pair behind it. As a ring-2 service it would need an interface both
 * ways across the boundary (the tty core asking it to add and drop nodes,
 * it asking the tty core which pairs exist) around state that lives
 * entirely in ring 1, as pipes and sockets' inodes do.
 *
 * Locking: process context, one CPU, no preemption; nothing sleeps.
 */
#include <aramid/compiler.h>
#include <aramid/string.h>
#include <platform/heap.h>
#include <kernel/task.h>
#include <kernel/vfs.h>
#include <uapi/errno.h>
#include "tty_priv.h"

#define DEVPTS_SUPER_MAGIC	0x1cd1
#define DEVPTS_DEFAULT_MODE	0600
#define DEVPTS_DEFAULT_PTMX	0000
#define NR_UNIX98_PTY_MAX	(1 << 20)	/* Linux's limit for max= */
#define DEVPTS_ROOT_INO		1
#define DEVPTS_PTMX_INO		2
#define DEVPTS_FIRST_INO	3		/* slave N is inode N + 3 */

/* An instance: its mount options and its nodes. */
struct devpts_fs {
	mode_t mode, ptmxmode;
	uid_t uid;
	gid_t gid;
	bool setuid, setgid;
	unsigned max;			/* max=: indices below it */
	struct inode *ptmx;
	bool used[PTY_MAX];		/* index taken by a live pair */
	struct inode *node[PTY_MAX];	/* visible slave nodes (references) */
};

static const struct fs_type devpts_type;
static const struct inode_ops devpts_dir_iops, devpts_node_iops;
static const struct file_ops devpts_dir_fops;
static const struct super_ops devpts_sops;

static bool is_devpts(const struct super_block *sb)
{
	return sb && sb->type == &devpts_type;
}

/* A new inode of @sb: number @ino, @mode, device @rdev; NULL: ENOMEM. */
static struct inode *devpts_new_inode(struct super_block *sb, ino_t ino,
				      mode_t mode, dev_t rdev)
{
	struct inode *inode = inode_new(sb);

	if (!inode)
		return NULL;
	inode->ino = ino;
	inode->mode = mode;
	inode->rdev = rdev;
	inode->uid = current->cred.fsuid;
	inode->gid = current->cred.fsgid;
	inode->iops = &devpts_node_iops;
	return inode;
}

/* The decimal @s[0..len) without leading zeros, as "%u" prints it. */
static bool parse_uint(const char *s, size_t len, unsigned long *out,
		       unsigned base)
{
	unsigned long v = 0;

	if (!len || len > 10)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d >= base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

/* One option @key=@val of @fs: 0 or -EINVAL (unknown, bad value). */
static int parse_option(struct devpts_fs *fs, const char *key, size_t klen,
			const char *val, size_t vlen, bool has_val)
{
	unsigned long v = 0;

#define KEY(k)	(klen == sizeof(k) - 1 && !strncmp(key, k, klen))
	if (KEY("newinstance"))
		return has_val ? -EINVAL : 0;
	if (!has_val)
		return -EINVAL;
	if (KEY("mode") || KEY("ptmxmode")) {
		if (!parse_uint(val, vlen, &v, 8))
			return -EINVAL;
		*(KEY("mode") ? &fs->mode : &fs->ptmxmode) = v & 07777;
	} else if (KEY("uid") || KEY("gid") || KEY("max")) {
		if (!parse_uint(val, vlen, &v, 10) || v > 0xffffffffUL)
			return -EINVAL;
		if (KEY("uid")) {
			fs->uid = (uid_t)v;
			fs->setuid = true;
		} else if (KEY("gid")) {
			fs->gid = (gid_t)v;
			fs->setgid = true;
		} else if (v <= NR_UNIX98_PTY_MAX) {
			fs->max = (unsigned)v;
		} else {
			return -EINVAL;
		}
	} else {
		return -EINVAL;
	}
#undef KEY
	return 0;
}

/* Parse "mode=620,gid=5,ptmxmode=000,..." into @fs: 0 or -EINVAL. */
static int parse_options(struct devpts_fs *fs, const char *opts)
{
	while (opts && *opts) {
		const char *end = strchr(opts, ',');
		size_t len = end ? (size_t)(end - opts) : strlen(opts);
		const char *eq = memchr(opts, '=', len);
		size_t klen = eq ? (size_t)(eq - opts) : len;
		int err = 0;

		if (len)
			err = parse_option(fs, opts, klen, eq ? eq + 1 : "",
					   eq ? len - klen - 1 : 0, eq);
		if (err)
			return err;
		opts += len + (end ? 1 : 0);
	}
	return 0;
}

/* fs_type.fill_super: the root directory and its ptmx node. */
static int devpts_fill_super(struct super_block *sb, const char *source,
			     const char *options)
{
	struct devpts_fs *fs = kzalloc(sizeof(*fs));
	struct inode *root;
	int err;

	if (!fs)
		return -ENOMEM;
	fs->mode = DEVPTS_DEFAULT_MODE;
	fs->ptmxmode = DEVPTS_DEFAULT_PTMX;
	fs->max = NR_UNIX98_PTY_MAX;
	err = parse_options(fs, options);
	if (err)
		goto err_free;
	err = -ENOMEM;
	root = devpts_new_inode(sb, DEVPTS_ROOT_INO, S_IFDIR | 0755, 0);
	if (!root)
		goto err_free;
	root->uid = root->gid = 0;
	root->nlink = 2;
	root->iops = &devpts_dir_iops;
	root->fops = &devpts_dir_fops;
	fs->ptmx = devpts_new_inode(sb, DEVPTS_PTMX_INO,
				    S_IFCHR | fs->ptmxmode,
				    MKDEV(TTYAUX_MAJOR, 2));
	if (!fs->ptmx) {
		iput(root);
		goto err_free;
	}
	sb->priv = fs;
	sb->sops = &devpts_sops;
	sb->magic = DEVPTS_SUPER_MAGIC;
	sb->root = root;
	return 0;

err_free:
	kfree(fs);
	return err;
}

/* fs_type.kill_super: no pair is left (each holds a reference). */
static void devpts_kill_super(struct super_block *sb)
{
	struct devpts_fs *fs = sb->priv;

	iput(fs->ptmx);
	kfree(fs);
}

/* The index named by @name ("0", "17"; no leading zeros), or -1. */
static long name_index(const char *name)
{
	size_t len = strlen(name);
	unsigned long v;

	if ((len > 1 && name[0] == '0') || !parse_uint(name, len, &v, 10) ||
	    v >= PTY_MAX)
		return -1;
	return (long)v;
}

/* inode_ops.lookup: "ptmx" or a live slave's number. */
static int devpts_lookup(struct inode *dir, const char *name,
			 struct inode **out)
{
	struct devpts_fs *fs = dir->sb->priv;
	long i = name_index(name);
	struct inode *inode;

	if (!strcmp(name, "ptmx"))
		inode = fs->ptmx;
	else if (i >= 0 && fs->node[i])
		inode = fs->node[i];
	else
		return -ENOENT;
	iget(inode);
	*out = inode;
	return 0;
}

/* file_ops.readdir: ".", "..", "ptmx", then the slaves by number. */
static int devpts_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file->inode;
	struct devpts_fs *fs = dir->sb->priv;

	if (ctx->pos < 0)
		return -EINVAL;
	for (; ctx->pos < 3 + PTY_MAX; ctx->pos++) {
		off_t pos = ctx->pos;
		char name[12];
		bool more = true;

		if (pos < 2) {	/* "." then ".."; the root is its own parent */
			more = ctx->emit(ctx, "..", (size_t)pos + 1, dir->ino,
					 DT_DIR);
		} else if (pos == 2) {
			more = ctx->emit(ctx, "ptmx", 4, fs->ptmx->ino, DT_CHR);
		} else if (fs->node[pos - 3]) {
			int n = snprintf(name, sizeof(name), "%ld",
					 (long)(pos - 3));

			more = ctx->emit(ctx, name, (size_t)n,
					 fs->node[pos - 3]->ino, DT_CHR);
		}
		if (!more)
			return 0;
	}
	return 0;
}

/* inode_ops.setattr: chmod, chown and times; a device has no size. */
static int devpts_setattr(struct inode *inode, const struct iattr *attr)
{
	if (attr->valid & ATTR_SIZE)
		return -EINVAL;
	inode_copy_attr(inode, attr);
	return 0;
}

/* super_ops.statfs: as Linux's simple_statfs for devpts. */
static int devpts_statfs(struct super_block *sb, struct statfs64 *st)
{
	st->f_type = DEVPTS_SUPER_MAGIC;
	st->f_bsize = 1024;
	st->f_frsize = 1024;
	st->f_namelen = NAME_MAX;
	return 0;
}

/* super_ops.show_options: Linux's devpts_show_options. */
static int devpts_show_options(struct super_block *sb, char *buf, size_t len)
{
	struct devpts_fs *fs = sb->priv;
	char uid[16] = "", gid[16] = "", max[16] = "";
	int n;

	if (fs->setuid)
		snprintf(uid, sizeof(uid), ",uid=%u", fs->uid);
	if (fs->setgid)
		snprintf(gid, sizeof(gid), ",gid=%u", fs->gid);
	if (fs->max < NR_UNIX98_PTY_MAX)
		snprintf(max, sizeof(max), ",max=%u", fs->max);
	n = snprintf(buf, len, "%s%s,mode=%03o,ptmxmode=%03o%s", uid, gid,
		     fs->mode, fs->ptmxmode, max);
	return n >= 0 && (size_t)n < len ? n : -ERANGE;
}

static const struct inode_ops devpts_dir_iops = {
	.lookup = devpts_lookup,
	.setattr = devpts_setattr,
};

static const struct inode_ops devpts_node_iops = {
	.setattr = devpts_setattr,
};

static const struct file_ops devpts_dir_fops = {
	.readdir = devpts_readdir,
};

static const struct super_ops devpts_sops = {
	.statfs = devpts_statfs,
	.show_options = devpts_show_options,
};

static const struct fs_type devpts_type = {
	.name = "devpts",
	.fill_super = devpts_fill_super,
	.kill_super = devpts_kill_super,
};

int devpts_init(void)
{
	return register_filesystem(&devpts_type);
}

int devpts_instance(struct file *file, struct path *root)
{
	struct super_block *sb = file->inode->sb;
	int err;

	if (is_devpts(sb)) {
		*root = (struct path){ file->path.mnt, sb->root };
		path_get(root);
		return 0;
	}
	err = file_sibling_path(file, "pts", root);
	if (err)
		return err;
	sb = root->inode->sb;
	if (!is_devpts(sb) || root->inode != sb->root) {
		path_put(root);
		return -ENODEV;
	}
	return 0;
}

int devpts_pty_new(struct super_block *sb, struct pty *pty,
		   struct inode **out)
{
	struct devpts_fs *fs = sb->priv;
	unsigned limit = MIN(fs->max, (unsigned)PTY_MAX);
	struct inode *inode;
	unsigned i;

	for (i = 0; i < limit && fs->used[i]; i++)
		;
	if (i == limit)
		return -ENOSPC;
	inode = devpts_new_inode(sb, DEVPTS_FIRST_INO + i,
				 S_IFCHR | fs->mode,
				 MKDEV(UNIX98_PTY_SLAVE_MAJOR, i));
	if (!inode)
		return -ENOMEM;
	if (fs->setuid)
		inode->uid = fs->uid;
	if (fs->setgid)
		inode->gid = fs->gid;
	inode->priv = pty;
	fs->used[i] = true;
	fs->node[i] = inode;
	iget(inode);
	*out = inode;
	return (int)i;
}

void devpts_pty_kill(struct inode *node)
{
	struct devpts_fs *fs = node->sb->priv;
	unsigned i = MINOR(node->rdev);

	node->priv = NULL;
	node->nlink = 0;
	node->ctime = current_time();
	fs->node[i] = NULL;
	iput(node);
}

void devpts_kill_index(struct super_block *sb, unsigned index)
{
	struct devpts_fs *fs = sb->priv;

	fs->used[index] = false;
}

struct pty *devpts_slave_pty(struct inode *inode)
{
	/* The root and ptmx have no pair; a killed slave has none left. */
	return is_devpts(inode->sb) ? inode->priv : NULL;
}
