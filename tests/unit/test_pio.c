/* pio: claims, overlaps, routing and the unclaimed-port policy. */
#include "helpers.h"


static int seen_offset;

static struct run_result record(void *device, uint16_t offset, struct pio_access *a)
{
	seen_offset = offset;
	if (!a->is_write)
		a->value = (uint32_t)(uintptr_t)device;
	return RUN_ON;
}

static void refuses_overlaps(void **state)
{
	struct pio_bus bus = { 0 };

	(void)state;
	assert_int_equal(pio_register(&bus, "a", 0x100, 8, record, NULL), 0);
	assert_int_equal(pio_register(&bus, "same", 0x100, 8, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "head", 0x0fc, 5, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "tail", 0x107, 4, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "inside", 0x102, 1, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "around", 0x0f0, 0x40, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "before", 0x0f8, 8, record, NULL), 0);
	assert_int_equal(pio_register(&bus, "after", 0x108, 8, record, NULL), 0);
	assert_int_equal(bus.device_count, 3);
}

static void refuses_bad_ranges(void **state)
{
	struct pio_bus bus = { 0 };

	(void)state;
	assert_int_equal(pio_register(&bus, "empty", 0x10, 0, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "wraps", 0xfffe, 4, record, NULL), -1);
	assert_int_equal(pio_register(&bus, "top", 0xfffc, 4, record, NULL), 0);
	for (int i = 1; i < PIO_MAX_DEVICES; i++)
		assert_int_equal(pio_register(&bus, "n", (uint16_t)(i * 16), 1,
					      record, NULL), 0);
	assert_int_equal(pio_register(&bus, "full", 0x9000, 1, record, NULL), -1);
}

static void routes_and_drops(void **state)
{
	struct pio_bus bus = { 0 };
	struct pio_access in = { .port = 0x3fd, .size = 1 };
	struct pio_access out = { .port = 0x80, .size = 1, .is_write = true };

	(void)state;
	pio_register(&bus, "uart", 0x3f8, 8, record, (void *)0x42);
	RUNS_ON(pio_dispatch(&bus, &in));
	assert_int_equal(seen_offset, 5);
	assert_int_equal(in.value, 0x42);
	assert_string_equal(pio_find(&bus, 0x3ff)->name, "uart");
	assert_null(pio_find(&bus, 0x400));

	in.port = 0x60;		/* unclaimed: an empty bus reads all ones */
	RUNS_ON(pio_dispatch(&bus, &in));
	assert_int_equal(in.value, 0xFFFFFFFF);
	RUNS_ON(pio_dispatch(&bus, &out));
	assert_int_equal(bus.unclaimed, 2);
}

int test_pio(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(refuses_overlaps),
		cmocka_unit_test(refuses_bad_ranges),
		cmocka_unit_test(routes_and_drops),
	};
	return cmocka_run_group_tests_name("pio", tests, NULL, NULL);
}
