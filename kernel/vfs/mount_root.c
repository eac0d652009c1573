/*
 * Mounting the root filesystem from a disk at boot, as Linux 6.1's
 * init/do_mounts.c does when the initramfs has no init to run: the
 * device root= names becomes /dev/root in the initramfs, is mounted on
 * /root with each filesystem type rootfstype= lists (or each registered
 * one that needs a device), read-only unless rw; that mount then moves
 * onto / and becomes the root and working directory of init.
 */
#include "vfs_internal.h"
#include "vfs_mount.h"
#include <svc/introspect.h>
#include <kernel/blkdev.h>
#include <aramid/string.h>
#include <platform/printk.h>
#include <platform/panic.h>
#include <uapi/errno.h>
#include <uapi/mount.h>

#define FS_NAMES_MAX	128

/* A decimal number at *@s (advanced past it): true if there was one. */
static bool parse_dec(const char **s, unsigned *out)
{
	const char *p = *s;
	unsigned v = 0;

	if (*p < '0' || *p > '9')
		return false;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned)(*p - '0');
	*s = p;
	*out = v;
	return true;
}

/* @name as "major:minor" or hexadecimal (Linux's new_encode_dev form). */
static dev_t numeric_dev(const char *name)
{
	unsigned maj, min;
	const char *p = name;
	uint32_t v = 0;

	if (parse_dec(&p, &maj) && *p == ':') {
		p++;
		if (parse_dec(&p, &min) && !*p && maj < 4096 && min < (1u << 20))
			return MKDEV(maj, min);
		return 0;
	}
	for (p = name; *p; p++) {
		unsigned d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned)(*p - 'A' + 10);
		else
			return 0;
		v = v * 16 + d;
	}
	return MKDEV((v & 0xfff00) >> 8, (v & 0xff) | ((v >> 12) & 0xfff00));
}

/* Partition @partno of disk @disk if there is one (Linux's part_devt), or 0. */
static dev_t part_devt_by_number(const char *disk, int partno)
{
	struct blk_part_info bp;

	for (unsigned i = 0; partno > 0 && blk_part_info(i, &bp) == 0; i++)
		if (!strcmp(bp.disk, disk) && bp.partno == (unsigned)partno)
			return MKDEV(bp.major, bp.minor);
	return 0;
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Do the first @n bytes of @a and @b match, case aside (strncasecmp)? */
static bool prefix_caseeq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (lower(a[i]) != lower(b[i]))
			return false;
		if (!a[i])
			return true;
	}
	return true;
}

/*
 * PARTUUID=<uuid>[/PARTNROFF=<n>], as Linux's devt_from_partuuid: the
 * first partition whose PARTUUID begins with <uuid>, case aside, or the
 * one <n> numbers after it on its disk; 0 when none matches or the
 * syntax is wrong (with Linux's message).
 */
static dev_t partuuid_to_dev(const char *uuid)
{
	const char *slash = strchr(uuid, '/');
	size_t len = slash ? (size_t)(slash - uuid) : strlen(uuid);
	struct blk_part_info bp;
	int offset = 0;

	if (slash) {
		const char *p = slash + 1;
		bool neg = false;
		unsigned v;

		if (strncmp(p, "PARTNROFF=", 10))
			goto invalid;
		p += 10;
		if (*p == '-' || *p == '+')
			neg = *p++ == '-';
		if (!parse_dec(&p, &v) || *p || v > 255)
			goto invalid;
		offset = neg ? -(int)v : (int)v;
	}
	if (!len)
		goto invalid;
	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++) {
		if (!bp.uuid[0] || !prefix_caseeq(uuid, bp.uuid, len))
			continue;
		if (!offset)
			return MKDEV(bp.major, bp.minor);
		return part_devt_by_number(bp.disk, (int)bp.partno + offset);
	}
	return 0;

invalid:
	pr_err("VFS: PARTUUID= is invalid.");
	pr_err("Expected PARTUUID=<valid-uuid-id>[/PARTNROFF=%%d]");
	return 0;
}

/* PARTLABEL=<name>: the partition of that GPT name, as Linux's. */
static dev_t partlabel_to_dev(const char *label)
{
	struct blk_part_info bp;

	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++)
		if (bp.partno && !strcmp(bp.volname, label))
			return MKDEV(bp.major, bp.minor);
	return 0;
}

/*
 * The device root= names, as Linux's name_to_dev_t: PARTUUID= and
 * PARTLABEL= (above), "/dev/vda" or "/dev/vda1" by the name of a disk or
 * partition there is now, "major:minor" or a hexadecimal number whether
 * or not it exists; 0 for anything else.
 */
static dev_t root_name_to_dev(const char *name)
{
	struct blk_part_info bp;

	if (!strncmp(name, "PARTUUID=", 9))
		return partuuid_to_dev(name + 9);
	if (!strncmp(name, "PARTLABEL=", 10))
		return partlabel_to_dev(name + 10);
	if (strncmp(name, "/dev/", 5))
		return numeric_dev(name);
	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++)
		if (!strcmp(bp.name, name + 5))
			return MKDEV(bp.major, bp.minor);
	return 0;
}

/* Linux's printk_all_partitions: each disk, then its partitions. */
static void print_partitions(void)
{
	struct blk_part_info bp;

	for (unsigned i = 0; blk_part_info(i, &bp) == 0; i++) {
		char devt[16];

		if (bp.major <= 0xff && bp.minor <= 0xff)
			snprintf(devt, sizeof(devt), "%02x%02x", bp.major,
				 bp.minor);
		else
			snprintf(devt, sizeof(devt), "%03x:%05x", bp.major,
				 bp.minor);
		/* virtio_blk is the one block driver there is */
		pr_warn("%s%-9s %10llu %s %s", bp.partno ? "  " : "", devt,
			(unsigned long long)(bp.nr_sects >> 1), bp.name,
			bp.partno ? bp.uuid : " driver: virtio_blk");
	}
}

/*
 * The filesystem types to try, NUL-separated into @buf, their count
 * returned: rootfstype='s comma-separated list, or every registered type
 * that needs a device, in registration order (list_bdev_fs_names).
 */
static int root_fs_names(const char *fstypes, char *buf, size_t size)
{
	const struct fs_type *t = NULL;
	size_t len = 0;
	int n = 0;

	if (fstypes) {
		strlcpy(buf, fstypes, size);
		n = 1;
		for (char *p = buf; *p; p++)
			if (*p == ',') {
				*p = '\0';
				n++;
			}
		return n;
	}
	while ((t = fs_type_next(t))) {
		size_t l = strlen(t->name) + 1;

		if (!(t->flags & FS_REQUIRES_DEV) || len + l >= size)
			continue;
		memcpy(buf + len, t->name, l);
		len += l;
		n++;
	}
	return n;
}

/*
 * One try of type @fs (Linux's do_mount_root): /dev/root on /root, then
 * into it. 0 or the mount's -errno.
 */
static int mount_root_as(const char *fs, unsigned long flags,
			 const char *data)
{
	struct path p;
	int err = kernel_mount("/dev/root", "/root", fs, flags, data);

	if (err)
		return err;
	err = kernel_chdir("/root");
	if (err)
		return err;
	err = path_lookup(AT_FDCWD, ".", LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	pr_info("VFS: Mounted root (%s filesystem)%s on device %u:%u.",
		p.inode->sb->type->name, p.inode->sb->rdonly ? " readonly" : "",
		MAJOR(p.inode->sb->dev), MINOR(p.inode->sb->dev));
	path_put(&p);
	return 0;
}

/* See include/kernel/vfs.h. */
void mount_root(const struct root_args *ra)
{
	const char *shown = ra->name;
	unsigned long flags = ra->rw ? MS_SILENT : MS_RDONLY | MS_SILENT;
	char names[FS_NAMES_MAX], tried[FS_NAMES_MAX + 16], unknown[40];
	dev_t dev = root_name_to_dev(ra->name);
	size_t len = 0;
	const char *p;
	int n, i, err;

	if (!strncmp(shown, "/dev/", 5))
		shown += 5;
	if (!dev && ra->wait) {
		/* Every disk is found before this; none comes later. */
		pr_info("Waiting for root device %s...", ra->name);
		pr_err("VFS: root device %s is not there and cannot appear: "
			"Aramid finds every disk at boot (no hotplug)",
			ra->name);
	}
	err = kernel_mknod("/dev/root", S_IFBLK | 0600, dev);
	if (err)
		pr_err("Failed to create /dev/root: %d", err);
	snprintf(unknown, sizeof(unknown), "unknown-block(%u,%u)", MAJOR(dev),
		 MINOR(dev));
	n = root_fs_names(ra->fstypes, names, sizeof(names));
	for (;;) {
		for (i = 0, p = names; i < n; i++, p += strlen(p) + 1) {
			if (!*p)
				continue;
			err = mount_root_as(p, flags, ra->data);
			if (!err)
				goto mounted;
			if (err == -EACCES || err == -EINVAL)
				continue;
			pr_warn("VFS: Cannot open root device \"%s\" or %s: "
				"error %d", shown, unknown, err);
			pr_warn("Please append a correct \"root=\" boot option; "
				"here are the available partitions:");
			print_partitions();
			panic("VFS: Unable to mount root fs on %s", unknown);
		}
		if (flags & MS_RDONLY)
			break;
		flags |= MS_RDONLY;	/* a read-only device, as Linux */
	}
	pr_warn("List of all partitions:");
	print_partitions();
	tried[0] = '\0';
	for (i = 0, p = names; i < n; i++, p += strlen(p) + 1)
		if (len < sizeof(tried))
			len += snprintf(tried + len, sizeof(tried) - len, " %s", p);
	pr_warn("No filesystem could mount root, tried: %s", tried);
	panic("VFS: Unable to mount root fs on %s", unknown);
mounted:
	err = kernel_mount(".", "/", NULL, MS_MOVE, NULL);
	if (!err)
		err = kernel_chroot(".");
	if (err)
		panic("VFS: cannot make the root device the root: error %d", err);
}
