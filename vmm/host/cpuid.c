/*
 * cpuid: the CPU a guest sees. KVM reports what it can offer
 * (KVM_GET_SUPPORTED_CPUID); a guest gets that, plus a word of who we are.
 */
#include <mini-kvm/boot.h>

#include "core/log.h"
#include "host.h"

/* A kvm_cpuid2 with room for VM_CPUID_MAX entries, CPUID_OURS of them
 * kept free for the entries we add (HOST_CPUID_ROOM in host.h). */
#define VM_CPUID_MAX 128
#define CPUID_OURS (1 + HOST_CPUID_ROOM)	/* the mini-kvm leaf, the topology */
union cpuid_table {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + VM_CPUID_MAX * sizeof(struct kvm_cpuid_entry2)];
};

/* KVM's answer is the same for every VM of this process and costs 0.27 ms
 * on this host: asked once, by the first guest that needs it. */
struct cpuid_request { const struct kvm *kvm; const char *who; };
static union cpuid_table supported;

static bool ask_supported_cpuid(void *arg) {
	const struct cpuid_request *r = arg;

	supported.header.nent = VM_CPUID_MAX - CPUID_OURS;
	return KVM_IOCTL(r->kvm->fd, KVM_GET_SUPPORTED_CPUID, &supported, r->who) == 0;
}

static int supported_cpuid(const struct kvm *kvm, union cpuid_table *table, const char *who) {
	static struct memo memo = MEMO_INIT;

	if (!memo_find(&memo, ask_supported_cpuid, &(struct cpuid_request){ kvm, who }))
		return -1;
	*table = supported;	/* unchanged once known */
	return 0;
}

/* Bits of an APIC ID that number N cores: the least n with 2^n >= N. */
static uint32_t core_id_bits(int vcpus) {
	uint32_t bits = 0;

	while ((1 << bits) < vcpus)
		bits++;
	return bits;
}

/* A cache leaf's EAX[25:14]: how many IDs share the cache, less one --
 * a core's own at levels 1 and 2 (EAX[7:5]), all IDS at level 3. */
static uint32_t sharing(uint32_t eax, uint32_t ids) {
	return (eax >> 5 & 7) >= 3 ? ids - 1 : 0;
}

/* Leaf 0xB or 0x1F (FUNCTION), if KVM lists it, as three subleaves of
 * ours in place of KVM's: level 0 threads (one a core), level 1 cores (all
 * of them), level 2 none. Each: EAX the APIC ID bits below the next level,
 * EBX how many it holds, ECX[15:8] its type. KVM lists the host's levels,
 * or since Linux 6.2 (and 6.1.y) subleaf 0 alone, zeroed, which a guest
 * reads as "no topology here" -- and a subleaf 1 must exist for a core
 * level. Room: a listed leaf has at least one entry, so two more. */
static void set_topology_leaf(struct kvm_cpuid2 *cpuid, uint32_t function, uint32_t bits,
			      int vcpus) {
	struct kvm_cpuid_entry2 *e = cpuid->entries;
	uint32_t kept = 0;

	for (uint32_t i = 0; i < cpuid->nent; i++)
		if (e[i].function != function)
			e[kept++] = e[i];
	if (kept == cpuid->nent)
		return;
	cpuid->nent = kept;
	e[cpuid->nent++] = (struct kvm_cpuid_entry2){ .function = function, .index = 0,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = 0, .ebx = 1, .ecx = 1u << 8 };
	e[cpuid->nent++] = (struct kvm_cpuid_entry2){ .function = function, .index = 1,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .eax = bits, .ebx = (uint32_t)vcpus,
		.ecx = 2u << 8 | 1 };
	e[cpuid->nent++] = (struct kvm_cpuid_entry2){ .function = function, .index = 2,
		.flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX, .ecx = 2 };
}

/* The machine's shape, the same for every vCPU: one package of VCPUS
 * cores, one thread each. KVM passes on the host's counts (KVM API,
 * "CPU topology": userspace sets them), which would make vCPUs 0 and 1
 * hyper-threads of one core on a host with SMT, and the guest's scheduler
 * would keep work off one of them. SDM Vol. 2A, CPUID: leaf 1 EBX[23:16]
 * addressable IDs (valid with EDX.HTT), leaf 4 EAX[31:26] cores per package
 * and EAX[25:14] the threads sharing each cache (levels 1-2 a core's own,
 * level 3 all of them), leaves 0xB/0x1F level 0 (thread, shift 0) and level
 * 1 (core), then none; AMD APM Vol. 3: 0x80000008 ECX the core count and
 * the APIC ID bits that number them, 0x8000001D the caches as leaf 4,
 * 0x8000001E a core per compute unit on node 0. */
static void set_topology(struct kvm_cpuid2 *cpuid, int vcpus) {
	struct kvm_cpuid_entry2 *e = cpuid->entries;
	uint32_t bits = core_id_bits(vcpus), ids = 1u << bits;

	for (uint32_t i = 0; i < cpuid->nent; i++) {
		if (e[i].function == 1)
			e[i].ebx = (e[i].ebx & 0xff00ffff) | ids << 16, e[i].edx |= 1u << 28;
		if ((e[i].function == 4 || e[i].function == 0x8000001d) && (e[i].eax & 0x1f))
			e[i].eax = (e[i].eax & 0x3fff) | sharing(e[i].eax, ids) << 14 |
				   (e[i].function == 4 ? (ids - 1) << 26 : 0);
		if (e[i].function == 0x80000008)
			e[i].ecx = (e[i].ecx & ~0xf0ffu) | bits << 12 | (uint32_t)(vcpus - 1);
		if (e[i].function == 0x8000001e)
			e[i].ecx = 0;
	}
	set_topology_leaf(cpuid, 0xb, bits, vcpus);
	set_topology_leaf(cpuid, 0x1f, bits, vcpus);
}

/* Each vCPU's own: the APIC ID that CPUID reports must be its local APIC's
 * (KVM sets that from the vCPU id, userspace the CPUID): leaf 1 EBX[31:24],
 * the x2APIC ID in EDX of leaves 0xB and 0x1F (SDM Vol. 2A, CPUID), and
 * AMD's extended APIC ID in EAX of leaf 0x8000001E, whose EBX[7:0] is the
 * core's ID and EBX[15:8], 0, says one thread per core (set_topology). */
static void set_apic_id(struct kvm_cpuid2 *cpuid, uint32_t id) {
	struct kvm_cpuid_entry2 *e = cpuid->entries;

	for (uint32_t i = 0; i < cpuid->nent; i++) {
		if (e[i].function == 1)
			e[i].ebx = (e[i].ebx & 0x00ffffff) | id << 24;
		if (e[i].function == 0xb || e[i].function == 0x1f)
			e[i].edx = id;
		if (e[i].function == 0x8000001e)
			e[i].eax = id, e[i].ebx = id & 0xff;
	}
}

void cpuid_for_vcpu(struct kvm_cpuid2 *cpuid, int vcpus, uint32_t apic_id) {
	set_topology(cpuid, vcpus);
	set_apic_id(cpuid, apic_id);
}

/* The CPUID leaves KVM can give, plus ours: CPUID.1:ECX bit 31 says a
 * hypervisor is present, leaf 0x40000000 says which (boot.h; KVM API 4.46
 * KVM_GET_SUPPORTED_CPUID, 4.73 KVM_SET_CPUID2). Every vCPU of VM gets them. */
int vm_set_cpuid(const struct kvm *kvm, struct vm *vm, bool mini_kvm_leaf, const char *who) {
	union cpuid_table cpuid;
	struct kvm_cpuid_entry2 *leaf = NULL, *e = cpuid.header.entries;

	if (supported_cpuid(kvm, &cpuid, who) < 0)
		return EX_UNAVAILABLE;
	for (uint32_t i = 0; i < cpuid.header.nent; i++) {
		if (e[i].function == 1)
			e[i].ecx |= 1u << 31;
		if (e[i].function == MINI_KVM_CPUID_LEAF)
			leaf = &e[i];
	}
	if (mini_kvm_leaf && !leaf)	/* else KVM's "KVMKVMKVM" leaves, as KVM gave them */
		leaf = &e[cpuid.header.nent++];
	if (mini_kvm_leaf)
		*leaf = (struct kvm_cpuid_entry2){ .function = MINI_KVM_CPUID_LEAF,
			.eax = MINI_KVM_CPUID_LEAF, .ebx = MINI_KVM_CPUID_EBX,
			.ecx = MINI_KVM_CPUID_ECX, .edx = MINI_KVM_CPUID_EDX };
	for (int i = 0; i < vm->vcpus; i++) {
		cpuid_for_vcpu(&cpuid.header, vm->vcpus, vm->vcpu[i].id);
		if (KVM_IOCTL(vm->vcpu[i].fd, KVM_SET_CPUID2, &cpuid, who) < 0)
			return EX_UNAVAILABLE;
	}
	return 0;
}
