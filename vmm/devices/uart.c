/*
 * uart: a 16550 serial port (register map: PC16550D data sheet, table II).
 * Transmit is instant, so LSR always reports the transmitter empty; LSR.DR
 * is set only while stdin has a byte waiting. Guests without an irqchip
 * poll LSR. With one (a Linux guest: uart_enable_irq), the port interrupts
 * as a 16550 does on a PC: IER chooses the causes, IIR names the highest
 * one pending, and MCR.OUT2 connects the line to the 8259 (data sheet,
 * "Interrupt Identification Register" and "Modem Control Register").
 */
#include "devices.h"

enum { RBR_THR, IER, IIR_FCR, LCR, MCR, LSR, MSR, SCR };	/* port offsets */

#define LCR_DLAB 0x80		/* divisor latch access: offsets 0-1 are DLL/DLM */
#define LSR_DR 0x01		/* data ready */
#define LSR_THRE_TEMT 0x60	/* transmit holding register and transmitter empty */
#define IER_RDA 0x01		/* interrupt: received data available */
#define IER_THRE 0x02		/* interrupt: transmit holding register empty */
#define IIR_NO_INTERRUPT 0x01
#define IIR_THRE 0x02		/* IIR's answers, lowest priority first */
#define IIR_RDA 0x04
#define IIR_FIFOS_ON 0xc0
#define FCR_FIFO_ENABLE 0x01
#define MCR_OUT2 0x08		/* on a PC, gates the UART's interrupt to the 8259 */
#define MCR_LOOP 0x10		/* loopback: MSR reflects MCR, nothing is sent */
#define MSR_CTS_DSR_DCD 0xb0	/* a modem that is always there */

void uart_init(struct uart *u, struct console *out, struct input *in) {
	*u = (struct uart){ .out = out, .in = in };
	pthread_mutex_init(&u->lock, NULL);
}

/* The modem status: in loopback, MCR's RTS, DTR, OUT1, OUT2 come back as
 * CTS, DSR, RI, DCD (Linux's probe checks exactly this). */
static uint8_t modem_status(const struct uart *u) {
	uint8_t mcr = u->regs[MCR];

	if (!(mcr & MCR_LOOP))
		return MSR_CTS_DSR_DCD;
	return (uint8_t)((mcr & 0x02) << 3 | (mcr & 0x01) << 5 | (mcr & 0x04) << 4 |
			 (mcr & 0x08) << 4);
}

/* A byte is waiting: one read ahead, or one the input watch has seen come. */
static bool rx_waiting(struct uart *u) {
	return input_has_byte(u->in) || (u->rx_seen && !input_ended(u->in));
}

/* The highest-priority interrupt pending, as IIR reports it. */
static uint8_t pending(struct uart *u) {
	if ((u->regs[IER] & IER_RDA) && rx_waiting(u))
		return IIR_RDA;
	if ((u->regs[IER] & IER_THRE) && u->thre_pending)
		return IIR_THRE;
	return IIR_NO_INTERRUPT;
}

/* Set the line to LEVEL; where that fails (said by the setter), the line
 * is as it was, and the next update tries again. */
static void set_line(struct uart *u, bool level) {
	if (u->irq(u->irq_arg, level) == 0)
		u->irq_level = level;
}

/* Drive the IRQ line from the state. An ISA line is edge-triggered: a new
 * interrupt needs the line low first, which PULSE forces. */
static void update_irq(struct uart *u, bool pulse) {
	bool level;

	if (!u->irq)
		return;
	level = (u->regs[MCR] & MCR_OUT2) && pending(u) != IIR_NO_INTERRUPT;
	if (pulse && level && u->irq_level)
		set_line(u, false);
	if (level != u->irq_level)
		set_line(u, level);
}

static uint8_t read_rbr(struct uart *u) {
	int byte = input_ready(u->in) ? input_getc(u->in, NULL) : INPUT_EOF;

	u->rx_seen = false;
	if (u->irq)
		input_watch_guest_read(&u->watch, byte >= 0);
	return byte < 0 ? 0 : (uint8_t)byte;	/* RBR holds 0 when empty */
}

static uint8_t read_iir(struct uart *u) {
	uint8_t id = pending(u), fifos = u->regs[IIR_FCR] & FCR_FIFO_ENABLE ? IIR_FIFOS_ON : 0;

	if (id == IIR_THRE)
		u->thre_pending = false;	/* reading IIR acknowledges THRE */
	return id | fifos;
}

static uint8_t read_lsr(struct uart *u) {
	bool ready = input_ready(u->in);

	/* A guest waiting for input reads LSR again and again: show it
	 * its prompt. A guest that is printing reads it once per byte:
	 * its line stays buffered (one write(2) per line, not per byte). */
	if (u->lsr_polled)
		console_flush(u->out);
	u->lsr_polled = true;
	if (!ready)
		u->rx_seen = false;
	return LSR_THRE_TEMT | (ready ? LSR_DR : 0);
}

static uint8_t uart_read(struct uart *u, uint16_t reg) {
	bool dlab = u->regs[LCR] & LCR_DLAB;

	switch (reg) {
	case RBR_THR:
		return dlab ? u->dll : read_rbr(u);
	case IER:
		return dlab ? u->dlm : u->regs[IER];
	case IIR_FCR:
		return read_iir(u);
	case LSR:
		return read_lsr(u);
	case MSR:
		return modem_status(u);
	default:
		return u->regs[reg];	/* LCR, MCR, SCR read back what was written */
	}
}

static void transmit(struct uart *u, uint8_t value) {
	u->thre_pending = true;		/* the byte is gone at once: THR is empty again */
	if (u->regs[MCR] & MCR_LOOP)
		return;			/* loopback: the byte never leaves the chip */
	console_putc(u->out, value);
	u->lsr_polled = false;
	if (u->sent < UART_BUSY_BYTES && ++u->sent == UART_BUSY_BYTES && u->busy)
		u->busy(u->busy_arg);
}

static void uart_write(struct uart *u, uint16_t reg, uint8_t value) {
	bool dlab = u->regs[LCR] & LCR_DLAB;

	if (reg == RBR_THR && dlab) {
		u->dll = value;
	} else if (reg == RBR_THR) {
		transmit(u, value);
	} else if (reg == IER && dlab) {
		u->dlm = value;
	} else if (reg == IER) {
		u->regs[IER] = value & 0x0f;	/* bits 4-7 are always 0 */
		u->thre_pending = value & IER_THRE;	/* THR is empty: THRE fires at once */
	} else if (reg != LSR && reg != MSR) {	/* those two are read-only */
		u->regs[reg] = value;		/* FCR (kept in IIR's slot), LCR, MCR, SCR */
	}
}

/* The 16550 is an 8-bit device: a wider access acts on the register at OFFSET. */
struct run_result uart_io(void *uart, uint16_t offset, struct pio_access *access) {
	struct uart *u = uart;

	pthread_mutex_lock(&u->lock);	/* the input watch changes rx_seen */
	if (access->is_write)
		uart_write(u, offset, (uint8_t)access->value);
	else
		access->value = uart_read(u, offset);
	update_irq(u, access->is_write && offset == RBR_THR);
	pthread_mutex_unlock(&u->lock);
	return RUN_ON;
}

/* The input watch saw a byte come: it may interrupt the guest. */
static void rx_ready(void *uart) {
	struct uart *u = uart;

	pthread_mutex_lock(&u->lock);
	u->rx_seen = true;
	update_irq(u, false);
	pthread_mutex_unlock(&u->lock);
}

/* From now on the port interrupts through IRQ (which sets the line's
 * level), and a thread watches stdin for it. */
int uart_enable_irq(struct uart *u, int (*irq)(void *arg, bool level), void *irq_arg,
		    confine_fn *confine, const char *who) {
	u->irq = irq, u->irq_arg = irq_arg;
	input_watch_init(&u->watch, u->in, rx_ready, u, confine, who);
	return input_watch_start(&u->watch);
}

void uart_stop(struct uart *u) {
	if (!u->out)
		return;		/* never initialised: its board failed before it */
	input_watch_stop(&u->watch);
	pthread_mutex_destroy(&u->lock);
	u->out = NULL;
}
