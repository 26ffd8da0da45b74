/* uart: a 16550 serial port, enough of it for a guest's console. */
#ifndef UART_H
#define UART_H

#include <stdint.h>

#include "console.h"
#include "pio.h"

#define UART_COM1_BASE  0x3f8
#define UART_PORT_COUNT 8

struct uart {
	struct console *out;	/* transmitted bytes go here */
	struct input *in;	/* received bytes come from here (may be NULL) */
	uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
};

void uart_init(struct uart *u, struct console *out, struct input *in);

/* pio_handler for the 8 ports at UART_COM1_BASE. */
int uart_io(void *uart, uint16_t offset, struct pio_access *access);

#endif
