/* uart: the 16550 register model seen from a guest's port accesses. */
#include <fcntl.h>
#include <unistd.h>

#include "helpers.h"


static uint8_t in8(struct uart *u, uint16_t offset)
{
	struct pio_access a = { .port = (uint16_t)(UART_COM1_BASE + offset), .size = 1 };

	RUNS_ON(uart_io(u, offset, &a));
	return (uint8_t)a.value;
}

static void out8(struct uart *u, uint16_t offset, uint8_t value)
{
	struct pio_access a = { .port = (uint16_t)(UART_COM1_BASE + offset),
				.size = 1, .is_write = true, .value = value };

	RUNS_ON(uart_io(u, offset, &a));
}

static void transmits_to_console(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(in8(&f.dev.uart, 5) & 0x60, 0x60);	/* THRE | TEMT */
	out8(&f.dev.uart, 0, 'O');
	out8(&f.dev.uart, 0, 'K');
	assert_string_equal(fake_guest_output(&f), "OK");
	fake_guest_free(&f);
}

static void data_ready_only_with_input(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(in8(&f.dev.uart, 5) & 0x01, 0);		/* LSR.DR clear */
	fake_guest_stdin(&f, "z", 1);
	assert_int_equal(in8(&f.dev.uart, 5) & 0x01, 0x01);	/* LSR.DR set */
	assert_int_equal(in8(&f.dev.uart, 0), 'z');
	assert_int_equal(in8(&f.dev.uart, 5) & 0x01, 0);		/* EOF: never ready */
	assert_int_equal(in8(&f.dev.uart, 0), 0);
	fake_guest_free(&f);
}

static void divisor_latch_and_registers(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	out8(&f.dev.uart, 3, 0x80);		/* DLAB on */
	out8(&f.dev.uart, 0, 0x0c);		/* divisor 12: 9600 baud */
	out8(&f.dev.uart, 1, 0x00);
	assert_int_equal(in8(&f.dev.uart, 0), 0x0c);
	out8(&f.dev.uart, 3, 0x03);		/* DLAB off, 8N1 */
	assert_int_equal(in8(&f.dev.uart, 3), 0x03);
	out8(&f.dev.uart, 1, 0xff);
	assert_int_equal(in8(&f.dev.uart, 1), 0x0f);	/* IER: 4 bits */
	assert_int_equal(in8(&f.dev.uart, 2), 0x02);	/* IIR: THR empty, as enabled ... */
	assert_int_equal(in8(&f.dev.uart, 2), 0x01);	/* ... acknowledged by that read */
	out8(&f.dev.uart, 2, 0x01);			/* FIFO on */
	assert_int_equal(in8(&f.dev.uart, 2), 0xc1);
	out8(&f.dev.uart, 7, 0x5a);
	assert_int_equal(in8(&f.dev.uart, 7), 0x5a);	/* scratch */
	assert_string_equal(fake_guest_output(&f), "");	/* nothing sent */
	fake_guest_free(&f);
}

/* The IRQ line as the UART drives it: every level it set, in order; the
 * next FAILS attempts fail (as KVM_IRQ_LINE can) and are recorded as 'x'. */
struct line { char levels[16]; size_t n; int fails; };

static int record_level(void *arg, bool level)
{
	struct line *l = arg;
	bool failed = l->fails > 0;

	l->fails -= failed;
	if (l->n < sizeof(l->levels) - 1)
		l->levels[l->n++] = failed ? 'x' : level ? '1' : '0';
	return failed ? -1 : 0;
}

/* The interrupt model without the input watch's thread. */
static void with_irq(struct fake_guest *f, struct line *l)
{
	*l = (struct line){ .n = 0 };
	f->dev.uart.irq = record_level;
	f->dev.uart.irq_arg = l;
}

static void out2_gates_the_line_and_iir_acknowledges_thre(void **state)
{
	struct fake_guest f;
	struct line l;

	(void)state;
	fake_guest_init(&f, 4096);
	with_irq(&f, &l);
	out8(&f.dev.uart, 1, 0x02);			/* IER: THRE */
	assert_string_equal(l.levels, "");		/* MCR.OUT2 off: no line */
	out8(&f.dev.uart, 4, 0x08);			/* OUT2 */
	assert_string_equal(l.levels, "1");
	assert_int_equal(in8(&f.dev.uart, 2), 0x02);	/* IIR: THRE, acknowledged */
	assert_string_equal(l.levels, "10");
	out8(&f.dev.uart, 0, 'x');			/* sent at once: THR empty again */
	assert_string_equal(l.levels, "101");
	out8(&f.dev.uart, 0, 'y');			/* not acknowledged: a new edge */
	assert_string_equal(l.levels, "10101");
	assert_string_equal(fake_guest_output(&f), "xy");
	fake_guest_free(&f);
}

static void a_line_that_failed_is_set_again(void **state)
{
	struct fake_guest f;
	struct line l;

	(void)state;
	fake_guest_init(&f, 4096);
	with_irq(&f, &l);
	l.fails = 1;
	out8(&f.dev.uart, 1, 0x02);			/* IER: THRE */
	out8(&f.dev.uart, 4, 0x08);			/* OUT2: the raise fails ... */
	assert_string_equal(l.levels, "x");
	in8(&f.dev.uart, 7);				/* ... and the next access raises it */
	assert_string_equal(l.levels, "x1");
	fake_guest_free(&f);
}

static void received_data_interrupts_until_read(void **state)
{
	struct fake_guest f;
	struct line l;

	(void)state;
	fake_guest_init(&f, 4096);
	with_irq(&f, &l);
	out8(&f.dev.uart, 4, 0x08);			/* OUT2 */
	out8(&f.dev.uart, 1, 0x01);			/* IER: received data */
	fake_guest_stdin(&f, "k", 1);
	assert_string_equal(l.levels, "");
	f.dev.uart.rx_seen = true;			/* as the input watch does ... */
	in8(&f.dev.uart, 7);				/* ... then any access updates */
	assert_string_equal(l.levels, "1");
	assert_int_equal(in8(&f.dev.uart, 2), 0x04);	/* IIR: received data */
	assert_int_equal(in8(&f.dev.uart, 5) & 0x01, 0x01);
	assert_int_equal(in8(&f.dev.uart, 0), 'k');
	assert_string_equal(l.levels, "10");		/* read: the line drops */
	assert_int_equal(in8(&f.dev.uart, 2), 0x01);
	fake_guest_free(&f);
}

static void loopback_reflects_mcr_and_sends_nothing(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	out8(&f.dev.uart, 4, 0x10 | 0x0a);		/* LOOP, RTS, OUT2 */
	assert_int_equal(in8(&f.dev.uart, 6) & 0xf0, 0x90);	/* CTS, DCD: Linux's probe */
	out8(&f.dev.uart, 0, 'z');
	out8(&f.dev.uart, 4, 0x00);
	assert_int_equal(in8(&f.dev.uart, 6), 0xb0);	/* the modem is back */
	assert_string_equal(fake_guest_output(&f), "");
	fake_guest_free(&f);
}

/* Bytes the console has written so far, without closing it. */
static size_t written_so_far(struct fake_guest *f)
{
	char buf[8192];
	ssize_t n;

	fcntl(f->out[0], F_SETFL, O_NONBLOCK);
	n = read(f->out[0], buf, sizeof(buf));
	return n < 0 ? 0 : (size_t)n;
}

/* A printing guest reads LSR once per byte: no write(2) until the line
 * ends. A guest polling for input reads it again: then its prompt shows. */
static void lsr_poll_flushes_only_when_repeated(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	in8(&f.dev.uart, 5);
	out8(&f.dev.uart, 0, '>');
	in8(&f.dev.uart, 5);
	out8(&f.dev.uart, 0, ' ');
	in8(&f.dev.uart, 5);			/* once since the byte: kept */
	assert_int_equal(written_so_far(&f), 0);
	in8(&f.dev.uart, 5);			/* again: the guest waits */
	assert_int_equal(written_so_far(&f), 2);
	fake_guest_free(&f);
}

static void count_call(void *calls)
{
	++*(int *)calls;
}

/* The busy hook (which turns on coalesced writes) fires once, at byte
 * UART_BUSY_BYTES. */
static void busy_hook_fires_once_at_threshold(void **state)
{
	struct fake_guest f;
	int calls = 0;

	(void)state;
	fake_guest_init(&f, 4096);
	f.dev.uart.busy = count_call, f.dev.uart.busy_arg = &calls;
	for (int i = 1; i < UART_BUSY_BYTES; i++)
		out8(&f.dev.uart, 0, 'x');
	assert_int_equal(calls, 0);
	out8(&f.dev.uart, 3, 0x80);		/* the divisor latch is no byte sent */
	out8(&f.dev.uart, 0, 0x01);
	out8(&f.dev.uart, 3, 0x03);
	assert_int_equal(calls, 0);
	out8(&f.dev.uart, 0, 'x');
	assert_int_equal(calls, 1);
	for (int i = 0; i < 10000; i++)
		out8(&f.dev.uart, 0, 'x');
	assert_int_equal(calls, 1);
	fake_guest_free(&f);
}

int test_uart(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transmits_to_console),
		cmocka_unit_test(data_ready_only_with_input),
		cmocka_unit_test(divisor_latch_and_registers),
		cmocka_unit_test(out2_gates_the_line_and_iir_acknowledges_thre),
		cmocka_unit_test(a_line_that_failed_is_set_again),
		cmocka_unit_test(received_data_interrupts_until_read),
		cmocka_unit_test(loopback_reflects_mcr_and_sends_nothing),
		cmocka_unit_test(lsr_poll_flushes_only_when_repeated),
		cmocka_unit_test(busy_hook_fires_once_at_threshold),
	};
	return cmocka_run_group_tests_name("uart", tests, NULL, NULL);
}
