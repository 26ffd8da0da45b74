/*
 * kvm.h: /dev/kvm, a VM and its vCPU: opening, creating, the irqchip and
 * IRQ lines (kvm.c), every ioctl checked and named in its message. What a
 * vCPU runs, and the KVM calls of a layer's own, are theirs (cpu.c,
 * vcpu.c; vmm/devices/coalesced.c, vmm/host/cpuid.c, vmm/gdb/cpu.c...).
 * Reference: the Linux KVM API document (Documentation/virt/kvm/api.rst,
 * "KVM API" in comments).
 */
#ifndef CORE_KVM_H
#define CORE_KVM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

struct kvm {
	int fd;
	size_t run_size;	/* size of a vCPU's kvm_run mapping */
};

/* One virtual CPU. KVM numbers them from 0, and the number is also its
 * local APIC's ID; vCPU 0 is the one that boots (KVM API 4.7
 * KVM_CREATE_VCPU, KVM_SET_BOOT_CPU_ID). */
struct vcpu {
	int fd;
	uint32_t id;
	struct kvm_run *run;	/* shared with KVM: exit data, synced registers */
	uint64_t exits;		/* how many it made (--stats; by reason: the guest's) */
};

#define VM_VCPUS_MAX 64
struct vm {
	int fd;
	struct vcpu vcpu[VM_VCPUS_MAX];	/* vcpu[0] boots; a seed guest has no other */
	int vcpus;		/* how many exist */
	size_t run_size;
	bool irqchip;		/* in-kernel PIC/IOAPIC/LAPIC + PIT created */
	uint64_t irqchip_ns, pit_ns;	/* what creating them cost (--stats; kept
					   after vm_destroy) */
};

int kvm_open(struct kvm *kvm, char *why, size_t why_size);
void kvm_close(struct kvm *kvm);
/* ioctl(2), with a message naming NAME on failure; WHO NULL: silent (the
 * host probes, whose failures are answers, not errors). */
int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name, const char *who);
#define KVM_IOCTL(fd, request, arg, who) kvm_ioctl(fd, request, arg, #request, who)
/* KVM_EXIT_IO -> "IO"; "unknown" for a number we have no name for. */
const char *kvm_exit_name(uint32_t reason);

/* In this order: the VM and its memory, an irqchip if wanted, the vCPUs
 * (vcpu_create makes the next one). */
int vm_create(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem, const char *who);
int vm_create_irqchip(struct vm *vm, const char *who);
int vcpu_create(struct vm *vm, const char *who);
/* Set the level of an IRQ line at the in-kernel PIC and I/O APIC. */
int vm_irq_line(struct vm *vm, uint32_t line, bool level, const char *who);
void vm_destroy(struct vm *vm);

#endif
