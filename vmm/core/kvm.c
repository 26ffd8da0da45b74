/*
 * kvm: /dev/kvm, and the VM and vCPU it makes. The capabilities the core
 * relies on are checked once, at open. Reference: the Linux
 * KVM API document, Documentation/virt/kvm/api.rst ("KVM API" below).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm.h"
#include "log.h"

int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name, const char *who) {
	int r = ioctl(fd, request, arg);

	if (r < 0 && who)
		log_error(who, "%s failed: %s", name, strerror(errno));
	return r;
}

#define NAME(reason) [KVM_EXIT_##reason] = #reason
static const char *const exit_names[] = {
	NAME(UNKNOWN), NAME(EXCEPTION), NAME(IO), NAME(HYPERCALL), NAME(DEBUG), NAME(HLT),
	NAME(MMIO), NAME(IRQ_WINDOW_OPEN), NAME(SHUTDOWN), NAME(FAIL_ENTRY), NAME(INTR),
	NAME(SET_TPR), NAME(TPR_ACCESS), NAME(NMI), NAME(INTERNAL_ERROR), NAME(SYSTEM_EVENT),
	NAME(IOAPIC_EOI), NAME(HYPERV), NAME(X86_RDMSR), NAME(X86_WRMSR),
	NAME(DIRTY_RING_FULL), NAME(AP_RESET_HOLD), NAME(X86_BUS_LOCK), NAME(XEN), NAME(NOTIFY),
};

const char *kvm_exit_name(uint32_t reason) {
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

/* What we need beyond the stable API, and what for. KVM_CHECK_EXTENSION must
 * answer with every bit of MASK set. */
static const struct { int cap, mask; const char *name, *use; } required[] = {
	{ KVM_CAP_USER_MEMORY, 1, "KVM_CAP_USER_MEMORY", "guest RAM in our memory" },
	{ KVM_CAP_IMMEDIATE_EXIT, 1, "KVM_CAP_IMMEDIATE_EXIT", "--timeout" },
	/* Registers in kvm_run: a hypercall costs no GET/SET_REGS ioctls. */
	{ KVM_CAP_SYNC_REGS, KVM_SYNC_X86_REGS, "KVM_CAP_SYNC_REGS", "hypercalls" },
};

int kvm_open(struct kvm *kvm, char *why, size_t why_size) {
	int version, size;

	kvm->fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		snprintf(why, why_size, "cannot open /dev/kvm: %s%s", strerror(errno),
			 errno == EACCES ? " (run as root or join the 'kvm' group)"
			 : errno == ENOENT ? " (is KVM enabled on this host?)" : "");
		return EX_UNAVAILABLE;
	}
	version = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(why, why_size, "/dev/kvm speaks KVM API %d, mini-kvm needs %d",
			 version, KVM_API_VERSION);
		goto fail;
	}
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		int answer = ioctl(kvm->fd, KVM_CHECK_EXTENSION, required[i].cap);

		if (answer < 0 || (answer & required[i].mask) != required[i].mask) {
			snprintf(why, why_size, "host KVM lacks %s (needed for %s)",
				 required[i].name, required[i].use);
			goto fail;
		}
	}
	size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run)) {
		snprintf(why, why_size, "KVM_GET_VCPU_MMAP_SIZE failed: %s", strerror(errno));
		goto fail;
	}
	kvm->run_size = (size_t)size;
	return 0;
fail:
	kvm_close(kvm);
	return EX_UNAVAILABLE;
}

void kvm_close(struct kvm *kvm) {
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
}

static uint64_t elapsed_ns(const struct timespec *since) {
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)((now.tv_sec - since->tv_sec) * 1000000000LL + now.tv_nsec -
			  since->tv_nsec);
}

/* The in-kernel 8259 PICs + I/O APIC + local APIC, then the 8254 PIT on
 * IRQ0. Both must exist before the vCPU (KVM API 4.24 KVM_CREATE_IRQCHIP).
 * Each is timed for --stats. The memory slot comes first (vm_create):
 * measured here, a slot added after the irqchip took 5-9 ms, not 0.1 ms. */
int vm_create_irqchip(struct vm *vm, const char *who) {
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (KVM_IOCTL(vm->fd, KVM_CREATE_IRQCHIP, 0, who) < 0)
		return EX_UNAVAILABLE;
	vm->irqchip_ns = elapsed_ns(&t);
	clock_gettime(CLOCK_MONOTONIC, &t);
	if (KVM_IOCTL(vm->fd, KVM_CREATE_PIT2, &pit, who) < 0)
		return EX_UNAVAILABLE;
	vm->pit_ns = elapsed_ns(&t);
	vm->irqchip = true;
	return 0;
}

/* A VM whose physical memory is MEM, at 0 (KVM API 4.2 KVM_CREATE_VM, 4.35
 * KVM_SET_USER_MEMORY_REGION). Its vCPU comes after any irqchip. */
int vm_create(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem, const char *who) {
	struct kvm_userspace_memory_region ram = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem->size,
		.userspace_addr = (uint64_t)(uintptr_t)mem->host,
	};

	*vm = (struct vm){ .fd = -1, .run_size = kvm->run_size };
	if ((vm->fd = KVM_IOCTL(kvm->fd, KVM_CREATE_VM, 0, who)) < 0 ||
	    KVM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &ram, who) < 0)
		return EX_UNAVAILABLE;
	return 0;
}

/* The next vCPU, and kvm_run: the page(s) it shares with us (KVM API 4.7
 * KVM_CREATE_VCPU, 5 "The kvm_run structure"). */
int vcpu_create(struct vm *vm, const char *who) {
	struct vcpu *v = &vm->vcpu[vm->vcpus];	/* zeroed by vm_create */

	if (vm->vcpus == VM_VCPUS_MAX ||	/* a board's bug: --cpus allows no more */
	    (v->fd = KVM_IOCTL(vm->fd, KVM_CREATE_VCPU, (void *)(uintptr_t)vm->vcpus, who)) < 0)
		return EX_UNAVAILABLE;
	v->id = (uint32_t)vm->vcpus++;
	v->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		if (who)
			log_error(who, "mmap of the vCPU's kvm_run failed: %s", strerror(errno));
		return EX_OSERR;
	}
	v->run->kvm_valid_regs = KVM_SYNC_X86_REGS;	/* copy GPRs to kvm_run on each exit */
	return 0;
}

/* Set the level of LINE at the in-kernel PIC and I/O APIC (KVM API 4.25
 * KVM_IRQ_LINE); they see its edges. */
int vm_irq_line(struct vm *vm, uint32_t line, bool level, const char *who) {
	struct kvm_irq_level irq = { .irq = line, .level = level };

	return KVM_IOCTL(vm->fd, KVM_IRQ_LINE, &irq, who) < 0 ? -1 : 0;
}

void vm_destroy(struct vm *vm) {
	for (int i = 0; i < vm->vcpus; i++) {
		if (vm->vcpu[i].run)
			munmap(vm->vcpu[i].run, vm->run_size);
		close(vm->vcpu[i].fd);
		vm->vcpu[i].fd = -1, vm->vcpu[i].run = NULL;	/* their exits stay, for --stats */
	}
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;	/* the costs stay, for --stats */
}
