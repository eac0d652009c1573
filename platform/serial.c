/*
 * The 16550 UART on COM1: polled output, interrupt-driven input handed to
 * the kernel's TTY through kernel_console_rx().
 */
#include <platform/serial.h>
#include <platform/upcall.h>
#include "x86.h"

#define COM1	0x3f8
#define IRQ_COM1 4

enum { RBR = 0, THR = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DR		0x01
#define LSR_THRE	0x20

void serial_init(void)
{
	outb(COM1 + IER, 0x00);
	outb(COM1 + LCR, 0x80);		/* DLAB: set the divisor */
	outb(COM1 + 0, 0x01);		/* 115200 baud */
	outb(COM1 + 1, 0x00);
	outb(COM1 + LCR, 0x03);		/* 8N1 */
	outb(COM1 + FCR, 0x07);		/* FIFOs on and cleared */
	outb(COM1 + MCR, 0x0b);		/* DTR, RTS, OUT2 (IRQ gate) */
}

/* Start delivering received bytes through IRQ 4. */
void serial_enable_irq(void)
{
	outb(COM1 + IER, 0x01);		/* received data available */
	pic_unmask(IRQ_COM1);
}

static void serial_putc(char c)
{
	while (!(inb(COM1 + LSR) & LSR_THRE))
		;
	outb(COM1 + THR, (uint8_t)c);
}

void serial_write(const char *buf, size_t len)
{
	irqflags_t fl = irq_save();

	for (size_t i = 0; i < len; i++)
		serial_putc(buf[i]);
	irq_restore(fl);
}

void serial_irq(void)
{
	while (inb(COM1 + LSR) & LSR_DR)
		kernel_console_rx(inb(COM1 + RBR));
}
