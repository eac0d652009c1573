/*
 * Attribute files: the text is made into a buffer of a page (or what the
 * entry asks for) at the first read and again at every read from offset
 * 0, so a reader in small chunks sees one snapshot and a rewound reader
 * fresh values; a write hands the bytes to the entry's store whole, as
 * kernfs does (more than a page: E2BIG).
 */
#include "sysfs.h"
#include <aramid/string.h>
#include <platform/heap.h>
#include <uapi/errno.h>

static const struct sysfs_node *file_node(const struct file *file)
{
	return file->inode->priv;
}

static void out_free(struct sysfs_out *o)
{
	if (o) {
		kfree(o->buf);
		kfree(o);
	}
}

/* Make the file's text into a new buffer kept in file->priv. */
static int generate(struct file *file)
{
	const struct sysfs_node *node = file_node(file);
	const struct sysfs_entry *e = node->entry;
	size_t size = e->size ? e->size(node->index) : SYSFS_PAGE;
	struct sysfs_out *o = kzalloc(sizeof(*o));
	int err = -ENOMEM;

	if (!o)
		return -ENOMEM;
	o->buf = kmalloc(size);
	if (!o->buf)
		goto fail;
	o->size = size;
	err = e->show(o, node->index);
	if (!err)
		err = o->error;
	if (err)
		goto fail;
	out_free(file->priv);
	file->priv = o;
	return 0;
fail:
	out_free(o);
	return err;
}

static ssize_t sysfs_read(struct file *file, struct uio *uio, off_t *pos)
{
	struct sysfs_out *o;
	size_t start = uio->resid, n;
	int err;

	if (*pos < 0)
		return -EINVAL;
	if (!file->priv || *pos == 0) {
		err = generate(file);
		if (err)
			return err;
	}
	o = file->priv;
	if ((size_t)*pos >= o->len)
		return 0;
	n = MIN(uio->resid, o->len - (size_t)*pos);
	err = uiomove(o->buf + *pos, n, uio);
	n = start - uio->resid;
	*pos += (off_t)n;
	return n ? (ssize_t)n : err;
}

static ssize_t sysfs_write(struct file *file, struct uio *uio, off_t *pos)
{
	const struct sysfs_node *node = file_node(file);
	size_t len = uio->resid;
	char *buf;
	int err;

	if (len > SYSFS_PAGE)
		return -E2BIG;
	buf = kmalloc(len + 1);
	if (!buf)
		return -ENOMEM;
	err = uiomove(buf, len, uio);
	if (err)
		goto out;
	buf[len] = '\0';
	err = node->entry->store(node->index, buf, len);
	if (!err)
		*pos += (off_t)len;
out:
	kfree(buf);
	return err ? err : (ssize_t)len;
}

/* As kernfs_fop_open: writing needs a writable mode and a store. */
static int sysfs_open(struct inode *inode, struct file *file)
{
	const struct sysfs_entry *e = file_node(file)->entry;

	if ((file->mode & FMODE_WRITE) && (!(e->mode & 0222) || !e->store))
		return -EACCES;
	return 0;
}

static void sysfs_release(struct file *file)
{
	out_free(file->priv);
	file->priv = NULL;
}

const struct file_ops sysfs_file_fops = {
	.svc = &sysfs_service,
	.open = sysfs_open,
	.read = sysfs_read,
	.write = sysfs_write,
	.release = sysfs_release,
};
