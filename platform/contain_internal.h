/*
 * Private to platform/: the two halves of a containment point, C
 * (contain.c) and registers (contain_jump.S), call each other here.
 */
#pragma once
#include <platform/contain.h>

/*
 * Link the armed point @p on the running thread (contain.c; called by
 * contain_enter in contain_jump.S once the registers are saved).
 */
void contain_push(struct contain_point *p);
/*
 * Restore the registers saved in @p and return from its contain_enter
 * once more, with a non-zero value (contain_jump.S). Never returns.
 */
__noreturn void contain_resume(struct contain_point *p);
