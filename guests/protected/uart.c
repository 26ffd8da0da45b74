/*
 * uart: the same kind of output without hypercalls, through the 16550 at
 * 0x3f8: wait until the line status register says the transmitter can take
 * a byte, then write it to the data register. This is how a guest talks on
 * any PC, emulated or not.
 */
#include "guest.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20

static void uart_putc(char c) {
	while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
}

int main(void) {
	for (const char *s = "Hello through the UART, from protected mode!\n"; *s; s++)
		uart_putc(*s);
	return 0;
}
