/* cpuid: what each vCPU's CPUID says about the machine's shape. KVM gives
 * a host's counts (two threads a core, 16 logical processors) or, since
 * Linux 6.2 and 6.1.y, leaves 0xB and 0x1F as one zeroed subleaf; each vCPU
 * must instead see one package of N cores, one thread each, and its own
 * APIC ID -- decoded here as a kernel does (SDM Vol. 2A, CPUID leaves 1, 4
 * and 0xB; AMD APM Vol. 3, 0x80000008 and 0x8000001E). */
#include "helpers.h"

#include <string.h>

#include "host/host.h"

#define ENTRIES (14 + HOST_CPUID_ROOM)
union table {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + ENTRIES * sizeof(struct kvm_cpuid_entry2)];
};

/* T holds the N entries of E, and room for HOST_CPUID_ROOM more. */
static void load(union table *t, const struct kvm_cpuid_entry2 *e, size_t n)
{
	memset(t, 0, sizeof(*t));
	t->header.nent = (uint32_t)n;
	memcpy(t->header.entries, e, n * sizeof(*e));
}

/* A host's leaves as older KVM gives them: 2 threads a core (SMT shift
 * 1), 8 cores (shift 4); 14 entries. */
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

	load(t, host, sizeof(host) / sizeof(host[0]));
}

/* The same as KVM gives them since Linux 6.2: no topology in 0xB, 0x1F
 * and 0x8000001E; 10 entries. */
static void current_kvm_leaves(union table *t)
{
	const struct kvm_cpuid_entry2 kvm[] = {
		{ .function = 1, .ebx = 0x07100800, .edx = 1u << 28 },
		{ .function = 4, .index = 0, .eax = 0x1c004121 },
		{ .function = 4, .index = 1, .eax = 0x1c004143 },
		{ .function = 4, .index = 2, .eax = 0x1c03c163 },
		{ .function = 4, .index = 3, .eax = 0 },
		{ .function = 0xb, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0x1f, .index = 0, .flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX },
		{ .function = 0x80000008, .eax = 0x3030, .ecx = 0x400f },
		{ .function = 0x8000001d, .index = 2, .eax = 0x0003c163 },
		{ .function = 0x8000001e },
	};

	load(t, kvm, sizeof(kvm) / sizeof(kvm[0]));
}

static struct kvm_cpuid_entry2 *leaf(union table *t, uint32_t function, uint32_t index)
{
	for (uint32_t i = 0; i < t->header.nent; i++)
		if (t->header.entries[i].function == function && t->header.entries[i].index == index)
			return &t->header.entries[i];
	fail_msg("no leaf 0x%x.%u", function, index);
	return NULL;
}

/* Leaf FUNCTION (0xB or 0x1F) as Linux's detect_extended_topology reads
 * it: a thread level, a core level of VCPUS, then none, each subleaf its
 * own entry; APIC ID ID is package 0, core CORE, thread 0. */
static void topology_leaf_says(union table *t, uint32_t function, int vcpus, uint32_t id,
			       uint32_t core)
{
	uint32_t smt_shift = leaf(t, function, 0)->eax & 0x1f;
	uint32_t core_shift = leaf(t, function, 1)->eax & 0x1f;
	int subleaves = 0;

	for (uint32_t i = 0; i < t->header.nent; i++)
		if (t->header.entries[i].function == function) {
			subleaves++;
			assert_int_equal(t->header.entries[i].flags, KVM_CPUID_FLAG_SIGNIFCANT_INDEX);
			assert_int_equal(t->header.entries[i].edx, id);
		}
	assert_int_equal(subleaves, 3);
	assert_int_equal(leaf(t, function, 0)->ecx, 0x100);	/* level 0: threads */
	assert_int_equal(leaf(t, function, 0)->ebx, 1);
	assert_int_equal(leaf(t, function, 1)->ecx, 0x201);	/* level 1: cores */
	assert_int_equal(leaf(t, function, 1)->ebx, vcpus);
	assert_int_equal(leaf(t, function, 2)->ecx, 2);		/* type 0: the end */
	assert_int_equal(leaf(t, function, 2)->ebx, 0);
	assert_int_equal(id >> core_shift, 0);				/* package */
	assert_int_equal((id & ((1u << core_shift) - 1)) >> smt_shift, core);
	assert_int_equal(id & ((1u << smt_shift) - 1), 0);		/* thread */
}

/* vCPU 2 of 3: 4 addressable IDs (2 bits), so package 0, core 2, thread 0. */
static void three_vcpus_are_three_cores_of_one_package(void **state)
{
	union table t;

	(void)state;
	host_leaves(&t);
	cpuid_for_vcpu(&t.header, 3, 2);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x02040800);	/* APIC ID 2, 4 IDs */
	assert_true(leaf(&t, 1, 0)->edx & 1u << 28);		/* HTT: EBX[23:16] valid */

	topology_leaf_says(&t, 0xb, 3, 2, 2);
	topology_leaf_says(&t, 0x1f, 3, 2, 2);

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

/* KVM without topology: the levels are ours, and each vCPU's table is
 * rebuilt the same way from the one before (every vCPU in turn). */
static void current_kvm_gets_the_levels_added(void **state)
{
	union table t;

	(void)state;
	current_kvm_leaves(&t);
	for (uint32_t id = 0; id < 5; id++)
		cpuid_for_vcpu(&t.header, 5, id);
	assert_int_equal(t.header.nent, 14);
	topology_leaf_says(&t, 0xb, 5, 4, 4);
	topology_leaf_says(&t, 0x1f, 5, 4, 4);
	assert_int_equal(leaf(&t, 1, 0)->ebx, 0x04080800);	/* APIC ID 4, 8 IDs */
	assert_int_equal(leaf(&t, 0x8000001e, 0)->eax, 4);
	assert_int_equal(leaf(&t, 0x8000001e, 0)->ebx, 4);
	assert_int_equal(leaf(&t, 0x80000008, 0)->ecx, 0x3004);
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
		cmocka_unit_test(current_kvm_gets_the_levels_added),
		cmocka_unit_test(one_vcpu_is_one_core),
		cmocka_unit_test(sixty_four_vcpus_fill_six_bits),
	};
	return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
