/*
 * host.h: what this host's KVM can do and what a guest's threads may do
 * on it. cpuid.c: the CPU a guest sees (KVM's supported CPUID and our
 * leaf). probe.c: after a crash, tiny probe VMs tell whether the host's
 * KVM could have run the guest at all. seccomp.c: the filter on a guest's
 * threads once it is set up (docs/security.md). memo.h: answers kept.
 */
#ifndef HOST_HOST_H
#define HOST_HOST_H

#include <stdbool.h>

#include "core/guest.h"
#include "memo.h"

/* cpuid.c. MINI_KVM_LEAF: say "mini-kvm" in CPUID 0x40000000; else keep
 * KVM's own leaves there (a Linux guest then finds its paravirtual clock). */
int vm_set_cpuid(const struct kvm *kvm, struct vm *vm, bool mini_kvm_leaf, const char *who);
/* What one vCPU of VCPUS sees: one package of VCPUS cores, one thread
 * each, and its own APIC ID (leaves 1, 4, 0xB, 0x1F, 0x8000000{8,1D,1E}).
 * CPUID needs room for HOST_CPUID_ROOM entries more than it holds. */
#define HOST_CPUID_ROOM 4
void cpuid_for_vcpu(struct kvm_cpuid2 *cpuid, int vcpus, uint32_t apic_id);

/* probe.c */
const char *host_cannot_run(struct guest *g, const struct vcpu *v);	/* guest_hooks.diagnose */
const char *host_lacks_interrupts(const struct kvm *kvm);	/* before a Linux boot */
int vcpu_run_uninterrupted(struct vcpu *v);	/* a probe VM's KVM_RUN */

/* seccomp.c */
void seccomp_report_setup(void);	/* SIGSYS: say which call, then exit 71 */
int seccomp_confine(const struct guest_files *files, const char *who);	/* a guest_hooks.confine */

#endif
