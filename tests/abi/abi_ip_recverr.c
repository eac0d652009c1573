/* abi_ip_recverr.c - IP_RECVERR's error queue on UDP over 127.0.0.1: a datagram to a closed port comes back on the queue as ICMP's port unreachable (the payload quoted, the destination as the name, a sock_extended_err and the offender in an IP_RECVERR control message), POLLERR while queued, the pending error it sets (taken by a read or a send) and clears, MSG_TRUNC and MSG_CTRUNC, the purge when the option goes off, and nothing queued without it. */
#include "check.h"
#include "net_util.h"
#include <poll.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define T "abi_ip_recverr"

/* Linux's <linux/errqueue.h>, which musl lacks. */
struct sock_extended_err {
	uint32_t ee_errno;
	uint8_t ee_origin, ee_type, ee_code, ee_pad;
	uint32_t ee_info, ee_data;
};
#define SO_EE_ORIGIN_ICMP	2
#define ICMP_DEST_UNREACH	3
#define ICMP_PORT_UNREACH	3

#define SA(p) ((struct sockaddr *)(p))
#define PAYLOAD "a datagram nobody reads"

/* What one MSG_ERRQUEUE read gave. */
struct errq_read {
	ssize_t n;
	int err;		/* errno when n < 0 */
	char data[64];
	struct sockaddr_in name;
	socklen_t namelen;
	int flags;
	size_t controllen;
	int level, type;	/* of the first control message, or -1 */
	size_t cmsg_len;
	struct sock_extended_err ee;
	struct sockaddr_in offender;
};

static struct sockaddr_in lo_addr(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = port };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* A UDP port on 127.0.0.1 that nothing is bound to now (network order). */
static uint16_t closed_port(void)
{
	struct sockaddr_in a = lo_addr(0);
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	bind(s, SA(&a), sizeof(a));
	getsockname(s, SA(&a), &len);
	close(s);
	return a.sin_port;
}

/* A UDP socket on 127.0.0.1 with IP_RECVERR @on. */
static int udp_sock(int on)
{
	struct sockaddr_in a = lo_addr(0);
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (setsockopt(s, IPPROTO_IP, IP_RECVERR, &on, sizeof(on)) < 0 ||
	    bind(s, SA(&a), sizeof(a)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

/* Send PAYLOAD to @port on 127.0.0.1: its length, or -1. */
static ssize_t send_to(int s, uint16_t port)
{
	struct sockaddr_in to = lo_addr(port);

	return sendto(s, PAYLOAD, strlen(PAYLOAD), 0, SA(&to), sizeof(to));
}

/* poll(@s) for POLLIN, waiting up to @ms: its revents, or -1. */
static int revents(int s, int ms)
{
	struct pollfd p = { .fd = s, .events = POLLIN };

	return poll(&p, 1, ms) < 0 ? -1 : p.revents;
}

/* One recvmsg(MSG_ERRQUEUE) with @datalen bytes of data room and
 * @ctllen of control room. */
static struct errq_read errq(int s, size_t datalen, size_t ctllen)
{
	union {
		char buf[256];
		struct cmsghdr align;
	} ctl;
	struct errq_read r;
	struct iovec iov;
	struct msghdr mh;
	struct cmsghdr *cm;

	memset(&r, 0, sizeof(r));
	memset(&ctl, 0, sizeof(ctl));
	iov = (struct iovec){ r.data, datalen };
	mh = (struct msghdr){ .msg_name = &r.name,
			      .msg_namelen = sizeof(r.name),
			      .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = ctl.buf,
			      .msg_controllen = ctllen };
	r.n = recvmsg(s, &mh, MSG_ERRQUEUE | MSG_DONTWAIT);
	r.err = r.n < 0 ? errno : 0;
	r.namelen = mh.msg_namelen;
	r.flags = mh.msg_flags;
	r.controllen = mh.msg_controllen;
	r.level = r.type = -1;
	cm = mh.msg_controllen >= sizeof(struct cmsghdr) ? CMSG_FIRSTHDR(&mh) :
		NULL;
	if (cm) {
		r.level = cm->cmsg_level;
		r.type = cm->cmsg_type;
		r.cmsg_len = cm->cmsg_len;
		if (cm->cmsg_len >= CMSG_LEN(sizeof(r.ee) + sizeof(r.offender))) {
			memcpy(&r.ee, CMSG_DATA(cm), sizeof(r.ee));
			memcpy(&r.offender, CMSG_DATA(cm) + sizeof(r.ee),
			       sizeof(r.offender));
		}
	}
	return r;
}

/* A normal non-blocking read: its result, errno in *err. */
static ssize_t read_now(int s, int *err)
{
	char b[64];
	ssize_t n = recv(s, b, sizeof(b), MSG_DONTWAIT);

	*err = n < 0 ? errno : 0;
	return n;
}

/* The record of a datagram to a closed port, read in full. */
static void test_record(void)
{
	uint16_t port = closed_port();
	int s = udp_sock(1), err;
	struct errq_read r;

	CHECK_EQ("send to a closed port", send_to(s, port), strlen(PAYLOAD));
	CHECK("POLLERR while the error is queued", revents(s, 2000) & POLLERR);
	CHECK("no POLLIN for a queued error", !(revents(s, 0) & POLLIN));
	r = errq(s, sizeof(r.data), 256);
	CHECK_EQ("MSG_ERRQUEUE gives the datagram's payload", r.n,
		 strlen(PAYLOAD));
	CHECK("... the payload itself",
	      r.n > 0 && !memcmp(r.data, PAYLOAD, strlen(PAYLOAD)));
	CHECK_EQ("msg_flags MSG_ERRQUEUE", r.flags, MSG_ERRQUEUE);
	CHECK_EQ("msg_namelen of the destination", r.namelen,
		 sizeof(struct sockaddr_in));
	CHECK("msg_name is the datagram's destination",
	      r.name.sin_family == AF_INET && r.name.sin_port == port &&
	      r.name.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	CHECK_EQ("control message level SOL_IP", r.level, SOL_IP);
	CHECK_EQ("control message type IP_RECVERR", r.type, IP_RECVERR);
	CHECK_EQ("cmsg_len: the error and the offender", r.cmsg_len,
		 CMSG_LEN(sizeof(r.ee) + sizeof(r.offender)));
	CHECK_EQ("msg_controllen", r.controllen,
		 CMSG_SPACE(sizeof(r.ee) + sizeof(r.offender)));
	CHECK_EQ("ee_errno ECONNREFUSED", r.ee.ee_errno, ECONNREFUSED);
	CHECK_EQ("ee_origin ICMP", r.ee.ee_origin, SO_EE_ORIGIN_ICMP);
	CHECK_EQ("ee_type destination unreachable", r.ee.ee_type,
		 ICMP_DEST_UNREACH);
	CHECK_EQ("ee_code port unreachable", r.ee.ee_code, ICMP_PORT_UNREACH);
	CHECK("ee_pad, ee_info and ee_data 0",
	      !r.ee.ee_pad && !r.ee.ee_info && !r.ee.ee_data);
	CHECK("the offender is 127.0.0.1, port 0",
	      r.offender.sin_family == AF_INET && r.offender.sin_port == 0 &&
	      r.offender.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	/* Taking the last ICMP record clears the pending error too. */
	read_now(s, &err);
	CHECK_EQ("a read after the queue is drained EAGAIN", err, EAGAIN);
	CHECK_EQ("the queue is empty", errq(s, 64, 256).err, EAGAIN);
	CHECK("no POLLERR once drained", !(revents(s, 0) & POLLERR));
	close(s);
}

/* The error as the socket's pending error first, the record after. */
static void test_pending_error(void)
{
	uint16_t port = closed_port();
	int s = udp_sock(1), err;
	struct errq_read r;

	send_to(s, port);
	revents(s, 2000);
	read_now(s, &err);
	CHECK_EQ("an unconnected read gets ECONNREFUSED", err, ECONNREFUSED);
	read_now(s, &err);
	CHECK_EQ("... once", err, EAGAIN);
	CHECK("POLLERR while the record stays", revents(s, 0) & POLLERR);
	r = errq(s, 4, 256);
	CHECK_EQ("a short buffer: the bytes that fit", r.n, 4);
	CHECK_EQ("... MSG_TRUNC", r.flags, MSG_ERRQUEUE | MSG_TRUNC);


	/* A send takes the pending error, and sends nothing. */
	send_to(s, port);
	revents(s, 2000);
	CHECK_SERR("a send while an error is pending fails with it",
		   send_to(s, port), ECONNREFUSED);
	read_now(s, &err);
	CHECK_EQ("... and takes it", err, EAGAIN);

	/* Two records: taking the first leaves the second's error pending. */
	send_to(s, port);
	revents(s, 2000);
	read_now(s, &err);
	CHECK_EQ("two queued: the pending error", err, ECONNREFUSED);
	r = errq(s, 64, sizeof(struct cmsghdr));
	CHECK_EQ("control room for the header only: the record", r.n,
		 strlen(PAYLOAD));
	CHECK_EQ("... MSG_CTRUNC", r.flags, MSG_ERRQUEUE | MSG_CTRUNC);
	read_now(s, &err);
	CHECK_EQ("the next record's error is pending again", err,
		 ECONNREFUSED);
	CHECK_EQ("the second record", errq(s, 64, 256).n, strlen(PAYLOAD));
	CHECK_EQ("then nothing", errq(s, 64, 256).err, EAGAIN);
	close(s);
}

/* Without IP_RECVERR, and after it is turned off. */
static void test_off(void)
{
	uint16_t port = closed_port();
	int s = udp_sock(0), err, off = 0;

	send_to(s, port);
	CHECK("without IP_RECVERR: no POLLERR",
	      !(revents(s, 300) & POLLERR));
	read_now(s, &err);
	CHECK_EQ("... an unconnected read EAGAIN", err, EAGAIN);
	CHECK_EQ("... nothing queued", errq(s, 64, 256).err, EAGAIN);
	close(s);

	s = udp_sock(1);
	send_to(s, port);
	revents(s, 2000);
	CHECK_OK("IP_RECVERR off",
		 setsockopt(s, IPPROTO_IP, IP_RECVERR, &off, sizeof(off)));
	CHECK_EQ("turning it off empties the queue", errq(s, 64, 256).err,
		 EAGAIN);
	read_now(s, &err);
	CHECK_EQ("... and leaves the pending error", err, ECONNREFUSED);
	close(s);
}

int main(void)
{
	TEST_BEGIN(T);
	lo_up();
	test_record();
	test_pending_error();
	test_off();
	return TEST_END();
}
