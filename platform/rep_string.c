/*
 * memcpy and memset: the string instructions that lib/ may not spell.
 * 8-byte strings for the body and bytes for the tail, on every CPU
 * model: under emulation an iteration costs about the same whatever its
 * width (QEMU's TCG, counted by -icount, runs rep movsb eight times as
 * long as rep movsq), and on hardware with or without ERMS a long rep
 * movsq is within a few percent of rep movsb, so the choice Linux makes
 * by feature (rep movsb with ERMS) would only cost here. Page clearing
 * and copying (platform/frame.c) come through these.
 */
#include <aramid/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t quads = n / 8, tail = n % 8;

	/* Two statements: one asm reading @tail after rep movsq has written
	 * rcx would let the compiler give both the same register when they
	 * are equal (n = 36: 4 and 4). */
	__asm__ __volatile__("rep movsq"
			     : "+D"(dst), "+S"(src), "+c"(quads) : : "memory");
	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(tail) : : "memory");
	return ret;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t quads = n / 8, tail = n % 8;
	uint64_t v = (uint8_t)c * 0x0101010101010101ULL;

	__asm__ __volatile__("rep stosq"
			     : "+D"(dst), "+c"(quads) : "a"(v) : "memory");
	__asm__ __volatile__("rep stosb"
			     : "+D"(dst), "+c"(tail) : "a"(v) : "memory");
	return ret;
}
