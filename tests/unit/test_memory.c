/* memory: guest_ptr at every edge, including 2^32 and 2^64 wrap-arounds. */
#include "helpers.h"


static void in_range(void **state)
{
	uint8_t ram[4096];
	struct guest_memory m = { .host = ram, .size = sizeof(ram) };

	(void)state;
	assert_ptr_equal(guest_ptr(&m, 0, 4096), ram);
	assert_ptr_equal(guest_ptr(&m, 4095, 1), ram + 4095);	/* last byte */
	assert_ptr_equal(guest_ptr(&m, 4096, 0), ram + 4096);	/* empty, at end */
	assert_ptr_equal(guest_ptr(&m, 100, 0), ram + 100);
}

static void out_of_range(void **state)
{
	uint8_t ram[4096];
	struct guest_memory m = { .host = ram, .size = sizeof(ram) };

	(void)state;
	assert_null(guest_ptr(&m, 4096, 1));		/* just past the end */
	assert_null(guest_ptr(&m, 4095, 2));		/* straddles the end */
	assert_null(guest_ptr(&m, 0, 4097));		/* longer than RAM */
	assert_null(guest_ptr(&m, 4097, 0));		/* empty, but past the end */
	assert_null(guest_ptr(&m, UINT64_MAX, 1));	/* gpa + len wraps 2^64 */
	assert_null(guest_ptr(&m, 1, UINT64_MAX));
	assert_null(guest_ptr(&m, UINT64_MAX, UINT64_MAX));
	assert_null(guest_ptr(&m, 0xffffffff, 2));	/* wraps 2^32 if 32-bit */
	assert_null(guest_ptr(&m, 2, 0xffffffff));
}

static void four_gigabyte_edges(void **state)
{
	/* Only the arithmetic is tested: the pointer is never dereferenced. */
	static uint8_t base;
	struct guest_memory m = { .host = &base, .size = 1ull << 32 };

	(void)state;
	assert_non_null(guest_ptr(&m, 0xffffffff, 1));
	assert_null(guest_ptr(&m, 0xffffffff, 2));
	assert_null(guest_ptr(&m, 1ull << 32, 1));
	assert_non_null(guest_ptr(&m, 0, 1ull << 32));
	assert_null(guest_ptr(&m, 1, 1ull << 32));
}

/* The ELF loader leaves .bss alone: it relies on this. */
static void fresh_memory_is_zero(void **state)
{
	struct guest_memory m;

	(void)state;
	assert_int_equal(guest_memory_map(&m, 1u << 20), 0);
	for (uint64_t i = 0; i < m.size; i++)
		if (m.host[i] != 0)
			fail_msg("guest memory byte 0x%llx is 0x%02x", (unsigned long long)i, m.host[i]);
	guest_memory_unmap(&m);
	assert_null(m.host);
}

int test_memory(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(in_range),
		cmocka_unit_test(out_of_range),
		cmocka_unit_test(four_gigabyte_edges),
		cmocka_unit_test(fresh_memory_is_zero),
	};
	return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
