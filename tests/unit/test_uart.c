/* uart: the 16550 register model seen from a guest's port accesses. */
#include "helpers.h"


static uint8_t in8(struct uart *u, uint16_t offset)
{
	struct pio_access a = { .port = (uint16_t)(UART_COM1_BASE + offset), .size = 1 };

	assert_int_equal(uart_io(u, offset, &a), GUEST_RUNNING);
	return (uint8_t)a.value;
}

static void out8(struct uart *u, uint16_t offset, uint8_t value)
{
	struct pio_access a = { .port = (uint16_t)(UART_COM1_BASE + offset),
				.size = 1, .is_write = true, .value = value };

	assert_int_equal(uart_io(u, offset, &a), GUEST_RUNNING);
}

static void transmits_to_console(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(in8(&f.g.uart, 5) & 0x60, 0x60);	/* THRE | TEMT */
	out8(&f.g.uart, 0, 'O');
	out8(&f.g.uart, 0, 'K');
	assert_string_equal(fake_guest_output(&f), "OK");
	fake_guest_free(&f);
}

static void data_ready_only_with_input(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	assert_int_equal(in8(&f.g.uart, 5) & 0x01, 0);		/* LSR.DR clear */
	fake_guest_stdin(&f, "z", 1);
	assert_int_equal(in8(&f.g.uart, 5) & 0x01, 0x01);	/* LSR.DR set */
	assert_int_equal(in8(&f.g.uart, 0), 'z');
	assert_int_equal(in8(&f.g.uart, 5) & 0x01, 0);		/* EOF: never ready */
	assert_int_equal(in8(&f.g.uart, 0), 0);
	fake_guest_free(&f);
}

static void divisor_latch_and_registers(void **state)
{
	struct fake_guest f;

	(void)state;
	fake_guest_init(&f, 4096);
	out8(&f.g.uart, 3, 0x80);		/* DLAB on */
	out8(&f.g.uart, 0, 0x0c);		/* divisor 12: 9600 baud */
	out8(&f.g.uart, 1, 0x00);
	assert_int_equal(in8(&f.g.uart, 0), 0x0c);
	out8(&f.g.uart, 3, 0x03);		/* DLAB off, 8N1 */
	assert_int_equal(in8(&f.g.uart, 3), 0x03);
	out8(&f.g.uart, 1, 0xff);
	assert_int_equal(in8(&f.g.uart, 1), 0x0f);	/* IER: 4 bits */
	assert_int_equal(in8(&f.g.uart, 2), 0x01);	/* IIR: no interrupt */
	out8(&f.g.uart, 2, 0x01);			/* FIFO on */
	assert_int_equal(in8(&f.g.uart, 2), 0xc1);
	out8(&f.g.uart, 7, 0x5a);
	assert_int_equal(in8(&f.g.uart, 7), 0x5a);	/* scratch */
	assert_string_equal(fake_guest_output(&f), "");	/* nothing sent */
	fake_guest_free(&f);
}

int test_uart(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(transmits_to_console),
		cmocka_unit_test(data_ready_only_with_input),
		cmocka_unit_test(divisor_latch_and_registers),
	};
	return cmocka_run_group_tests_name("uart", tests, NULL, NULL);
}
