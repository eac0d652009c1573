/* abi_msg_more.c - MSG_MORE and corking over 127.0.0.1: UDP sends with MSG_MORE, or while UDP_CORK is set, gather into one datagram that leaves with the next plain send (or when UDP_CORK goes off), to the first send's destination, and EMSGSIZE beyond a datagram's most drops what was gathered; a TCP send with MSG_MORE holds its partial segment until the next plain send. */
#include "check.h"
#include "net_util.h"
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define T "abi_msg_more"

/* musl's <netinet/udp.h> has neither; Linux's values. */
#ifndef SOL_UDP
#define SOL_UDP		17
#endif
#ifndef UDP_CORK
#define UDP_CORK	1
#endif
#define SA(p) ((struct sockaddr *)(p))

/* A UDP socket bound to 127.0.0.1 at an ephemeral port; its name. */
static int receiver(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, SA(a), sizeof(*a)) < 0 || getsockname(s, SA(a), &len) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* The size of the datagram waiting on @s (no wait), or -errno. */
static ssize_t next_size(int s, char *buf, size_t len)
{
	ssize_t n = recv(s, buf, len, MSG_DONTWAIT);

	return n < 0 ? -errno : n;
}

static ssize_t send_to(int s, const void *buf, size_t len, int flags,
		       const struct sockaddr_in *to)
{
	return sendto(s, buf, len, flags, SA(to), sizeof(*to));
}

static void test_msg_more(void)
{
	struct sockaddr_in a, b;
	int rx = receiver(&a), rx2 = receiver(&b);
	int tx = socket(AF_INET, SOCK_DGRAM, 0);
	char buf[64];

	CHECK_EQ("MSG_MORE send", send_to(tx, "0123456789abcdef", 16,
					  MSG_MORE, &a), 16);
	CHECK_EQ("nothing leaves while more is to come",
		 next_size(rx, buf, sizeof(buf)), -EAGAIN);
	CHECK_EQ("a plain send ends it", send_to(tx, "!", 1, 0, &a), 1);
	CHECK_EQ("one datagram of both", next_size(rx, buf, sizeof(buf)), 17);
	CHECK("... in order", !memcmp(buf, "0123456789abcdef!", 17));

	/* The gathered datagram goes where the first part was sent. */
	send_to(tx, "first", 5, MSG_MORE, &a);
	CHECK_EQ("a later part's address is ignored",
		 send_to(tx, "+last", 5, 0, &b), 5);
	CHECK_EQ("the datagram reaches the first destination",
		 next_size(rx, buf, sizeof(buf)), 10);
	CHECK_EQ("... and not the later one", next_size(rx2, buf, sizeof(buf)),
		 -EAGAIN);

	/* Connected: send() with MSG_MORE, then send(). */
	CHECK_OK("connect", connect(tx, SA(&a), sizeof(a)));
	send(tx, "ab", 2, MSG_MORE);
	send(tx, "cd", 2, MSG_MORE);
	CHECK_EQ("connected: nothing yet", next_size(rx, buf, sizeof(buf)),
		 -EAGAIN);
	send(tx, "e", 1, 0);
	CHECK_EQ("connected: one datagram of three parts",
		 next_size(rx, buf, sizeof(buf)), 5);
	CHECK("... abcde", !memcmp(buf, "abcde", 5));
	close(tx);
	close(rx2);
	close(rx);
}

static void test_udp_cork(void)
{
	struct sockaddr_in a;
	int rx = receiver(&a), tx = socket(AF_INET, SOCK_DGRAM, 0);
	int on = 1, off = 0, v = -1;
	socklen_t len = sizeof(v);
	char buf[64];

	CHECK_OK("UDP_CORK on", setsockopt(tx, SOL_UDP, UDP_CORK, &on,
					   sizeof(on)));
	CHECK_OK("getsockopt UDP_CORK",
		 getsockopt(tx, SOL_UDP, UDP_CORK, &v, &len));
	CHECK_EQ("UDP_CORK reads 1", v, 1);
	send_to(tx, "0123456789", 10, 0, &a);
	send_to(tx, "0123456789", 10, 0, &a);
	send_to(tx, "0123456789", 10, 0, &a);
	CHECK_EQ("corked: nothing leaves", next_size(rx, buf, sizeof(buf)),
		 -EAGAIN);
	CHECK_OK("UDP_CORK off", setsockopt(tx, SOL_UDP, UDP_CORK, &off,
					    sizeof(off)));
	CHECK_EQ("uncorking sends one datagram of all",
		 next_size(rx, buf, sizeof(buf)), 30);
	CHECK_EQ("... only one", next_size(rx, buf, sizeof(buf)), -EAGAIN);
	CHECK_SERR("UDP_CORK short EINVAL",
		   setsockopt(tx, SOL_UDP, UDP_CORK, &on, 2), EINVAL);
	close(tx);
	close(rx);
}

static void test_too_big(void)
{
	struct sockaddr_in a;
	int rx = receiver(&a), tx = socket(AF_INET, SOCK_DGRAM, 0);
	static char big[65000];
	char buf[64];

	CHECK_EQ("a 65000-byte part", send_to(tx, big, sizeof(big), MSG_MORE,
					      &a), (ssize_t)sizeof(big));
	CHECK_SERR("a part past 65507 bytes in all EMSGSIZE",
		   send_to(tx, big, 600, MSG_MORE, &a), EMSGSIZE);
	CHECK_EQ("a send after it", send_to(tx, "tail", 4, 0, &a), 4);
	CHECK_EQ("... goes alone: what was gathered is dropped",
		 next_size(rx, buf, sizeof(buf)), 4);
	close(tx);
	close(rx);
}

/* TCP: a MSG_MORE send's bytes wait for the next send without it. */
static void test_tcp(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;
	char buf[64];

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK_OK("TCP listener", bind(l, SA(&a), sizeof(a)) || listen(l, 1) ||
		 getsockname(l, SA(&a), &len));
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK_OK("connect", connect(c, SA(&a), sizeof(a)));
	s = accept(l, NULL, NULL);
	CHECK_OK("accept", s);
	CHECK_EQ("a plain send", send(c, "0123456789abcdef", 16, 0), 16);
	CHECK_EQ("... is there at once", next_size(s, buf, sizeof(buf)), 16);
	CHECK_EQ("a MSG_MORE send", send(c, "0123456789abcdef", 16, MSG_MORE),
		 16);
	CHECK_EQ("... waits", next_size(s, buf, sizeof(buf)), -EAGAIN);
	CHECK_EQ("the next plain send", send(c, "!", 1, 0), 1);
	CHECK_EQ("... brings both", next_size(s, buf, sizeof(buf)), 17);
	close(s);
	close(c);
	close(l);
}

int main(void)
{
	TEST_BEGIN(T);
	lo_up();
	test_msg_more();
	test_udp_cork();
	test_too_big();
	test_tcp();
	return TEST_END();
}
