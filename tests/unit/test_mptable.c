/* mptable: the MP table a kernel with several vCPUs reads (MP spec 1.4):
 * found by its floating pointer, both checksums right, one entry per
 * vCPU with only vCPU 0 the boot one, and each line where the board
 * wired it; a table that cannot fit is refused. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/linux.h"

#define FLOATING 0xf0000

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;

	for (size_t i = 0; i < len; i++)
		s += p[i];
	return s;
}

/* The entries after the 44-byte header, by type: how many of each, and
 * the I/O interrupt entries as "bus:irq>pin/flags" strings. */
struct read_table {
	int processors, boot, buses, io_apics, io_interrupts, local_interrupts;
	uint8_t io_apic_id;
	uint64_t apic_ids;	/* a bit for each processor's local APIC ID */
	char lines[64][16], local[2][16];
};

static void read_entries(const uint8_t *e, int count, struct read_table *t)
{
	for (int i = 0; i < count; i++) {
		switch (e[0]) {
		case 0:
			assert_true(e[1] < 64);
			t->processors++, t->boot += (e[3] & 2) != 0, t->apic_ids |= 1ull << e[1];
			assert_int_equal(e[3] & 1, 1);	/* enabled */
			assert_int_equal(e[3] & 2 ? e[1] : 0, 0);	/* the boot one is 0 */
			e += 20;
			continue;
		case 1: t->buses++; break;
		case 2: t->io_apics++, t->io_apic_id = e[1]; break;
		case 3:
			snprintf(t->lines[t->io_interrupts++], 16, "%u:%u>%u/%u", e[4], e[5], e[7],
				 e[2]);
			break;
		case 4:
			assert_true(t->local_interrupts < 2);
			snprintf(t->local[t->local_interrupts++], 16, "%u>%u:%u", e[1], e[6], e[7]);
			break;
		default: fail_msg("entry %d has type %u", i, e[0]);
		}
		e += 8;
	}
}

static bool has_line(const struct read_table *t, const char *line)
{
	for (int i = 0; i < t->io_interrupts; i++)
		if (strcmp(t->lines[i], line) == 0)
			return true;
	return false;
}

static void four_vcpus_and_two_pci_devices(void **state)
{
	const struct linux_pci_line pci[] = { { 1, 10 }, { 2, 11 } };
	struct guest_memory mem = { .size = 1 << 20 };
	struct read_table t = { 0 };
	const uint8_t *f, *h;
	uint32_t table;

	(void)state;
	mem.host = calloc(1, mem.size);
	assert_int_equal(linux_mptable(&mem, 4, pci, 2), 0);
	f = mem.host + FLOATING;
	assert_memory_equal(f, "_MP_", 4);
	assert_int_equal(sum(f, 16), 0);
	memcpy(&table, f + 4, 4);
	h = mem.host + table;
	assert_memory_equal(h, "PCMP", 4);
	assert_int_equal(h[6], 4);	/* MP spec 1.4 */
	assert_memory_equal(h + 36, "\x00\x00\xe0\xfe", 4);	/* the local APICs' 0xFEE00000 */
	assert_int_equal(sum(h, (size_t)(h[4] | h[5] << 8)), 0);
	read_entries(h + 44, h[34] | h[35] << 8, &t);
	assert_int_equal(t.processors, 4);
	assert_int_equal(t.boot, 1);
	assert_int_equal(t.apic_ids, 0xf);	/* 0, 1, 2 and 3 */
	assert_int_equal(t.buses, 2);
	assert_int_equal(t.io_apics, 1);
	assert_int_equal(t.io_apic_id, 4);	/* no local APIC has it */
	assert_int_equal(t.local_interrupts, 2);
	assert_string_equal(t.local[0], "3>255:0");	/* ExtINT to every LINT0 */
	assert_string_equal(t.local[1], "1>255:1");	/* NMI to every LINT1 */
	/* PCI (bus 0): slot << 2, INTA, on its line, level and active high */
	assert_true(has_line(&t, "0:4>10/13"));
	assert_true(has_line(&t, "0:8>11/13"));
	/* ISA (bus 1): IRQ n on pin n, except the lines the PCI devices have */
	assert_true(has_line(&t, "1:0>0/0"));
	assert_true(has_line(&t, "1:4>4/0"));
	assert_false(has_line(&t, "1:10>10/0"));
	assert_false(has_line(&t, "1:11>11/0"));
	assert_int_equal(t.io_interrupts, 2 + 14);
	free(mem.host);
}

static void what_cannot_fit_is_refused(void **state)
{
	struct guest_memory small = { .size = FLOATING + 512 }, mem = { .size = 1 << 20 };

	(void)state;
	small.host = calloc(1, small.size);
	mem.host = calloc(1, mem.size);
	assert_int_equal(linux_mptable(&small, 2, NULL, 0), 0);
	assert_int_equal(linux_mptable(&small, 64, NULL, 0), -1);	/* 1.5 KB: past the end */
	assert_int_equal(linux_mptable(&mem, 64, NULL, 0), 0);
	assert_int_equal(linux_mptable(&mem, 0, NULL, 0), -1);
	assert_int_equal(linux_mptable(&mem, 65, NULL, 0), -1);
	free(small.host);
	free(mem.host);
}

int test_mptable(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(four_vcpus_and_two_pci_devices),
		cmocka_unit_test(what_cannot_fit_is_refused),
	};
	return cmocka_run_group_tests_name("mptable", tests, NULL, NULL);
}
