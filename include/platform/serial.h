/* The serial console's output (platform/serial.c). */
#pragma once
#include <aramid/types.h>

/* Write raw bytes to the serial console. Any context; may spin. */
void serial_write(const char *buf, size_t len);
