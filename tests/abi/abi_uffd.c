/* abi_uffd.c - userfaultfd(2): flags and permission, UFFDIO_API, REGISTER/UNREGISTER checks, missing-page reports read and polled, COPY, ZEROPAGE and WAKE with their errors, SIGBUS and user-mode-only faults, release while a thread waits, fork, /dev/userfaultfd. */
#include "check.h"
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#define T "abi_uffd"

/* <linux/userfaultfd.h>, which musl's headers lack */
#define UFFD_USER_MODE_ONLY	1
#define UFFD_API		0xAAULL
#define UFFDIO_API		0xC018AA3FU
#define UFFDIO_REGISTER		0xC020AA00U
#define UFFDIO_UNREGISTER	0x8010AA01U
#define UFFDIO_WAKE		0x8010AA02U
#define UFFDIO_COPY		0xC028AA03U
#define UFFDIO_ZEROPAGE		0xC020AA04U
#define USERFAULTFD_IOC_NEW	0xAA00U
#define MODE_MISSING		1ULL
#define FEATURE_SIGBUS		(1ULL << 7)
#define FEATURE_THREAD_ID	(1ULL << 8)
#define FEATURE_EXACT_ADDRESS	(1ULL << 11)
#define EVENT_PAGEFAULT		0x12
#define FLAG_WRITE		1

struct uffd_msg {
	uint8_t event, reserved1;
	uint16_t reserved2;
	uint32_t reserved3;
	uint64_t flags, address;
	uint32_t ptid;
	uint32_t pad;
} __attribute__((packed));
struct uffdio_api { uint64_t api, features, ioctls; };
struct uffdio_range { uint64_t start, len; };
struct uffdio_register { struct uffdio_range range; uint64_t mode, ioctls; };
struct uffdio_copy { uint64_t dst, src, len, mode; int64_t copy; };
struct uffdio_zeropage { struct uffdio_range range; uint64_t mode; int64_t zeropage; };

#define PG 4096UL

static int uffd_new(int flags, uint64_t features)
{
	int fd = (int)syscall(SYS_userfaultfd, flags);
	struct uffdio_api api = { .api = UFFD_API, .features = features };

	if (fd >= 0 && ioctl(fd, UFFDIO_API, &api)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int reg(int fd, void *p, size_t len)
{
	struct uffdio_register r = { { (uintptr_t)p, len }, MODE_MISSING, 0 };

	return ioctl(fd, UFFDIO_REGISTER, &r);
}

static char *anon(size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static int read_msg(int fd, struct uffd_msg *m)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, 5000) != 1)
		return -1;
	return (int)read(fd, m, sizeof *m);
}

static void test_create(void)
{
	char path[32], link[64] = "";
	struct uffdio_api api = { .api = 0xAB, .features = 0, .ioctls = 7 };
	struct uffdio_register r = { { 0x100000, PG }, MODE_MISSING, 0 };
	struct uffd_msg m;
	int fd;

	CHECK_ERR("userfaultfd(O_APPEND)", syscall(SYS_userfaultfd, O_APPEND), EINVAL);
	CHECK_ERR("userfaultfd(2)", syscall(SYS_userfaultfd, 2), EINVAL);
	fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	CHECK_OK("userfaultfd(O_CLOEXEC|O_NONBLOCK)", fd);
	CHECK_EQ("FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_EQ("O_RDONLY|O_NONBLOCK (as Linux 6.1)", fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDONLY | O_NONBLOCK);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_OK("readlink", readlink(path, link, sizeof link - 1));
	CHECK_STR("fd link", link, "anon_inode:[userfaultfd]");
	CHECK_ERR("read before UFFDIO_API", read(fd, &m, sizeof m), EINVAL);
	CHECK_ERR("REGISTER before UFFDIO_API", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	CHECK_EQ("poll before UFFDIO_API: POLLERR", poll(&p, 1, 0) == 1 ? p.revents : 0, POLLERR);
	CHECK_ERR("UFFDIO_API api 0xAB", ioctl(fd, UFFDIO_API, &api), EINVAL);
	CHECK("refused UFFDIO_API zeroes the structure", !api.api && !api.features && !api.ioctls);
	api = (struct uffdio_api){ .api = UFFD_API, .features = 1ULL << 63 };
	CHECK_ERR("UFFDIO_API unknown feature", ioctl(fd, UFFDIO_API, &api), EINVAL);
	CHECK_ERR("UFFDIO_API bad pointer", ioctl(fd, UFFDIO_API, BAD_LOW), EFAULT);
	api = (struct uffdio_api){ .api = UFFD_API };
	CHECK_OK("UFFDIO_API", ioctl(fd, UFFDIO_API, &api));
	CHECK_EQ("api ioctls: REGISTER, UNREGISTER, API", api.ioctls, 1ULL << 0 | 1ULL << 1 | 1ULL << 0x3F);
	CHECK("api features: SIGBUS, THREAD_ID, EXACT_ADDRESS",
	      (api.features & (FEATURE_SIGBUS | FEATURE_THREAD_ID | FEATURE_EXACT_ADDRESS)) ==
	      (FEATURE_SIGBUS | FEATURE_THREAD_ID | FEATURE_EXACT_ADDRESS));
	CHECK_ERR("second UFFDIO_API", ioctl(fd, UFFDIO_API, &api), EINVAL);
	CHECK_ERR("unknown ioctl", ioctl(fd, 0xC018AA3EU, &api), EINVAL);
	CHECK_ERR("read, nothing pending", read(fd, &m, sizeof m), EAGAIN);
	CHECK_ERR("read of a short buffer", read(fd, &m, sizeof m - 1), EINVAL);
	CHECK_EQ("poll, nothing pending: 0", poll(&p, 1, 0), 0);
	close(fd);
	fd = uffd_new(0, 0);
	CHECK_OK("blocking userfaultfd", fd);
	p.fd = fd;
	CHECK_EQ("poll on a blocking one: POLLERR", poll(&p, 1, 0) == 1 ? p.revents : 0, POLLERR);
	close(fd);
}

static void test_register(void)
{
	int fd = uffd_new(O_NONBLOCK, 0), fd2 = uffd_new(O_NONBLOCK, 0);
	char *a = anon(4 * PG);
	struct uffdio_register r = { { (uintptr_t)a, 2 * PG }, 0, 0 };

	CHECK_ERR("REGISTER mode 0", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.mode = 8;
	CHECK_ERR("REGISTER unknown mode", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.mode = MODE_MISSING;
	r.range.start += 1;
	CHECK_ERR("REGISTER unaligned start", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.range.start -= 1;
	r.range.len = 100;
	CHECK_ERR("REGISTER unaligned length", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.range.len = 0;
	CHECK_ERR("REGISTER empty", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.range = (struct uffdio_range){ 0x1000, PG };
	CHECK_ERR("REGISTER below mmap_min_addr", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	r.range = (struct uffdio_range){ 0x10000, 0xfffffffffff00000ULL };
	CHECK_ERR("REGISTER past the user half", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	munmap(a + 3 * PG, PG);
	r.range = (struct uffdio_range){ (uintptr_t)a + 3 * PG, PG };
	CHECK_ERR("REGISTER of nothing mapped", ioctl(fd, UFFDIO_REGISTER, &r), EINVAL);
	CHECK_ERR("REGISTER bad pointer", ioctl(fd, UFFDIO_REGISTER, BAD_LOW), EFAULT);
	r.range = (struct uffdio_range){ (uintptr_t)a, 2 * PG };
	CHECK_OK("REGISTER", ioctl(fd, UFFDIO_REGISTER, &r));
	CHECK_EQ("register ioctls: WAKE, COPY, ZEROPAGE", r.ioctls, 1ULL << 2 | 1ULL << 3 | 1ULL << 4);
	CHECK_OK("REGISTER again", ioctl(fd, UFFDIO_REGISTER, &r));
	CHECK_ERR("REGISTER with a second userfaultfd", ioctl(fd2, UFFDIO_REGISTER, &r), EBUSY);
	r.range = (struct uffdio_range){ (uintptr_t)a + 2 * PG, PG };
	CHECK_OK("the next page with the second", ioctl(fd2, UFFDIO_REGISTER, &r));
	struct uffdio_range u = { (uintptr_t)a, 2 * PG };
	CHECK_OK("UNREGISTER", ioctl(fd, UFFDIO_UNREGISTER, &u));
	u.len = 3;
	CHECK_ERR("UNREGISTER unaligned", ioctl(fd, UFFDIO_UNREGISTER, &u), EINVAL);
	CHECK_ERR("WAKE unaligned", ioctl(fd, UFFDIO_WAKE, &u), EINVAL);
	CHECK_EQ("unregistered: a touch maps zeroes", a[5], 0);
	munmap(a, 3 * PG);
	close(fd);
	close(fd2);
}

static char *fault_page;
static volatile char fault_seen;

static void *toucher(void *arg)
{
	if (arg)
		fault_page[7] = 'w';
	fault_seen = fault_page[8];
	return NULL;
}

static int kernel_pipe[2];
static volatile long kernel_wrote;

static void *kernel_toucher(void *arg)
{
	(void)arg;
	kernel_wrote = write(kernel_pipe[1], fault_page, 1);
	return NULL;
}

/* The kernel's own access (write(2) from the page) waits as a user's does. */
static void test_kernel_access(void)
{
	int fd = uffd_new(O_NONBLOCK, 0);
	char *a = anon(PG), src[PG], c = 0;
	struct uffd_msg m;
	pthread_t t;

	memset(src, 'K', sizeof src);
	CHECK_OK("REGISTER", reg(fd, a, PG));
	pipe(kernel_pipe);
	fault_page = a;
	pthread_create(&t, NULL, kernel_toucher, NULL);
	CHECK_EQ("write(2) from the page: a report", read_msg(fd, &m), (int)sizeof m);
	CHECK_EQ("its address", m.address, (uintptr_t)a);
	struct uffdio_copy cp = { (uintptr_t)a, (uintptr_t)src, PG, 0, 0 };
	CHECK_OK("COPY", ioctl(fd, UFFDIO_COPY, &cp));
	pthread_join(t, NULL);
	CHECK_EQ("the write went on", kernel_wrote, 1);
	CHECK_EQ("with the copied byte", read(kernel_pipe[0], &c, 1) == 1 ? c : 0, 'K');
	close(kernel_pipe[0]);
	close(kernel_pipe[1]);
	munmap(a, PG);
	close(fd);
}

static void test_resolve(void)
{
	int fd = uffd_new(O_NONBLOCK, FEATURE_THREAD_ID);
	char *a = anon(4 * PG), src[PG];
	struct uffd_msg m;
	pthread_t t;

	memset(src, 'X', sizeof src);
	CHECK_OK("REGISTER 4 pages", reg(fd, a, 4 * PG));
	/* a read fault, resolved by UFFDIO_COPY */
	fault_page = a + PG;
	fault_seen = 0;
	pthread_create(&t, NULL, toucher, NULL);
	CHECK_EQ("read: one report", read_msg(fd, &m), (int)sizeof m);
	CHECK_EQ("event PAGEFAULT", m.event, EVENT_PAGEFAULT);
	CHECK_EQ("address: the page", m.address, (uintptr_t)a + PG);
	CHECK_EQ("flags: a read", m.flags, 0);
	CHECK("THREAD_ID: the thread's id", m.ptid != 0 && m.ptid != (uint32_t)getpid());
	CHECK_ERR("read again: nothing pending", read(fd, &m, sizeof m), EAGAIN);
	struct uffdio_copy c = { (uintptr_t)a + PG, (uintptr_t)src, PG, 0, 0 };
	CHECK_OK("UFFDIO_COPY", ioctl(fd, UFFDIO_COPY, &c));
	CHECK_EQ("copy: the bytes", c.copy, (int64_t)PG);
	pthread_join(t, NULL);
	CHECK_EQ("the thread read the copied byte", fault_seen, 'X');
	CHECK_ERR("COPY over a page that is there", ioctl(fd, UFFDIO_COPY, &c), EEXIST);
	CHECK_EQ("copy: -EEXIST", c.copy, -EEXIST);

	/* a write fault, resolved by UFFDIO_ZEROPAGE */
	fault_page = a + 2 * PG;
	pthread_create(&t, NULL, toucher, (void *)1);
	CHECK_EQ("write: one report", read_msg(fd, &m), (int)sizeof m);
	CHECK_EQ("flags: WRITE", m.flags, FLAG_WRITE);
	struct uffdio_zeropage z = { { (uintptr_t)a + 2 * PG, PG }, 0, 0 };
	CHECK_OK("UFFDIO_ZEROPAGE", ioctl(fd, UFFDIO_ZEROPAGE, &z));
	CHECK_EQ("zeropage: the bytes", z.zeropage, (int64_t)PG);
	pthread_join(t, NULL);
	CHECK_EQ("the write went in", a[2 * PG + 7], 'w');
	CHECK_EQ("the rest is zero", fault_seen, 0);
	z.mode = 2;
	CHECK_ERR("ZEROPAGE unknown mode", ioctl(fd, UFFDIO_ZEROPAGE, &z), EINVAL);

	/* WAKE without a page: the access faults again */
	fault_page = a + 3 * PG;
	pthread_create(&t, NULL, toucher, NULL);
	CHECK_EQ("report", read_msg(fd, &m), (int)sizeof m);
	struct uffdio_range w = { (uintptr_t)a + 3 * PG, PG };
	CHECK_OK("UFFDIO_WAKE", ioctl(fd, UFFDIO_WAKE, &w));
	CHECK_EQ("woken without a page: a second report", read_msg(fd, &m), (int)sizeof m);
	CHECK_EQ("second report's address", m.address, (uintptr_t)a + 3 * PG);
	c = (struct uffdio_copy){ (uintptr_t)a + 3 * PG, (uintptr_t)BAD_LOW, PG, 0, 0 };
	CHECK_ERR("COPY from a bad source", ioctl(fd, UFFDIO_COPY, &c), EFAULT);
	c.src = (uintptr_t)src;
	c.mode = 4;
	CHECK_ERR("COPY unknown mode", ioctl(fd, UFFDIO_COPY, &c), EINVAL);
	c.mode = 0;
	c.len = 10;
	CHECK_ERR("COPY unaligned length", ioctl(fd, UFFDIO_COPY, &c), EINVAL);
	c.len = PG;
	c.mode = 1;	/* DONTWAKE: filled, the thread stays until a WAKE */
	CHECK_OK("COPY DONTWAKE", ioctl(fd, UFFDIO_COPY, &c));
	CHECK_OK("WAKE", ioctl(fd, UFFDIO_WAKE, &w));
	pthread_join(t, NULL);
	CHECK_EQ("the thread read the copy", fault_seen, 'X');
	char *b = anon(PG);
	c = (struct uffdio_copy){ (uintptr_t)b, (uintptr_t)src, PG, 0, 0 };
	CHECK_ERR("COPY to an unregistered range", ioctl(fd, UFFDIO_COPY, &c), ENOENT);
	CHECK_EQ("copy: -ENOENT", c.copy, -ENOENT);
	c.dst = (uintptr_t)a + 3 * PG;
	c.len = 2 * PG;
	CHECK_ERR("COPY past the vma", ioctl(fd, UFFDIO_COPY, &c), ENOENT);
	munmap(b, PG);

	/* a page filled before any touch is just there */
	c = (struct uffdio_copy){ (uintptr_t)a, (uintptr_t)src, PG, 0, 0 };
	CHECK_OK("COPY ahead of a fault", ioctl(fd, UFFDIO_COPY, &c));
	CHECK_EQ("no fault, the copy", a[100], 'X');
	munmap(a, 4 * PG);
	close(fd);
}

static int sigbus_child(void *arg)
{
	(void)arg;
	int fd = uffd_new(0, FEATURE_SIGBUS);
	char *a = anon(PG);

	if (fd < 0 || reg(fd, a, PG))
		return 10;
	return a[0] + 20;
}

/* Closing the descriptor lets a waiting thread go on with a zero page. */
static void test_release(void)
{
	int fd = uffd_new(O_NONBLOCK, 0), p[2];
	char *a = anon(PG);
	struct uffd_msg m;
	pthread_t t;
	int st;

	CHECK_OK("REGISTER", reg(fd, a, PG));
	fault_page = a;
	fault_seen = 1;
	pthread_create(&t, NULL, toucher, NULL);
	CHECK_EQ("report", read_msg(fd, &m), (int)sizeof m);
	close(fd);
	pthread_join(t, NULL);
	CHECK_EQ("after close: a zero page", fault_seen, 0);
	munmap(a, PG);

	st = run_child(sigbus_child, NULL);
	CHECK("UFFD_FEATURE_SIGBUS: the toucher gets SIGBUS", WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS);

	/* the kernel's own access under UFFD_USER_MODE_ONLY: EFAULT */
	fd = uffd_new(UFFD_USER_MODE_ONLY | O_NONBLOCK, 0);
	CHECK_OK("UFFD_USER_MODE_ONLY", fd);
	a = anon(PG);
	CHECK_OK("REGISTER", reg(fd, a, PG));
	pipe(p);
	CHECK_ERR("write(2) from a missing page: EFAULT", write(p[1], a, 1), EFAULT);
	CHECK_ERR("and no report", read(fd, &m, sizeof m), EAGAIN);

	/* a fork's copy is not registered */
	pid_t pid = fork();
	if (pid == 0) {
		alarm(5);
		_exit(a[0] == 0 ? 0 : 1);
	}
	CHECK("the child's touch maps zeroes", waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(p[0]);
	close(p[1]);
	close(fd);
	munmap(a, PG);
}

static int unprivileged(void *arg)
{
	(void)arg;
	if (setresuid(65534, 65534, 65534))
		return 10;
	if (syscall(SYS_userfaultfd, 0) != -1 || errno != EPERM)
		return 11;
	if (syscall(SYS_userfaultfd, 2) != -1 || errno != EPERM)
		return 12;	/* the permission before the flags */
	int fd = (int)syscall(SYS_userfaultfd, UFFD_USER_MODE_ONLY);
	return fd < 0 ? 13 : 0;
}

static void test_permission(void)
{
	char buf[16] = "";

	CHECK_EQ("vm.unprivileged_userfaultfd", slurp("/proc/sys/vm/unprivileged_userfaultfd", buf, sizeof buf), 2);
	CHECK_STR("vm.unprivileged_userfaultfd is 0", buf, "0\n");
	int st = run_child(unprivileged, NULL);
	CHECK("unprivileged: EPERM, UFFD_USER_MODE_ONLY allowed", WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

#define DEV "/tmp/abi_uffd.dev"

static int device_unprivileged(void *arg)
{
	int dev = *(int *)arg, fd;

	if (setresuid(65534, 65534, 65534))
		return 10;
	fd = ioctl(dev, USERFAULTFD_IOC_NEW, 0);
	return fd < 0 ? 11 : 0;
}

/* /dev/userfaultfd, at a node of our own (10:126) */
static void test_device(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	char path[32], link[64] = "";
	int dev, fd, st;

	unlink(DEV);
	CHECK_OK("mknod 10:126", mknod(DEV, S_IFCHR | 0600, makedev(10, 126)));
	dev = open(DEV, O_RDWR | O_CLOEXEC);
	CHECK_OK("open /dev/userfaultfd", dev);
	CHECK_ERR("another ioctl", ioctl(dev, 0xAA01U, 0), EINVAL);
	CHECK_ERR("USERFAULTFD_IOC_NEW, bad flags", ioctl(dev, USERFAULTFD_IOC_NEW, 2), EINVAL);
	fd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
	CHECK_OK("USERFAULTFD_IOC_NEW", fd);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	CHECK_OK("readlink", readlink(path, link, sizeof link - 1));
	CHECK_STR("its link", link, "anon_inode:[userfaultfd]");
	CHECK_EQ("FD_CLOEXEC", fcntl(fd, F_GETFD), FD_CLOEXEC);
	CHECK_OK("UFFDIO_API on it", ioctl(fd, UFFDIO_API, &api));
	close(fd);
	st = run_child(device_unprivileged, &dev);
	CHECK("unprivileged through the device: allowed", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	close(dev);
	unlink(DEV);
	CHECK_OK("mknod 10:200", mknod(DEV, S_IFCHR | 0600, makedev(10, 200)));
	CHECK_ERR("open of a misc minor with no device", open(DEV, O_RDWR), ENODEV);
	unlink(DEV);
}

int main(void)
{
	TEST_BEGIN(T);
	alarm(60);
	test_create();
	test_register();
	test_resolve();
	test_kernel_access();
	test_release();
	test_permission();
	test_device();
	return TEST_END();
}
