/*
 * Negative compilation test (tests/compile/run.sh): kernel code that
 * takes a direct pointer to a page frame with frame_map(). Under
 * PROFILE_FORTRESS <platform/frame.h> does not declare frame_map(), so
 * this file must fail to compile there; under the other profiles it must
 * compile, which shows the test itself can fail.
 */
#include <platform/frame.h>

unsigned char frame_first_byte(paddr_t pa);

/* The first byte of frame @pa, read through the direct pointer. */
unsigned char frame_first_byte(paddr_t pa)
{
	const unsigned char *p = frame_map(pa);

	return p[0];
}
