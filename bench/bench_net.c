/*
 * bench_net: the TCP benchmarks of `make bench`.
 *
 *   bench_net [FILTER]
 *
 * Runs every benchmark whose name contains FILTER (all without one) and
 * prints "BENCH <name> <ns> <count>" lines, as bench_micro does:
 *
 *   tcp_connect_lo     connect, accept and close of both ends on
 *                      127.0.0.1 in one process: ns per connection;
 *   tcp_stream_lo      16 MiB in 64 KiB writes to another process through
 *                      127.0.0.1: ns per MiB;
 *   tcp_connect_host   connect and close to the host: ns per connection;
 *   tcp_guest_to_host  16 MiB in 64 KiB writes to the host's sink: ns
 *                      per MiB, until the host has counted every byte;
 *   tcp_host_to_guest  16 MiB from the host's source: ns per MiB.
 *
 * The host side is a server that bench/run.py runs on the host's
 * 127.0.0.1:PORT, which QEMU user networking shows the guest as
 * 10.0.2.2:PORT. PORT comes from BENCH_HOSTPORT (the initramfs /init
 * exports aramid.bench.hostport=N); without it the host benchmarks print
 * "BENCH-SKIP <name> no-host-port" and do not run (bench/run.py gives no
 * port under ICOUNT=1: the guest clock then counts instructions while
 * QEMU's user network runs in host time). The server reads one request
 * line: "SINK" reads to end of file and answers "OK <bytes>"; "SOURCE N"
 * sends N bytes and closes; end of file at once just closes.
 *
 * Like bench_micro, each benchmark repeats its operation in doubling
 * batches until its budget of CLOCK_MONOTONIC time (BENCH_MS, default
 * 250 ms) is used. Set-up is untimed: lo goes up and, for the host
 * benchmarks, eth0 gets 10.0.2.15/24 and goes up. A kernel with no eth0
 * (Debian's Linux: virtio-net is a module there) first has the modules
 * found in /bench (NAME.ko, in dependency order) loaded; a kernel that
 * has eth0 is never asked to load one. The interfaces' flags are put back
 * at the end, so later suites run on an idle network. A failure prints
 * "BENCH-ERROR <name> <errno>"; a benchmark stalled for RUN_TIMEOUT_S
 * seconds fails with EINTR.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bench_time.h"

#define RUN_TIMEOUT_S	50		/* a benchmark stalled this long fails */
#define MIB		(1024 * 1024)
#define STREAM_MIB	16		/* bytes per stream operation, in MiB */
#define STREAM_BYTES	(STREAM_MIB * MIB)
#define CHUNK		(64 * 1024)	/* bytes per write and read */
#define GUEST_ADDR	"10.0.2.15"
#define GUEST_MASK	"255.255.255.0"
#define HOST_ADDR	"10.0.2.2"
#define ETH		"eth0"
#define LO		"lo"
#define MODULE_DIR	"/bench"
#define IF_WAIT_MS	10000		/* for eth0 after loading its driver */

/* Debian's virtio-net driver and what it needs, in load order. */
static const char *const modules[] = {
	"virtio_ring", "virtio", "virtio_pci_modern_dev",
	"virtio_pci_legacy_dev", "virtio_pci", "failover", "net_failover",
	"virtio_net",
};

/* One benchmark: setup, warm-up calls of op(), op() in timed batches,
 * teardown. op() returns 0, or -1 with errno set; units says how many
 * operations one call counts for (a stream moves STREAM_MIB MiB). */
struct bench {
	const char *name;
	int host;			/* talks to the host's server */
	int (*setup)(void);
	int (*op)(void);
	void (*teardown)(void);
	unsigned warmups;
	unsigned units;
};

static int listener = -1;		/* the 127.0.0.1 listener */
static struct sockaddr_in lo_addr;	/* its address */
static struct sockaddr_in host_addr;	/* the host's server */
static char *buf;			/* CHUNK bytes to send or receive */

/* Close @fd keeping errno; for error paths. Returns -1. */
static int close_fail(int fd)
{
	int err = errno;

	close(fd);
	errno = err;
	return -1;
}

static int write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write @total bytes from buf in CHUNK-sized writes. */
static int send_stream(int fd, size_t total)
{
	ssize_t w;

	while (total > 0) {
		w = write(fd, buf, total < CHUNK ? total : CHUNK);
		if (w < 0)
			return -1;
		total -= (size_t)w;
	}
	return 0;
}

/* Read to end of file into buf; the byte count, or -1. */
static long long drain(int fd)
{
	long long total = 0;
	ssize_t r;

	while ((r = read(fd, buf, CHUNK)) != 0) {
		if (r < 0)
			return -1;
		total += r;
	}
	return total;
}

/* ---- set-ups and teardowns ---- */

static int setup_listener(void)
{
	socklen_t len = sizeof(lo_addr);
	int one = 1;

	listener = socket(AF_INET, SOCK_STREAM, 0);
	if (listener < 0)
		return -1;
	memset(&lo_addr, 0, sizeof(lo_addr));
	lo_addr.sin_family = AF_INET;
	lo_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one,
		       sizeof(one)) < 0 ||
	    bind(listener, (struct sockaddr *)&lo_addr, sizeof(lo_addr)) < 0 ||
	    listen(listener, 64) < 0 ||
	    getsockname(listener, (struct sockaddr *)&lo_addr, &len) < 0)
		return close_fail(listener);
	return 0;
}

static void teardown_listener(void)
{
	close(listener);
	listener = -1;
}

/* ---- operations ---- */

static int connect_to(const struct sockaddr_in *sin)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sin, sizeof(*sin)) < 0)
		return close_fail(fd);
	return fd;
}

static int op_connect_lo(void)
{
	int c, a;

	c = connect_to(&lo_addr);
	if (c < 0)
		return -1;
	a = accept(listener, NULL, NULL);
	if (a < 0)
		return close_fail(c);
	close(c);
	close(a);
	return 0;
}

/* The receiving process of tcp_stream_lo: read everything, then answer
 * one byte so that the sender's clock stops only when all has arrived. */
static int stream_receiver(void)
{
	int fd = connect_to(&lo_addr);

	if (fd < 0)
		return 1;
	if (drain(fd) != STREAM_BYTES || write_all(fd, "K", 1) < 0)
		return 1;
	close(fd);
	return 0;
}

static int op_stream_lo(void)
{
	int a, status, err;
	ssize_t r;
	pid_t pid;
	char ack;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(listener);
		_exit(stream_receiver());
	}
	a = accept(listener, NULL, NULL);
	if (a < 0)
		goto err_kill;
	if (send_stream(a, STREAM_BYTES) < 0 || shutdown(a, SHUT_WR) < 0)
		goto err_close;
	r = read(a, &ack, 1);
	if (r != 1) {
		if (r == 0)
			errno = EPROTO;
		goto err_close;
	}
	close(a);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return (errno = EPROTO, -1);
	return 0;

err_close:
	close_fail(a);
err_kill:
	err = errno;
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	errno = err;
	return -1;
}

static int op_connect_host(void)
{
	int fd = connect_to(&host_addr);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int op_guest_to_host(void)
{
	static const char req[] = "SINK\n";
	unsigned long long counted;
	char reply[64];
	size_t got = 0;
	ssize_t r;
	int fd;

	fd = connect_to(&host_addr);
	if (fd < 0)
		return -1;
	if (write_all(fd, req, sizeof(req) - 1) < 0 ||
	    send_stream(fd, STREAM_BYTES) < 0 || shutdown(fd, SHUT_WR) < 0)
		return close_fail(fd);
	while (got < sizeof(reply) - 1 &&
	       (r = read(fd, reply + got, sizeof(reply) - 1 - got)) != 0) {
		if (r < 0)
			return close_fail(fd);
		got += (size_t)r;
	}
	close(fd);
	reply[got] = '\0';
	if (sscanf(reply, "OK %llu", &counted) != 1 || counted != STREAM_BYTES)
		return (errno = EPROTO, -1);
	return 0;
}

static int op_host_to_guest(void)
{
	long long got;
	char req[32];
	int fd, n;

	n = snprintf(req, sizeof(req), "SOURCE %d\n", STREAM_BYTES);
	fd = connect_to(&host_addr);
	if (fd < 0)
		return -1;
	if (write_all(fd, req, (size_t)n) < 0)
		return close_fail(fd);
	got = drain(fd);
	if (got < 0)
		return close_fail(fd);
	close(fd);
	return got == STREAM_BYTES ? 0 : (errno = EPROTO, -1);
}

static const struct bench benches[] = {
	{ "tcp_connect_lo", 0, setup_listener, op_connect_lo,
	  teardown_listener, 4, 1 },
	{ "tcp_stream_lo", 0, setup_listener, op_stream_lo,
	  teardown_listener, 0, STREAM_MIB },
	{ "tcp_connect_host", 1, NULL, op_connect_host, NULL, 4, 1 },
	{ "tcp_guest_to_host", 1, NULL, op_guest_to_host, NULL, 0,
	  STREAM_MIB },
	{ "tcp_host_to_guest", 1, NULL, op_host_to_guest, NULL, 0,
	  STREAM_MIB },
};

#define NBENCH	(sizeof(benches) / sizeof(benches[0]))

/* Run one benchmark: 0, or the errno of a failing setup or call. A
 * SIGALRM after RUN_TIMEOUT_S interrupts a stalled call (EINTR). */
static int run(const struct bench *b)
{
	int err;

	if (b->setup && b->setup() < 0)
		return errno;
	alarm(RUN_TIMEOUT_S);
	err = bench_time(b->name, b->op, b->warmups, b->units);
	alarm(0);
	if (b->teardown)
		b->teardown();
	return err;
}

/* ---- interface set-up ---- */

static void ifreq_init(struct ifreq *ifr, const char *name)
{
	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
}

static int get_flags(int s, const char *name, short *flags)
{
	struct ifreq ifr;

	ifreq_init(&ifr, name);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -1;
	*flags = ifr.ifr_flags;
	return 0;
}

static int set_flags(int s, const char *name, short flags)
{
	struct ifreq ifr;

	ifreq_init(&ifr, name);
	ifr.ifr_flags = flags;
	return ioctl(s, SIOCSIFFLAGS, &ifr);
}

/* SIOCSIFADDR or SIOCSIFNETMASK with the dotted quad @addr. */
static int set_addr(int s, const char *name, unsigned long req,
		    const char *addr)
{
	struct sockaddr_in sin;
	struct ifreq ifr;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	ifreq_init(&ifr, name);
	memcpy(&ifr.ifr_addr, &sin, sizeof(sin));
	return ioctl(s, req, &ifr);
}

static int has_if(int s, const char *name)
{
	struct ifreq ifr;

	ifreq_init(&ifr, name);
	return ioctl(s, SIOCGIFINDEX, &ifr) == 0;
}

/* Load each of modules[] found in MODULE_DIR; one already there is no
 * error. 0, or -1 with errno set. */
static int load_modules(void)
{
	char path[64];
	size_t i;
	int fd;

	for (i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		snprintf(path, sizeof(path), MODULE_DIR "/%s.ko", modules[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT)
				continue;
			return -1;
		}
		if (syscall(SYS_finit_module, fd, "", 0) < 0 &&
		    errno != EEXIST)
			return close_fail(fd);
		close(fd);
	}
	return 0;
}

/* Make eth0 exist (loading its driver if need be), give it GUEST_ADDR
 * and bring it up; its old flags in @saved. 0, or -1 with errno set. */
static int eth_up(int s, short *saved)
{
	struct timespec tick = { 0, 10 * 1000000L };
	int waited;

	if (!has_if(s, ETH)) {
		if (load_modules() < 0)
			return -1;
		for (waited = 0; !has_if(s, ETH); waited += 10) {
			if (waited >= IF_WAIT_MS)
				return (errno = ENODEV, -1);
			nanosleep(&tick, NULL);
		}
	}
	if (get_flags(s, ETH, saved) < 0 ||
	    set_addr(s, ETH, SIOCSIFADDR, GUEST_ADDR) < 0 ||
	    set_addr(s, ETH, SIOCSIFNETMASK, GUEST_MASK) < 0)
		return -1;
	return set_flags(s, ETH, *saved | IFF_UP);
}

static int lo_up(int s, short *saved)
{
	if (get_flags(s, LO, saved) < 0)
		return -1;
	return set_flags(s, LO, *saved | IFF_UP);
}

static void on_alarm(int sig)
{
}

/* The host port from BENCH_HOSTPORT: 1..65535, 0 if unset, -1 if bad. */
static int host_port(void)
{
	const char *s = getenv("BENCH_HOSTPORT");
	unsigned long port;
	char *end;

	if (!s || !*s)
		return 0;
	port = strtoul(s, &end, 10);
	return *end || port == 0 || port > 65535 ? -1 : (int)port;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : "";
	int want_lo = 0, want_host = 0, lo_err = 0, eth_err = 0, s, port, err;
	short lo_saved = 0, eth_saved = 0;
	struct sigaction sa;
	size_t i;

	if (bench_budget("bench_net"))
		return 2;
	port = host_port();
	if (port < 0) {
		fprintf(stderr, "bench_net: bad BENCH_HOSTPORT '%s'\n",
			getenv("BENCH_HOSTPORT"));
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (i = 0; i < NBENCH; i++) {
		if (!strstr(benches[i].name, filter))
			continue;
		if (benches[i].host && !port)
			printf("BENCH-SKIP %s no-host-port\n", benches[i].name);
		else if (benches[i].host)
			want_host = 1;
		else
			want_lo = 1;
	}
	if (!want_lo && !want_host)
		return 0;

	/* A peer that goes away gives EPIPE, not death; the alarm interrupts
	 * a stalled call instead of restarting it. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);

	buf = malloc(CHUNK);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (!buf || s < 0) {
		printf("BENCH-ERROR bench_net %d\n", errno);
		return 1;
	}
	memset(buf, 'n', CHUNK);
	/* Linux routes 127.0.0.1 through lo, which starts down. */
	if (want_lo && lo_up(s, &lo_saved) < 0)
		lo_err = errno;
	if (want_host) {
		if (eth_up(s, &eth_saved) < 0)
			eth_err = errno;
		memset(&host_addr, 0, sizeof(host_addr));
		host_addr.sin_family = AF_INET;
		host_addr.sin_port = htons((unsigned short)port);
		inet_pton(AF_INET, HOST_ADDR, &host_addr.sin_addr);
	}

	for (i = 0; i < NBENCH; i++) {
		if (!strstr(benches[i].name, filter) ||
		    (benches[i].host && !port))
			continue;
		err = benches[i].host ? eth_err : lo_err;
		if (!err)
			err = run(&benches[i]);
		if (err)
			printf("BENCH-ERROR %s %d\n", benches[i].name, err);
	}

	if (want_host && !eth_err)
		set_flags(s, ETH, eth_saved);
	if (want_lo && !lo_err)
		set_flags(s, LO, lo_saved);
	close(s);
	free(buf);
	return 0;
}
