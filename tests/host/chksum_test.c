/*
 * Host unit test of services/net/chksum.c: for every length 0..300 and
 * start offsets 0..7 into random data, lwip_port_chksum must equal the
 * RFC 1071 sum taken the way lwIP reads memory (16-bit words in memory
 * order from an even address; from an odd one, the byte-swapped sum of
 * the words shifted by one byte). Prints "N passed, N failed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint16_t lwip_port_chksum(const void *data, int len);

/* The definition: sum 16-bit big-endian words, then into memory order. */
static uint16_t reference(const uint8_t *p, int len)
{
	uint32_t sum = 0;

	for (int i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	/* lwIP's result is the sum as a u16 in memory (network) order. */
	uint16_t be = (uint16_t)sum;
	uint16_t mem = (uint16_t)(be >> 8 | be << 8);

	return mem;
}

int main(void)
{
	static uint8_t buf[512];
	int pass = 0, fail = 0;

	srand(1);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	/* One check per start offset, over every length 0..300. */
	for (int off = 0; off < 8; off++) {
		int bad = 0;

		for (int len = 0; len <= 300; len++) {
			uint16_t want = len ? reference(buf + off, len) : 0;
			uint16_t got = lwip_port_chksum(buf + off, len);

			if (got != want && bad++ == 0)
				printf("FAIL chksum: offset %d length %d: got %04x want %04x\n",
				       off, len, got, want);
		}
		if (bad) {
			fail++;
		} else {
			pass++;
			printf("PASS chksum: offset %d, lengths 0..300\n", off);
		}
	}
	/* All-ones data: the sum must fold its carries all the way. */
	memset(buf, 0xff, sizeof(buf));
	if (lwip_port_chksum(buf, 512) == 0xffff) {
		pass++;
		printf("PASS chksum: all ones folds every carry\n");
	} else {
		fail++;
		printf("FAIL chksum: all ones\n");
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
