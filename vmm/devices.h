/*
 * devices.h: the devices behind guest port I/O, one section per .c file:
 * the registry that routes each port, and what it routes to. Included by
 * vmm.h, which holds the rest of the map (docs/architecture.md).
 */
#ifndef VMM_DEVICES_H
#define VMM_DEVICES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct console;
struct input;
struct vm;
struct guest;

/* input_watch.c: a thread that tells a device when stdin has a byte */
struct input_watch {
	struct input *in;
	void (*ready)(void *arg);	/* a byte (or the end) the guest was not told of */
	void *arg;
	const char *who;
	pthread_t thread;
	bool started, confine;		/* confine: under the seccomp filter */
	atomic_bool armed, at_end, stop;
};
void input_watch_init(struct input_watch *w, struct input *in, void (*ready)(void *arg),
		      void *arg, bool confine, const char *who);
void input_watch_guest_read(struct input_watch *w, bool took_byte);
int input_watch_start(struct input_watch *w);
void input_watch_stop(struct input_watch *w);

/* pio.c: the port-I/O registry */
struct pio_access {
	uint16_t port;
	uint8_t size;		/* 1, 2 or 4 bytes */
	bool is_write;
	uint32_t value;		/* a read's device fills it in */
};
typedef int pio_handler(void *device, uint16_t offset, struct pio_access *access);
#define PIO_MAX_DEVICES 12
struct pio_bus {
	struct pio_device {
		const char *name;
		uint16_t base, count;
		pio_handler *handle;
		void *device;
	} devices[PIO_MAX_DEVICES];
	int device_count;
	uint64_t unclaimed;	/* accesses that no device claimed */
};
int pio_register(struct pio_bus *bus, const char *name, uint16_t base, uint16_t count,
		 pio_handler *handle, void *device);
const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port);
int pio_dispatch(struct pio_bus *bus, struct pio_access *access);

/* uart.c: a 16550 serial port */
#define UART_COM1_BASE 0x3f8
#define UART_PORT_COUNT 8
struct uart {
	struct console *out;
	struct input *in;
	uint8_t regs[UART_PORT_COUNT], dll, dlm;
	bool lsr_polled;	/* LSR read since the last transmitted byte */
	uint32_t sent;		/* bytes transmitted, counted up to UART_BUSY_BYTES */
	void (*busy)(void *arg);	/* called once, at UART_BUSY_BYTES */
	void *busy_arg;
	/* Interrupts, after uart_enable_irq: */
	void (*irq)(void *arg, bool level);	/* sets the IRQ line; NULL: none */
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
int uart_io(void *uart, uint16_t offset, struct pio_access *access);
int uart_enable_irq(struct uart *u, void (*irq)(void *arg, bool level), void *irq_arg,
		    bool confine, const char *who);
void uart_stop(struct uart *u);

/* rtc.c: the CMOS clock at 0x70/0x71, for PC operating systems */
struct rtc {
	uint8_t index;		/* the register port 0x70 selected */
	uint8_t ram[128];	/* CMOS bytes that are not the clock's */
};
void rtc_register(struct rtc *r, struct pio_bus *bus);
int rtc_io(void *rtc, uint16_t offset, struct pio_access *access);

/* disk.c: --disk FILE, sectors for HC_DISK_READ/HC_DISK_WRITE */
struct disk {
	int fd;			/* -1: no disk */
	uint64_t sectors;
};
int disk_open(struct disk *d, const char *path, const char *who);
void disk_close(struct disk *d);

/* kbd.c: stdin as a keyboard on ports 0x60/0x64, IRQ1 with an irqchip */
struct kbd {
	struct input *in;
	struct console *out;	/* flushed when the guest finds no byte waiting */
	struct vm *vm;
	const char *who;
	struct input_watch watch;	/* raises IRQ1 when stdin has a byte */
};
void kbd_init(struct kbd *k, struct input *in, struct console *out, struct vm *vm, bool confine,
	      const char *who);
int kbd_io(void *kbd, uint16_t offset, struct pio_access *access);
int kbd_start(struct kbd *k);
void kbd_stop(struct kbd *k);

#endif
