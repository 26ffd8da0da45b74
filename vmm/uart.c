/*
 * uart: 16550 register model. Transmit is instant (LSR always says the
 * transmitter is empty); LSR.DR is set only while stdin has a byte waiting.
 * Interrupts are not raised (no irqchip in real mode): guests poll LSR.
 * Register map: National Semiconductor PC16550D data sheet, table II.
 */
#include "uart.h"

#include "guest.h"
#include "pio.h"

enum uart_register {		/* offsets from the base port */
	UART_RBR_THR = 0,	/* receive buffer / transmit holding; DLL if DLAB */
	UART_IER = 1,		/* interrupt enable; DLM if DLAB */
	UART_IIR_FCR = 2,	/* interrupt identification (read) / FIFO control */
	UART_LCR = 3,		/* line control */
	UART_MCR = 4,		/* modem control */
	UART_LSR = 5,		/* line status */
	UART_MSR = 6,		/* modem status */
	UART_SCR = 7,		/* scratch */
};

#define UART_LCR_DLAB      0x80	/* divisor latch access */
#define UART_LSR_DR        0x01	/* data ready */
#define UART_LSR_THRE      0x20	/* transmit holding register empty */
#define UART_LSR_TEMT      0x40	/* transmitter empty */
#define UART_IIR_NO_INT    0x01
#define UART_IIR_FIFO_ON   0xc0
#define UART_FCR_ENABLE    0x01
#define UART_MSR_CTS_DSR_DCD 0xb0	/* a modem that is always there */

void uart_init(struct uart *u, struct console *out, struct input *in)
{
	*u = (struct uart){ .out = out, .in = in };
}

static uint8_t uart_read(struct uart *u, uint16_t reg)
{
	bool dlab = u->lcr & UART_LCR_DLAB;
	int byte;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			return u->dll;
		if (!input_ready(u->in))
			return 0;
		byte = input_getc(u->in);
		return byte < 0 ? 0 : (uint8_t)byte;
	case UART_IER:
		return dlab ? u->dlm : u->ier;
	case UART_IIR_FCR:
		return UART_IIR_NO_INT |
		       (u->fcr & UART_FCR_ENABLE ? UART_IIR_FIFO_ON : 0);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		/* A guest polling for input must see its prompt first. */
		console_flush(u->out);
		return UART_LSR_THRE | UART_LSR_TEMT |
		       (input_ready(u->in) ? UART_LSR_DR : 0);
	case UART_MSR:
		return UART_MSR_CTS_DSR_DCD;
	default:
		return u->scr;
	}
}

static void uart_write(struct uart *u, uint16_t reg, uint8_t value)
{
	bool dlab = u->lcr & UART_LCR_DLAB;

	switch (reg) {
	case UART_RBR_THR:
		if (dlab)
			u->dll = value;
		else
			console_putc(u->out, value);
		break;
	case UART_IER:
		if (dlab)
			u->dlm = value;
		else
			u->ier = value & 0x0f;	/* the upper four bits are 0 */
		break;
	case UART_IIR_FCR:
		u->fcr = value;
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		u->mcr = value & 0x1f;
		break;
	case UART_SCR:
		u->scr = value;
		break;
	default:
		break;	/* LSR and MSR are read-only */
	}
}

/* Wider accesses act on the one register at OFFSET (the 16550 is 8-bit). */
int uart_io(void *uart, uint16_t offset, struct pio_access *access)
{
	if (access->is_write)
		uart_write(uart, offset, (uint8_t)access->value);
	else
		access->value = uart_read(uart, offset);
	return GUEST_RUNNING;
}
