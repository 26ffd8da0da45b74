/* cpuid: what each vCPU's CPUID says about the machine's shape. A host
 * with two threads a core and 16 logical processors gives its counts; each
 * vCPU must instead see one package of N cores, one thread each, and its
 * own APIC ID -- decoded here as a kernel does (SDM Vol. 2A, CPUID leaves
 * 1, 4 and 0xB; AMD APM Vol. 3, 0x80000008 and 0x8000001E). */
#include "helpers.h"

#include <string.h>

#include "host/host.h"

#define ENTRIES 16
union table {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + ENTRIES * sizeof(struct kvm_cpuid_entry2)];
};

/* A host's leaves: 2 threads a core (SMT shift 1), 8 cores (shift 4). */
static void host_leaves(union table *t)
{
	const struct kvm_cpuid_entry2 host[] = {
		{ .function = 1, .ebx = 0x07100800, .edx = 1u << 28 },	/* 16 IDs, APIC ID 7 */
		{ .function = 4, .index = 0, .eax = 0x1c004121 },	/* L1d: 2 share it */
		{ .function = 4, .index = 1, .eax = 0x1c004143 },	/* L2: 2 share it */
		{ .function = 4, .index = 2, .eax = 0x1c03c163 },	/* L3: 16 share it */
		{ .function = 4, .index = 3, .eax = 0 },		/* no more caches */
		{ .function = 0xb, .index = 0, .eax = 1, .ebx = 2, .ecx = 0x100, .edx = 7 },
		{ .function = 0xb, .index = 1, .eax = 4, .ebx = 16, .ecx = 0x201, .edx = 7 },
		{ .function = 0xb, .index = 2, .ecx = 2, .edx = 7 },
		{ .function = 0x1f, .index = 0, .eax = 1, .ebx = 2, .ecx = 0x100, .edx = 7 },
		{ .function = 0x1f, .index = 1, .eax = 4, .ebx = 16, .ecx = 0x201, .edx = 7 },
		{ .function = 0x1f, .index = 2, .eax = 5, .ebx = 32, .ecx = 0x502, .edx = 7 },
		{ .function = 0x80000008, .eax = 0x3030, .ecx = 0x400f },
		{ .function = 0x8000001d, .index = 2, .eax = 0x0003c163 },
		{ .function = 0x8000001e, .eax = 7, .ebx = 0x0103, .ecx = 0x0100 },
	};

	memset(t, 0, sizeof(*t));
	t->header.nent = sizeof(host) / sizeof(host[0]);
	memcpy(t->header.entries, host, sizeof(host));
}

static struct kvm_cpuid_entry2 *leaf(union table *t, uint32_t function, uint32_t index)
{
	for (uint32_t i = 0; i < t->header.nent; i++)
		if (t->header.entries[i].function == function && t->header.entries[i].index == index)
			return &t->header.entries[i];
	fail_msg("no leaf 0x%x.%u", function, index);
	return NULL;
}

/* vCPU 2 of 3: 4 addressable IDs (2 bits), so package 0, core 2, thread 0. */
static void three_vcpus_are_three_cores_of_one_package(void **state)
{
	union table t;
	uint32_t smt_shift, core_shift, apic_id;

	(void)state;
	host_leaves(&t);
	cpuid_for_vcpu(&t.header, 3, 2);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x02040800);	/* APIC ID 2, 4 IDs */
	assert_true(leaf(&t, 1, 0)->edx & 1u << 28);		/* HTT: EBX[23:16] valid */

	/* Leaf 0xB as Linux's detect_extended_topology reads it. */
	smt_shift = leaf(&t, 0xb, 0)->eax & 0x1f, core_shift = leaf(&t, 0xb, 1)->eax & 0x1f;
	apic_id = leaf(&t, 0xb, 0)->edx;
	assert_int_equal(leaf(&t, 0xb, 0)->ebx & 0xffff, 1);	/* threads in a core */
	assert_int_equal(leaf(&t, 0xb, 1)->ebx & 0xffff, 3);	/* logical processors in the package */
	assert_int_equal(apic_id >> core_shift, 0);		/* package */
	assert_int_equal((apic_id & ((1u << core_shift) - 1)) >> smt_shift, 2);	/* core */
	assert_int_equal(apic_id & ((1u << smt_shift) - 1), 0);	/* thread */
	assert_int_equal(leaf(&t, 0xb, 1)->ecx, 0x201);
	assert_int_equal(leaf(&t, 0xb, 2)->ecx, 2);		/* type 0: the end */
	assert_int_equal(leaf(&t, 0x1f, 1)->eax, 2);
	assert_int_equal(leaf(&t, 0x1f, 2)->ecx, 2);		/* no die level */
	assert_int_equal(leaf(&t, 0x1f, 2)->edx, 2);

	/* Leaf 4: EAX[31:26] cores - 1, EAX[25:14] IDs sharing - 1. */
	assert_int_equal(leaf(&t, 4, 0)->eax, 0x0c000121);
	assert_int_equal(leaf(&t, 4, 1)->eax, 0x0c000143);
	assert_int_equal(leaf(&t, 4, 2)->eax, 0x0c00c163);
	assert_int_equal(leaf(&t, 4, 3)->eax, 0);
	assert_int_equal(leaf(&t, 0x8000001d, 2)->eax, 0x0000c163);

	/* AMD: 3 cores numbered by 2 APIC ID bits; core 2, one thread, node 0. */
	assert_int_equal(leaf(&t, 0x80000008, 0)->ecx, 0x2002);
	assert_int_equal(leaf(&t, 0x8000001e, 0)->eax, 2);
	assert_int_equal(leaf(&t, 0x8000001e, 0)->ebx, 2);
	assert_int_equal(leaf(&t, 0x8000001e, 0)->ecx, 0);
}

/* One vCPU: one core, no bits to number cores by. */
static void one_vcpu_is_one_core(void **state)
{
	union table t;

	(void)state;
	host_leaves(&t);
	cpuid_for_vcpu(&t.header, 1, 0);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x00010800);
	assert_int_equal(leaf(&t, 0xb, 1)->eax, 0);
	assert_int_equal(leaf(&t, 0xb, 1)->ebx, 1);
	assert_int_equal(leaf(&t, 4, 2)->eax, 0x00000163);
	assert_int_equal(leaf(&t, 0x80000008, 0)->ecx, 0);
}

/* 64 vCPUs: 6 bits, and the last one is core 63 of package 0. */
static void sixty_four_vcpus_fill_six_bits(void **state)
{
	union table t;

	(void)state;
	host_leaves(&t);
	cpuid_for_vcpu(&t.header, 64, 63);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x3f400800);
	assert_int_equal(leaf(&t, 0xb, 1)->eax, 6);
	assert_int_equal(leaf(&t, 0xb, 1)->ebx, 64);
	assert_int_equal(leaf(&t, 0xb, 1)->edx >> 6, 0);
	assert_int_equal(leaf(&t, 4, 2)->eax >> 26, 63);
	assert_int_equal(leaf(&t, 0x80000008, 0)->ecx, 0x603f);
}

int test_cpuid(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(three_vcpus_are_three_cores_of_one_package),
		cmocka_unit_test(one_vcpu_is_one_core),
		cmocka_unit_test(sixty_four_vcpus_fill_six_bits),
	};
	return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
