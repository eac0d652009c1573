/* abi_mmsg.c - sendmmsg and recvmmsg as Linux 6.1: msg_len per entry, MSG_WAITFORONE, the timeout looked at only between messages, and the partial-success rule (an error only if no message moved; recvmmsg's later error left pending on the socket). */
#include "check.h"
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#define T "abi_mmsg"

static char data[4][16], in[8][32];
static struct iovec out_iov[4], in_iov[8];
static struct mmsghdr out[4], inv[8];

/* Entries for @n messages "m0", "m01", ... and 8 receive buffers. */
/* The system call itself (musl's 64-bit sendmmsg loops over sendmsg). */
static int smm(int fd, struct mmsghdr *v, unsigned n, int flags)
{
	return (int)syscall(SYS_sendmmsg, fd, v, n, flags);
}

static void setup(int n)
{
	memset(out, 0, sizeof(out));
	memset(inv, 0, sizeof(inv));
	for (int i = 0; i < n; i++) {
		snprintf(data[i], sizeof(data[i]), "message-%.*s", i + 1,
			 "abcd");
		out_iov[i] = (struct iovec){ data[i], strlen(data[i]) };
		out[i].msg_hdr.msg_iov = &out_iov[i];
		out[i].msg_hdr.msg_iovlen = 1;
	}
	for (int i = 0; i < 8; i++) {
		in_iov[i] = (struct iovec){ in[i], sizeof(in[i]) };
		inv[i].msg_hdr.msg_iov = &in_iov[i];
		inv[i].msg_hdr.msg_iovlen = 1;
		inv[i].msg_len = 12345;
	}
}

static void test_basic(int sv[2])
{
	setup(3);
	CHECK_EQ("sendmmsg sends three datagrams", smm(sv[0], out, 3, 0),
		 3);
	CHECK_EQ("msg_len of the first", out[0].msg_len, 9);
	CHECK_EQ("of the third", out[2].msg_len, 11);
	CHECK_EQ("recvmmsg takes them, up to vlen",
		 recvmmsg(sv[1], inv, 8, MSG_DONTWAIT, NULL), 3);
	CHECK_EQ("with their lengths", inv[1].msg_len, 10);
	CHECK("and bytes", !memcmp(in[2], "message-abc", 11));
	CHECK_EQ("entries not used keep their msg_len", inv[3].msg_len, 12345);
	CHECK_ERR("nothing queued: EAGAIN",
		  recvmmsg(sv[1], inv, 8, MSG_DONTWAIT, NULL), EAGAIN);
	CHECK_EQ("vlen 0 sends nothing", smm(sv[0], out, 0, 0), 0);
	CHECK_ERR("MSG_CMSG_COMPAT is refused",
		  smm(sv[0], out, 1, (int)0x80000000), EINVAL);
	CHECK_ERR("by recvmmsg too",
		  recvmmsg(sv[1], inv, 1, (int)0x80000000, NULL), EINVAL);
	CHECK_ERR("and by sendmsg",
		  sendmsg(sv[0], &out[0].msg_hdr, (int)0x80000000), EINVAL);
	CHECK_ERR("and recvmsg",
		  recvmsg(sv[1], &inv[0].msg_hdr, (int)0x80000000), EINVAL);
}

static void test_waitforone(int sv[2])
{
	struct timespec ts = { 10, 0 }, zero = { 0, 0 }, bad = { 0, -1 };

	setup(2);
	smm(sv[0], out, 2, 0);
	CHECK_EQ("MSG_WAITFORONE: blocking for the first only",
		 recvmmsg(sv[1], inv, 8, MSG_WAITFORONE, NULL), 2);

	smm(sv[0], out, 1, 0);
	CHECK_EQ("a zero timeout ends the call after one message",
		 recvmmsg(sv[1], inv, 8, 0, &zero), 1);
	CHECK_EQ("and is written back as 0", zero.tv_sec + zero.tv_nsec, 0);

	smm(sv[0], out, 2, 0);
	CHECK_EQ("with time left, all vlen come",
		 recvmmsg(sv[1], inv, 2, 0, &ts), 2);
	CHECK("the time left is written back",
	      ts.tv_sec == 9 || (ts.tv_sec == 10 && ts.tv_nsec == 0));
	CHECK_ERR("an invalid timeout is EINVAL",
		  recvmmsg(sv[1], inv, 2, MSG_DONTWAIT, &bad), EINVAL);
	CHECK_ERR("a bad timeout pointer is EFAULT",
		  recvmmsg(sv[1], inv, 2, MSG_DONTWAIT, BAD_LOW), EFAULT);
}

static void test_partial(int sv[2])
{
	int err = 0;
	socklen_t len = sizeof(err);

	setup(3);
	out[1].msg_hdr.msg_iov = BAD_LOW;
	CHECK_EQ("sendmmsg: a later bad entry, the ones before count",
		 smm(sv[0], out, 3, 0), 1);
	CHECK_ERR("a bad first entry is the error",
		  smm(sv[0], &out[1], 2, 0), EFAULT);
	out[1].msg_hdr.msg_iov = &out_iov[1];
	CHECK_EQ("two more", smm(sv[0], &out[1], 2, 0), 2);

	inv[1].msg_hdr.msg_iov = BAD_LOW;
	CHECK_EQ("recvmmsg: a later bad entry, the ones before count",
		 recvmmsg(sv[1], inv, 3, MSG_DONTWAIT, NULL), 1);
	getsockopt(sv[1], SOL_SOCKET, SO_ERROR, &err, &len);
	CHECK_EQ("the error is left pending on the socket", err, EFAULT);
	inv[1].msg_hdr.msg_iov = &in_iov[1];
	CHECK_EQ("the rest are still queued",
		 recvmmsg(sv[1], inv, 8, MSG_DONTWAIT, NULL), 2);
	CHECK_ERR("a bad first entry is the error, nothing pending after",
		  recvmmsg(sv[1], &inv[0], 1, MSG_DONTWAIT, BAD_LOW), EFAULT);
}

static void test_stream(void)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	setup(3);
	CHECK_EQ("a stream socket: three sends", smm(sv[0], out, 3, 0), 3);
	inv[0].msg_hdr.msg_iov[0].iov_len = 32;
	CHECK_EQ("one receive may take them all",
		 recvmmsg(sv[1], inv, 1, MSG_DONTWAIT, NULL), 1);
	CHECK_EQ("its msg_len the bytes", inv[0].msg_len, 9 + 10 + 11);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	int sv[2];

	TEST_BEGIN(T);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)) {
		CHECK_OK("socketpair", -1);
		return TEST_END();
	}
	test_basic(sv);
	test_waitforone(sv);
	test_partial(sv);
	close(sv[0]);
	close(sv[1]);
	test_stream();
	return TEST_END();
}
