/* kbd: the keyboard ports seen from a guest, without the IRQ1 thread
 * (its input watch is never started here). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <mini-kvm/boot.h>

#include "helpers.h"

static uint8_t in8(struct kbd *k, uint16_t port)
{
	struct pio_access a = { .port = port, .size = 1 };

	RUNS_ON(kbd_io(k, 0, &a));
	return (uint8_t)a.value;
}

static void bytes_then_end_of_input(void **state)
{
	struct fake_guest f;
	struct kbd k;

	(void)state;
	fake_guest_init(&f, 4096);
	kbd_init(&k, f.g.input, &f.g.console, &f.g.vm, NULL, "fake");
	assert_int_equal(in8(&k, KBD_STATUS_PORT), 0);	/* nothing yet, not ended */
	fake_guest_stdin(&f, "ab", 2);
	assert_int_equal(in8(&k, KBD_STATUS_PORT), KBD_STATUS_OUTPUT_FULL);
	assert_int_equal(in8(&k, KBD_DATA_PORT), 'a');
	assert_int_equal(in8(&k, KBD_STATUS_PORT), KBD_STATUS_OUTPUT_FULL);
	assert_int_equal(in8(&k, KBD_DATA_PORT), 'b');
	assert_false(atomic_load(&k.watch.at_end));
	assert_int_equal(in8(&k, KBD_STATUS_PORT), KBD_STATUS_END_OF_INPUT);
	assert_true(atomic_load(&k.watch.at_end));		/* the IRQ1 thread may stop */
	assert_int_equal(in8(&k, KBD_DATA_PORT), 0);
	assert_int_equal(in8(&k, KBD_STATUS_PORT), KBD_STATUS_END_OF_INPUT);
	fake_guest_free(&f);
}

static void no_stdin_is_end_of_input(void **state)
{
	struct fake_guest f;
	struct kbd k;

	(void)state;
	fake_guest_init(&f, 4096);
	kbd_init(&k, NULL, &f.g.console, &f.g.vm, NULL, "fake");
	assert_int_equal(in8(&k, KBD_STATUS_PORT), KBD_STATUS_END_OF_INPUT);
	assert_int_equal(in8(&k, KBD_DATA_PORT), 0);
	fake_guest_free(&f);
}

/* One IRQ1 per byte: reading the data port arms the next. */
static void data_read_arms_the_next_interrupt(void **state)
{
	struct fake_guest f;
	struct kbd k;

	(void)state;
	fake_guest_init(&f, 4096);
	kbd_init(&k, f.g.input, &f.g.console, &f.g.vm, NULL, "fake");
	fake_guest_stdin(&f, "x", 1);
	atomic_store(&k.watch.armed, false);			/* as after raising IRQ1 */
	in8(&k, KBD_STATUS_PORT);
	assert_false(atomic_load(&k.watch.armed));		/* a status read is not enough */
	assert_int_equal(in8(&k, KBD_DATA_PORT), 'x');
	assert_true(atomic_load(&k.watch.armed));
	fake_guest_free(&f);
}

/* A guest that finds no byte is about to wait: its prompt must be out. */
static void empty_status_flushes_the_prompt(void **state)
{
	struct fake_guest f;
	struct kbd k;
	char got[16] = "";

	(void)state;
	fake_guest_init(&f, 4096);
	kbd_init(&k, f.g.input, &f.g.console, &f.g.vm, NULL, "fake");
	fcntl(f.out[0], F_SETFL, O_NONBLOCK);
	console_write(&f.g.console, "choice> ", 8);
	assert_int_equal(read(f.out[0], got, sizeof(got)), -1);	/* still buffered */
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(in8(&k, KBD_STATUS_PORT), 0);
	assert_int_equal(read(f.out[0], got, sizeof(got)), 8);
	assert_memory_equal(got, "choice> ", 8);
	fake_guest_free(&f);
}

int test_kbd(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bytes_then_end_of_input),
		cmocka_unit_test(no_stdin_is_end_of_input),
		cmocka_unit_test(data_read_arms_the_next_interrupt),
		cmocka_unit_test(empty_status_flushes_the_prompt),
	};

	return cmocka_run_group_tests_name("kbd", tests, NULL, NULL);
}
