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

	__asm__ __volatile__("rep movsq\n\t"
			     "movq %3, %%rcx\n\t"
			     "rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(quads)
			     : "r"(tail) : "memory");
	return ret;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	size_t quads = n / 8, tail = n % 8;
	uint64_t v = (uint8_t)c * 0x0101010101010101ULL;

	__asm__ __volatile__("rep stosq\n\t"
			     "movq %3, %%rcx\n\t"
			     "rep stosb"
			     : "+D"(dst), "+c"(quads), "+a"(v)
			     : "r"(tail) : "memory");
	return ret;
}
