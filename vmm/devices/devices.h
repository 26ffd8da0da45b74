/*
 * devices.h: the devices a board puts on a guest's port bus, one section
 * per .c file. Each owns its state -- its own struct, given to its
 * handlers -- and plugs in through the core's port bus (core/pio.h), and
 * the disk also through the hypercall table (core/hypercall.h).
 */
#ifndef DEVICES_DEVICES_H
#define DEVICES_DEVICES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/guest.h"

/* What a device thread calls to confine itself (core/guest.h: the
 * program's seccomp hook); NULL: it runs unconfined (--no-seccomp). */
typedef int confine_fn(const struct guest_files *files, const char *who);

/* input_watch.c: a thread that tells a device when stdin has a byte */
struct input_watch {
	struct input *in;
	void (*ready)(void *arg);	/* a byte (or the end) the guest was not told of */
	void *arg;
	confine_fn *confine;
	const char *who;
	pthread_t thread;
	bool started;
	atomic_bool armed, at_end, stop;
};
void input_watch_init(struct input_watch *w, struct input *in, void (*ready)(void *arg),
		      void *arg, confine_fn *confine, const char *who);
void input_watch_guest_read(struct input_watch *w, bool took_byte);
int input_watch_start(struct input_watch *w);
void input_watch_stop(struct input_watch *w);

/* uart.c: a 16550 serial port at COM1 */
#define UART_COM1_BASE 0x3f8
#define UART_PORT_COUNT 8
struct uart {
	struct console *out;	/* NULL: never initialised, nothing to stop */
	struct input *in;
	uint8_t regs[UART_PORT_COUNT], dll, dlm;
	bool lsr_polled;	/* LSR read since the last transmitted byte */
	uint32_t sent;		/* bytes transmitted, counted up to UART_BUSY_BYTES */
	void (*busy)(void *arg);	/* called once, at UART_BUSY_BYTES */
	void *busy_arg;
	/* Interrupts, after uart_enable_irq: */
	int (*irq)(void *arg, bool level);	/* sets the IRQ line, 0 or -1; NULL: none */
	void *irq_arg;
	bool irq_level, thre_pending;	/* the line as set; THR empty, not yet acknowledged */
	bool rx_seen;			/* the input watch saw a byte come */
	struct input_watch watch;
	pthread_mutex_t lock;		/* the vCPU thread and the input watch */
};
/* Where queueing the transmit register's writes (coalesced I/O) starts to
 * pay on this host: it saves ~6 us a byte and makes VM teardown ~7 ms
 * slower, so switch after about 7 ms / 6 us bytes (docs/architecture.md). */
#define UART_BUSY_BYTES 1024
void uart_init(struct uart *u, struct console *out, struct input *in);
pio_handler uart_io;
int uart_enable_irq(struct uart *u, int (*irq)(void *arg, bool level), void *irq_arg,
		    confine_fn *confine, const char *who);
void uart_stop(struct uart *u);

/* coalesced.c: a port whose writes KVM queues instead of exiting */
struct coalesced_port {		/* zeroed: not started */
	struct kvm_coalesced_mmio_ring *ring;	/* in kvm_run; NULL: KVM cannot queue */
	int vm_fd;
	uint16_t port;
	bool started;
};
void coalesced_port_init(struct coalesced_port *c, struct guest *g);
int coalesced_port_start(struct coalesced_port *c, struct guest *g, uint16_t port);
void coalesced_port_stop(struct coalesced_port *c);

/* kbd.c: stdin as a keyboard on ports 0x60/0x64, IRQ1 with an irqchip */
struct kbd {
	struct input *in;
	struct console *out;	/* flushed when the guest finds no byte waiting */
	struct vm *vm;
	const char *who;
	struct input_watch watch;	/* raises IRQ1 when stdin has a byte */
	bool line_high;			/* IRQ1 could not be lowered: do it first */
};
void kbd_init(struct kbd *k, struct input *in, struct console *out, struct vm *vm,
	      confine_fn *confine, const char *who);
pio_handler kbd_io;
int kbd_start(struct kbd *k);
void kbd_stop(struct kbd *k);

/* disk.c: --disk FILE, sectors for HC_DISK_READ/HC_DISK_WRITE */
struct disk {
	bool open;		/* zeroed: nothing to close */
	int fd;
	uint64_t sectors;
	bool readonly;		/* opened read-only: writes fail with HC_ERR_IO */
	struct guest_memory *mem;
};
int disk_open(struct disk *d, const char *path, bool readonly, const char *who);
/* Its two hypercalls, on the guest's table; MEM holds their buffers. */
int disk_attach(struct disk *d, struct hypercalls *hc, struct guest_memory *mem);
void disk_close(struct disk *d);

/* tap.c: --net tap=IFNAME. The tap's fd, non-blocking, or minus an exit
 * status, said. */
int tap_open(const char *name, const char *who);

/* rtc.c: the CMOS clock at 0x70/0x71, for PC operating systems */
struct rtc {
	uint8_t index;		/* the register port 0x70 selected */
	uint8_t ram[128];	/* CMOS bytes that are not the clock's */
};
int rtc_register(struct rtc *r, struct pio_bus *bus);

/* pc_reset.c: the PC's ways to reset the machine; a reset ends the guest */
struct pc_reset {
	const char *who;
};
int pc_reset_register(struct pc_reset *p, struct pio_bus *bus, const char *who);

#endif
