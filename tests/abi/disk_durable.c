/*
 * disk_durable: what fsync made durable survives QEMU killed with
 * SIGKILL, with no umount and no sync after. Run by the disk suite in a
 * third boot (DISK_BOOT=3, alone), after the host has checked boot 2's
 * image, with tests/mkext2.py's ext2w.img as vdg: a file written with
 * write() in pieces of several sizes (through the page cache, with
 * read-ahead over it), read back, one page of it then stored through a
 * shared mapping, and fsync; then "DURABLE-READY", and the program
 * waits to be killed. The host then reads /durable with debugfs
 * (tests/disk.py's check_durable keeps in step with this).
 */
#include "check.h"
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define DEV	"/dev/vdg"
#define MNT	"/tmp/durable"
#define LEN	(300 * 1024 + 77)	/* tests/disk.py: DURABLE_LEN */
#define STORE_AT 123456			/* tests/disk.py: DURABLE_STORE */
#define STORE	"stored through a shared mapping"

/* Byte @i of /durable before the store (tests/disk.py makes the same). */
static unsigned char durable_byte(size_t i)
{
	return (unsigned char)((i * 13 + (i >> 12)) & 0xff);
}

static void write_and_store(void)
{
	static unsigned char buf[LEN];
	static const size_t pieces[] = { 1000, 4096, 65536, 7, 100000 };
	size_t at = 0, k = 0;
	int fd, ok = 1;
	char *m;

	for (size_t i = 0; i < LEN; i++)
		buf[i] = durable_byte(i);
	fd = open(MNT "/durable", O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK("create /durable", fd >= 0);
	if (fd < 0)
		return;
	while (ok && at < LEN) {
		size_t n = pieces[k++ % 5];

		n = n < LEN - at ? n : LEN - at;
		ok = write(fd, buf + at, n) == (ssize_t)n;
		at += n;
	}
	CHECK("write it in pieces", ok);
	memset(buf, 0, LEN);
	CHECK("read it back", pread(fd, buf, LEN, 0) == LEN);
	for (size_t i = 0; i < LEN; i++)
		ok &= buf[i] == durable_byte(i);
	CHECK("as written", ok);
	m = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK("map it shared", m != MAP_FAILED);
	if (m != MAP_FAILED)
		memcpy(m + STORE_AT, STORE, strlen(STORE));
	CHECK_OK("fsync", fsync(fd));
	/* The mapping and the descriptor stay: nothing else writes them. */
}

int main(void)
{
	const char *b = getenv("DISK_BOOT");

	TEST_BEGIN("disk_durable");
	if (!b || atoi(b) != 3)
		return TEST_END();	/* the third boot's only */
	mkdir(MNT, 0755);
	CHECK_OK("mount -t ext2 " DEV " read-write",
		 mount(DEV, MNT, "ext2", 0, NULL));
	write_and_store();
	printf("DURABLE-READY\n");
	fflush(stdout);
	for (;;)
		pause();
}
