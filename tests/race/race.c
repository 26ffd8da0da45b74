/*
 * race: stdin, read by a guest's hypercalls on the vCPU thread while the
 * UART's input watch -- its own thread -- asks whether a byte is waiting
 * (a Linux guest with a port-0x500 helper does both). Built with
 * ThreadSanitizer (make check), which reports any access to the input's
 * state that no lock orders; halt_on_error makes that a failure. Prints TAP.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/hypercall.h"
#include "devices/devices.h"

#define SECONDS 0.5	/* the watch looks again every 50 ms: ten times */

static int no_line(void *arg, bool level) {
	(void)arg, (void)level;
	return 0;
}

static void uart_out(struct uart *u, uint16_t offset, uint8_t value) {
	struct pio_access a = { .port = UART_COM1_BASE + offset, .size = 1, .is_write = true,
				.value = value };

	uart_io(u, offset, &a);
}

static double now(void) {
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void) {
	struct guest_memory mem = { .host = calloc(1, 4096), .size = 4096 };
	atomic_bool stop = false;
	struct hypercalls hc;
	struct console out;
	struct input in;
	struct uart u;
	int p[2], bytes = 0, wrong = 0;
	double end;

	if (!mem.host || pipe(p) < 0)
		return 1;
	console_init(&out, open("/dev/null", O_WRONLY), "race", false, 0);
	input_init(&in, p[0]);
	uart_init(&u, &out, &in);
	hypercalls_init(&hc, "race", &mem, &out, &in, &stop);
	uart_out(&u, 1, 0x01);	/* IER: received data available */
	uart_out(&u, 4, 0x08);	/* MCR: OUT2, the line to the 8259 */
	if (uart_enable_irq(&u, no_line, NULL, NULL, "race") < 0)
		return 1;
	for (end = now() + SECONDS; now() < end; bytes++) {
		struct kvm_regs regs = { .rbx = 0, .rcx = 1 };	/* HC_READ: 1 byte at 0 */

		if (write(p[1], "x", 1) != 1)
			return 1;
		hypercall_dispatch(&hc, bytes % 2 ? HC_GETCHAR : HC_READ, &regs);
		wrong += bytes % 2 ? regs.rax != 'x' : regs.rax != 1 || mem.host[0] != 'x';
	}
	close(p[1]);
	uart_stop(&u);
	printf("1..1\n%s 1 stdin read by hypercalls while the UART's input watch looks: "
	       "%d bytes, %d wrong, no data race\n", wrong ? "not ok" : "ok", bytes, wrong);
	return wrong != 0;
}
