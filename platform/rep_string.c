/* memcpy and memset: the string instructions that lib/ may not spell. */
#include <aramid/string.h>

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep movsb"
			     : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	__asm__ __volatile__("rep stosb"
			     : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}
