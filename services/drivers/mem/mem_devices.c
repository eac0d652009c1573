/*
 * The memory character devices of major 1, as Linux numbers them:
 * null (3), zero (5), full (7), random (8), urandom (9) and kmsg (11,
 * kmsg.c). The major's open picks the device's ops by minor.
 */
#include "mem.h"
#include <svc/random.h>
#include <svc/task.h>
#include <platform/frame.h>
#include <platform/printk.h>
#include <aramid/string.h>
#include <uapi/errno.h>

#define MEM_MAJOR	1
#define MINOR_NULL	3
#define MINOR_ZERO	5
#define MINOR_FULL	7
#define MINOR_RANDOM	8
#define MINOR_URANDOM	9
#define MINOR_KMSG	11

/* Source of /dev/zero reads: one page of zeros, reused for every chunk. */
static char zero_page[PAGE_SIZE];

/* Bytes moved so far, or @err if none. */
static ssize_t moved_or(size_t start, const struct uio *uio, ssize_t err)
{
	size_t moved = start - uio->resid;

	return moved ? (ssize_t)moved : err;
}

static ssize_t null_read(struct file *file, struct uio *uio, off_t *pos)
{
	return 0;
}

/* null and zero swallow writes whole, without reading the buffer. */
static ssize_t null_write(struct file *file, struct uio *uio, off_t *pos)
{
	return (ssize_t)uio->resid;
}

/* Zeros, a page at a time; a signal ends a long read early. */
static ssize_t zero_read(struct file *file, struct uio *uio, off_t *pos)
{
	size_t start = uio->resid;

	while (uio->resid) {
		if (uiomove(zero_page, MIN(uio->resid, sizeof(zero_page)), uio))
			return moved_or(start, uio, -EFAULT);
		if (uio->resid && signal_pending())
			return moved_or(start, uio, -ERESTARTSYS);
	}
	return (ssize_t)start;
}

static ssize_t full_write(struct file *file, struct uio *uio, off_t *pos)
{
	return -ENOSPC;
}

/*
 * random and urandom are the same generator (as on Linux since 5.6): reads
 * never block; a signal is noticed once per page of output.
 */
static ssize_t random_read(struct file *file, struct uio *uio, off_t *pos)
{
	size_t start = uio->resid;
	uint8_t chunk[256];
	ssize_t ret = 0;

	while (uio->resid) {
		size_t n = MIN(uio->resid, sizeof(chunk));

		random_bytes(chunk, n);
		if (uiomove(chunk, n, uio)) {
			ret = moved_or(start, uio, -EFAULT);
			goto out_wipe;
		}
		if (uio->resid && (start - uio->resid) % PAGE_SIZE == 0 &&
		    signal_pending())
			break;
	}
	ret = (ssize_t)(start - uio->resid);
out_wipe:
	memset(chunk, 0, sizeof(chunk));
	return ret;
}

/* Writes stir the data into the generator (crediting no entropy). */
static ssize_t random_write(struct file *file, struct uio *uio, off_t *pos)
{
	size_t start = uio->resid;
	uint8_t chunk[256];
	ssize_t ret = 0;

	while (uio->resid) {
		size_t before = uio->resid;
		size_t n = MIN(uio->resid, sizeof(chunk));
		int err = uiomove(chunk, n, uio);

		random_mix(chunk, before - uio->resid);
		if (err) {
			ret = moved_or(start, uio, -EFAULT);
			goto out_wipe;
		}
		if (uio->resid && (start - uio->resid) % PAGE_SIZE == 0 &&
		    signal_pending())
			break;
	}
	ret = (ssize_t)(start - uio->resid);
out_wipe:
	memset(chunk, 0, sizeof(chunk));
	return ret;
}

/*
 * The memory devices: stateless but for /dev/kmsg's place in the log,
 * where a fault costs at most a record skipped, so a fault restarts them.
 */
SERVICE_DEFINE(mem_service, "mem", true);

static const struct file_ops null_fops = {
	.svc = &mem_service,
	.read = null_read,
	.write = null_write,
};

static const struct file_ops zero_fops = {
	.svc = &mem_service,
	.read = zero_read,
	.write = null_write,
};

static const struct file_ops full_fops = {
	.svc = &mem_service,
	.read = zero_read,
	.write = full_write,
};

static const struct file_ops random_fops = {
	.svc = &mem_service,
	.read = random_read,
	.write = random_write,
};

/* Pick the device by minor: 0, or -ENXIO for a minor we do not provide. */
static int mem_open(struct inode *inode, struct file *file)
{
	switch (MINOR(inode->rdev)) {
	case MINOR_NULL:
		file->fops = &null_fops;
		return 0;
	case MINOR_ZERO:
		file->fops = &zero_fops;
		return 0;
	case MINOR_FULL:
		file->fops = &full_fops;
		return 0;
	case MINOR_RANDOM:
	case MINOR_URANDOM:
		file->fops = &random_fops;
		return 0;
	case MINOR_KMSG:
		return kmsg_open(inode, file);
	default:
		return -ENXIO;
	}
}

static const struct file_ops mem_fops = {
	.svc = &mem_service,
	.open = mem_open,
};

static int mem_init(void)
{
	static const char *const names[] = { "mem", NULL };
	int err = register_chrdev(MEM_MAJOR, names, &mem_fops);

	if (err)
		pr_err("mem_init: cannot register major %d: %d", MEM_MAJOR, err);
	return err;
}
SERVICE_INIT(mem_init);
