/*
 * uart: a 16550 serial port (register map: PC16550D data sheet, table II).
 * Transmit is instant, so LSR always reports the transmitter empty; LSR.DR
 * is set only while stdin has a byte waiting. No interrupts: there is no
 * irqchip in real mode, so guests poll LSR.
 */
#include "vmm.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };	/* port offsets */

#define LCR_DLAB 0x80		/* divisor latch access: offsets 0-1 are DLL/DLM */
#define LSR_DR 0x01		/* data ready */
#define LSR_THRE_TEMT 0x60	/* transmit holding register and transmitter empty */
#define IIR_NO_INTERRUPT 0x01
#define IIR_FIFOS_ON 0xc0
#define FCR_FIFO_ENABLE 0x01
#define MSR_CTS_DSR_DCD 0xb0	/* a modem that is always there */

void uart_init(struct uart *u, struct console *out, struct input *in) {
	*u = (struct uart){ .out = out, .in = in };
}

static uint8_t uart_read(struct uart *u, uint16_t reg) {
	bool dlab = u->regs[LCR] & LCR_DLAB;
	int byte;

	switch (reg) {
	case RBR_THR:
		if (dlab)
			return u->dll;
		byte = input_ready(u->in) ? input_getc(u->in, NULL) : 0;
		return byte < 0 ? 0 : (uint8_t)byte;	/* RBR holds 0 when empty */
	case IER:
		return dlab ? u->dlm : u->regs[IER];
	case IIR_FCR:
		return IIR_NO_INTERRUPT | (u->regs[IIR_FCR] & FCR_FIFO_ENABLE ? IIR_FIFOS_ON : 0);
	case LSR:
		/* A guest waiting for input reads LSR again and again: show it
		 * its prompt. A guest that is printing reads it once per byte:
		 * its line stays buffered (one write(2) per line, not per byte). */
		if (u->lsr_polled)
			console_flush(u->out);
		u->lsr_polled = true;
		return LSR_THRE_TEMT | (input_ready(u->in) ? LSR_DR : 0);
	case MSR:
		return MSR_CTS_DSR_DCD;
	default:
		return u->regs[reg];	/* LCR, MCR, SCR read back what was written */
	}
}

static void transmit(struct uart *u, uint8_t value) {
	console_putc(u->out, value);
	u->lsr_polled = false;
	if (u->sent < UART_BUSY_BYTES && ++u->sent == UART_BUSY_BYTES && u->busy)
		u->busy(u->busy_arg);
}

static void uart_write(struct uart *u, uint16_t reg, uint8_t value) {
	bool dlab = u->regs[LCR] & LCR_DLAB;

	if (reg == RBR_THR && dlab)
		u->dll = value;
	else if (reg == RBR_THR)
		transmit(u, value);
	else if (reg == IER && dlab)
		u->dlm = value;
	else if (reg == IER)
		u->regs[IER] = value & 0x0f;	/* bits 4-7 are always 0 */
	else if (reg != LSR && reg != MSR)	/* those two are read-only */
		u->regs[reg] = value;		/* FCR (kept in IIR's slot), LCR, MCR, SCR */
}

/* The 16550 is an 8-bit device: a wider access acts on the register at OFFSET. */
int uart_io(void *uart, uint16_t offset, struct pio_access *access) {
	if (access->is_write)
		uart_write(uart, offset, (uint8_t)access->value);
	else
		access->value = uart_read(uart, offset);
	return GUEST_RUNNING;
}
