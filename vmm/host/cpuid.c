/*
 * cpuid: the CPU a guest sees. KVM reports what it can offer
 * (KVM_GET_SUPPORTED_CPUID); a guest gets that, plus a word of who we are.
 */
#include <mini-kvm/boot.h>

#include "core/log.h"
#include "host.h"

/* A kvm_cpuid2 with room for VM_CPUID_MAX entries. */
#define VM_CPUID_MAX 128
union cpuid_table {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + VM_CPUID_MAX * sizeof(struct kvm_cpuid_entry2)];
};

/* KVM's answer is the same for every VM of this process and costs 0.27 ms
 * on this host: asked once, by the first guest that needs it. One slot is
 * kept free for ours. */
struct cpuid_request { const struct kvm *kvm; const char *who; };
static union cpuid_table supported;

static bool ask_supported_cpuid(void *arg) {
	const struct cpuid_request *r = arg;

	supported.header.nent = VM_CPUID_MAX - 1;
	return KVM_IOCTL(r->kvm->fd, KVM_GET_SUPPORTED_CPUID, &supported, r->who) == 0;
}

static int supported_cpuid(const struct kvm *kvm, union cpuid_table *table, const char *who) {
	static struct memo memo = MEMO_INIT;

	if (!memo_find(&memo, ask_supported_cpuid, &(struct cpuid_request){ kvm, who }))
		return -1;
	*table = supported;	/* unchanged once known */
	return 0;
}

/* Each vCPU's own: the APIC ID that CPUID reports must be its local APIC's
 * (KVM sets that from the vCPU id, userspace the CPUID): leaf 1 EBX[31:24],
 * the x2APIC ID in EDX of leaves 0xB and 0x1F (SDM Vol. 2A, CPUID), and
 * AMD's extended APIC ID in EAX of leaf 0x8000001E, whose EBX[7:0] is the
 * core's ID: each vCPU a core of its own, one thread each (KVM API, "CPU
 * topology"). The counts in leaf 1 EBX[23:16] and leaf 4 stay the host's. */
static void set_apic_id(union cpuid_table *cpuid, uint32_t id) {
	struct kvm_cpuid_entry2 *e = cpuid->header.entries;

	for (uint32_t i = 0; i < cpuid->header.nent; i++) {
		if (e[i].function == 1)
			e[i].ebx = (e[i].ebx & 0x00ffffff) | id << 24;
		if (e[i].function == 0xb || e[i].function == 0x1f)
			e[i].edx = id;
		if (e[i].function == 0x8000001e)
			e[i].eax = id, e[i].ebx = id & 0xff;
	}
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
		set_apic_id(&cpuid, vm->vcpu[i].id);
		if (KVM_IOCTL(vm->vcpu[i].fd, KVM_SET_CPUID2, &cpuid, who) < 0)
			return EX_UNAVAILABLE;
	}
	return 0;
}
