/* The failure path of CHECKED_INDEX() (<aramid/checked.h>). */
#include <aramid/checked.h>
#include <platform/panic.h>

/* An index check failed at @file:@line: panic (never returns). */
void checked_index_fail(const char *file, int line, size_t idx, size_t n)
{
	panic("CHECKED_INDEX: %s:%d: index %zu out of range [0, %zu)",
	      file, line, idx, n);
}
