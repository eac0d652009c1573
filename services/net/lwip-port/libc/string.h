/* lwIP's <string.h>: the kernel's own string routines. */
#pragma once
#include <aramid/string.h>
