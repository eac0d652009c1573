/*
 * Unpacking the initramfs: "newc" cpio archives (magic 070701, or 070702
 * with checksums), possibly several concatenated with zero padding, into
 * the root filesystem, over the entries Linux's built-in one always
 * makes. A malformed archive stops the unpacking with a message; the
 * entries already made stay.
 */
#include "vfs_internal.h"
#include <aramid/string.h>
#include <platform/boot.h>
#include <platform/printk.h>
#include <platform/heap.h>
#include <uapi/errno.h>

#define CPIO_HDR_SIZE	110
#define CPIO_FIELDS	13
#define DATA_CHUNK	4096

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
       F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE,
       F_CHECK };

struct cpio_entry {
	uint32_t f[CPIO_FIELDS];
	size_t data_off;
	char *path;		/* absolute, in a PATH_MAX buffer */
};

/* A file seen with nlink > 1, for later hard links to it. */
struct hardlink {
	struct hardlink *next;
	uint32_t ino, major, minor;
	char *path;
};

/* A directory whose mtime is set after its contents are made. */
struct dir_time {
	struct dir_time *next;
	int64_t mtime;
	char *path;
};

struct unpacker {
	size_t size;
	struct hardlink *links;
	struct dir_time *dirs;
	char *buf;		/* DATA_CHUNK bytes */
};

static bool parse_hex(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static char *dup_string(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = kmalloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static void free_lists(struct unpacker *u)
{
	while (u->links) {
		struct hardlink *h = u->links;

		u->links = h->next;
		kfree(h->path);
		kfree(h);
	}
	while (u->dirs) {
		struct dir_time *d = u->dirs;

		u->dirs = d->next;
		kfree(d->path);
		kfree(d);
	}
}

/* Set owner, mode and mtime of @path (not following a final symlink). */
static void set_attrs(const char *path, const struct cpio_entry *e,
		      bool mtime_only)
{
	struct iattr attr = { 0 };
	struct path p;

	if (path_lookup(AT_FDCWD, path, 0, &p))
		return;
	attr.valid = ATTR_MTIME | ATTR_ATIME;
	attr.mtime = (struct timespec64){ e->f[F_MTIME], 0 };
	attr.atime = attr.mtime;
	if (!mtime_only) {
		attr.valid |= ATTR_UID | ATTR_GID;
		attr.uid = e->f[F_UID];
		attr.gid = e->f[F_GID];
		if (!S_ISLNK(p.inode->mode)) {
			attr.valid |= ATTR_MODE;
			attr.mode = e->f[F_MODE] & 07777;
		}
	}
	vfs_setattr(p.mnt, p.inode, &attr, (struct entry_name){ NULL, NULL });
	path_put(&p);
}

/* Copy @len bytes of the archive at @off into the open file @f. */
static int copy_data(struct unpacker *u, struct file *f, size_t off,
		     size_t len)
{
	off_t pos = 0;

	while (len > 0) {
		size_t n = MIN(len, (size_t)DATA_CHUNK);
		ssize_t w;

		boot_initrd_read(off, u->buf, n);
		w = kernel_write(f, u->buf, n, pos);
		if (w < 0)
			return (int)w;
		if ((size_t)w != n)
			return -ENOSPC;
		pos += w;
		off += n;
		len -= n;
	}
	return 0;
}

static int make_regular(struct unpacker *u, const struct cpio_entry *e)
{
	struct hardlink *h;
	struct file *f;
	unsigned flags = O_WRONLY | O_CREAT | O_TRUNC;
	int err;

	if (e->f[F_NLINK] > 1) {
		for (h = u->links; h; h = h->next) {
			if (h->ino == e->f[F_INO] &&
			    h->major == e->f[F_DEVMAJOR] &&
			    h->minor == e->f[F_DEVMINOR])
				break;
		}
		if (h) {
			err = do_linkat(AT_FDCWD, h->path, AT_FDCWD, e->path, 0);
			if (err || !e->f[F_FILESIZE])
				return err;
			flags = O_WRONLY | O_TRUNC;
		} else {
			h = kzalloc(sizeof(*h));
			if (!h)
				return -ENOMEM;
			h->path = dup_string(e->path);
			if (!h->path) {
				kfree(h);
				return -ENOMEM;
			}
			h->ino = e->f[F_INO];
			h->major = e->f[F_DEVMAJOR];
			h->minor = e->f[F_DEVMINOR];
			h->next = u->links;
			u->links = h;
		}
	}
	f = kernel_open(e->path, flags, e->f[F_MODE] & 07777);
	if (IS_ERR(f))
		return (int)PTR_ERR(f);
	err = copy_data(u, f, e->data_off, e->f[F_FILESIZE]);
	fput(f);
	return err;
}

static int make_symlink(struct unpacker *u, const struct cpio_entry *e)
{
	size_t len = e->f[F_FILESIZE];
	char *target;
	int err;

	if (len == 0 || len >= PATH_MAX)
		return -ENAMETOOLONG;
	target = kmalloc(len + 1);
	if (!target)
		return -ENOMEM;
	boot_initrd_read(e->data_off, target, len);
	target[len] = '\0';
	err = kernel_symlink(target, e->path);
	kfree(target);
	return err;
}

static int make_dir(struct unpacker *u, const struct cpio_entry *e)
{
	struct dir_time *d;
	int err = kernel_mkdir(e->path, e->f[F_MODE] & 07777);

	if (err && err != -EEXIST)
		return err;
	d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	d->path = dup_string(e->path);
	if (!d->path) {
		kfree(d);
		return -ENOMEM;
	}
	d->mtime = e->f[F_MTIME];
	d->next = u->dirs;
	u->dirs = d;
	return 0;
}

/* Create one archive entry, replacing a non-directory in its way. */
static void make_entry(struct unpacker *u, const struct cpio_entry *e)
{
	mode_t mode = e->f[F_MODE];
	int err;

	if (!S_ISDIR(mode))
		do_unlinkat(AT_FDCWD, e->path);
	switch (mode & S_IFMT) {
	case S_IFDIR:
		err = make_dir(u, e);
		break;
	case S_IFREG:
		err = make_regular(u, e);
		break;
	case S_IFLNK:
		err = make_symlink(u, e);
		break;
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		err = kernel_mknod(e->path, mode,
				   MKDEV(e->f[F_RDEVMAJOR],
					 e->f[F_RDEVMINOR] & 0xff));
		break;
	default:
		pr_err("initramfs: %s: unknown file type %o", e->path, mode);
		return;
	}
	if (err) {
		pr_err("initramfs: %s: error %d", e->path, err);
		return;
	}
	set_attrs(e->path, e, false);
}

/* The archive name @name made absolute into @path (PATH_MAX bytes). */
static void entry_path(const char *name, char *path)
{
	while (name[0] == '.' && name[1] == '/')
		name += 2;
	while (*name == '/')
		name++;
	if (!strcmp(name, "."))
		name = "";
	path[0] = '/';
	strlcpy(path + 1, name, PATH_MAX - 1);
}

/*
 * Parse the header at *@off into @e (name into @name). Returns 1 for an
 * entry, 0 at the end of the data, -EINVAL for a malformed archive.
 */
static int read_header(struct unpacker *u, size_t *off, struct cpio_entry *e,
		       char *name)
{
	char hdr[CPIO_HDR_SIZE];
	size_t namesize, next;
	int i;

	/* Zero padding may separate concatenated archives. */
	while (*off + 4 <= u->size) {
		uint32_t word;

		boot_initrd_read(*off, &word, 4);
		if (word)
			break;
		*off += 4;
	}
	if (*off >= u->size || u->size - *off < 4)
		return 0;
	if (u->size - *off < CPIO_HDR_SIZE) {
		pr_err("initramfs: truncated header at offset %zu", *off);
		return -EINVAL;
	}
	boot_initrd_read(*off, hdr, CPIO_HDR_SIZE);
	if (memcmp(hdr, "07070", 5) || (hdr[5] != '1' && hdr[5] != '2')) {
		pr_err("initramfs: bad magic at offset %zu (not newc cpio)",
		       *off);
		return -EINVAL;
	}
	for (i = 0; i < CPIO_FIELDS; i++) {
		if (!parse_hex(hdr + 6 + 8 * i, &e->f[i])) {
			pr_err("initramfs: bad header field at offset %zu",
			       *off);
			return -EINVAL;
		}
	}
	namesize = e->f[F_NAMESIZE];
	e->data_off = ALIGN_UP(*off + CPIO_HDR_SIZE + namesize, 4);
	next = ALIGN_UP(e->data_off + (size_t)e->f[F_FILESIZE], 4);
	if (namesize == 0 || namesize > PATH_MAX - 1 || next > ALIGN_UP(u->size, 4) ||
	    e->data_off + e->f[F_FILESIZE] > u->size) {
		pr_err("initramfs: bad entry sizes at offset %zu", *off);
		return -EINVAL;
	}
	boot_initrd_read(*off + CPIO_HDR_SIZE, name, namesize);
	if (name[namesize - 1] != '\0') {
		pr_err("initramfs: unterminated name at offset %zu", *off);
		return -EINVAL;
	}
	*off = next;
	return 1;
}

static int unpack(struct unpacker *u)
{
	char *name = kmalloc(PATH_MAX), *path = kmalloc(PATH_MAX);
	struct cpio_entry e;
	size_t off = 0;
	unsigned count = 0;
	int ret;

	ret = -ENOMEM;
	if (!name || !path)
		goto out_free;
	while ((ret = read_header(u, &off, &e, name)) > 0) {
		if (!strcmp(name, "TRAILER!!!")) {
			free_lists(u);	/* hard links do not span archives */
			continue;
		}
		entry_path(name, path);
		e.path = path;
		make_entry(u, &e);
		count++;
	}
	pr_info("initramfs: unpacked %u entries", count);
out_free:
	kfree(name);
	kfree(path);
	return ret;
}

/*
 * Unpack the initrd (@size bytes) into the root filesystem, then give its
 * memory back. Boot context, after vfs_init(). Returns 0, or -EINVAL for
 * a malformed archive (what came before it stays), or -ENOMEM.
 */
int initramfs_unpack(size_t size)
{
	struct unpacker u = { .size = size };
	struct dir_time *d;
	int ret = -ENOMEM;

	u.buf = kmalloc(DATA_CHUNK);
	if (u.buf) {
		ret = unpack(&u);
		for (d = u.dirs; d; d = d->next) {
			struct cpio_entry e = { .f[F_MTIME] = (uint32_t)d->mtime };

			set_attrs(d->path, &e, true);
		}
		free_lists(&u);
		kfree(u.buf);
	}
	if (ret == -ENOMEM)
		pr_err("initramfs: out of memory");
	boot_initrd_release();
	return ret;
}

/* See include/kernel/vfs.h (Linux's usr/default_cpio_list). */
void initramfs_default(void)
{
	int err = kernel_mkdir("/dev", 0755);

	if (!err)
		err = kernel_mknod("/dev/console", S_IFCHR | 0600, MKDEV(5, 1));
	if (!err)
		err = kernel_mkdir("/root", 0700);
	if (err)
		pr_err("initramfs: the built-in entries: error %d", err);
}
