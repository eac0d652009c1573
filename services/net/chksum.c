/*
 * The Internet checksum for lwIP (LWIP_CHKSUM, services/net/lwip-port/
 * arch/cc.h): the 16-bit one's complement sum of @len bytes at @data, in
 * memory byte order, as lwIP's own routine returns it, eight bytes a step
 * instead of two. Pure arithmetic: tests/host/run_chksum.sh checks it
 * against the RFC 1071 definition.
 */
#include <aramid/types.h>
#include <aramid/string.h>

/* Fold a 64-bit one's complement sum to 16 bits. */
static uint16_t fold(uint64_t sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t lwip_port_chksum(const void *data, int len)
{
	const uint8_t *p = data;
	bool odd = (uintptr_t)p & 1;
	uint64_t sum = 0;
	uint16_t first = 0, last = 0;

	if (len <= 0)
		return 0;
	/*
	 * From an odd address the 16-bit words straddle: sum them shifted by
	 * one byte (the first byte alone in the word's second half) and swap
	 * the result, as lwIP does.
	 */
	if (odd) {
		((uint8_t *)&first)[1] = *p++;
		len--;
		sum += first;
	}
	for (; len >= 8; p += 8, len -= 8) {
		uint64_t w;

		memcpy(&w, p, sizeof(w));
		sum += (w & 0xffffffff) + (w >> 32);
	}
	for (; len >= 2; p += 2, len -= 2) {
		uint16_t w;

		memcpy(&w, p, sizeof(w));
		sum += w;
	}
	if (len) {
		((uint8_t *)&last)[0] = *p;
		sum += last;
	}
	uint16_t r = fold(sum);

	return odd ? (uint16_t)(r << 8 | r >> 8) : r;
}
