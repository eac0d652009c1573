/* Stack-protector support for the profiles that compile with it. */
#include <platform/panic.h>

uint64_t __stack_chk_guard = 0x5eed0fa7a11d5afeUL;

__noreturn void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
	panic("stack protector: stack smashed in %p",
	      __builtin_return_address(0));
}
