/*
 * kvm: the only code that talks to /dev/kvm. Capabilities are checked once,
 * at open, so the rest of the VMM can rely on them. Reference: the Linux
 * KVM API document, Documentation/virt/kvm/api.rst ("KVM API" below).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <mini-kvm/boot.h>

#include "vmm.h"

int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name, const char *who) {
	int r = ioctl(fd, request, arg);

	if (r < 0)
		log_error(who, "%s failed: %s", name, strerror(errno));
	return r;
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
	/* Optional: without it every UART byte is an exit, nothing else changes. */
	kvm->coalesced_page = 0;
	if (ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO) > 0) {
		int page = ioctl(kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);

		if (page > 0 && (size_t)(page + 1) * KVM_RUN_PAGE <= kvm->run_size)
			kvm->coalesced_page = page;
	}
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
 * Each is timed for --stats. vm_create adds the memory slot first: measured
 * here, a slot added after the irqchip took 5-9 ms instead of 0.1 ms. */
static int create_irqchip(struct vm *vm, const char *who) {
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

/*
 * VT-x without "unrestricted guest" runs a guest's real mode as vm86 mode,
 * which needs a TSS and a page table of KVM's own inside the guest's
 * physical address space (KVM API 4.39 KVM_SET_TSS_ADDR, 4.64
 * KVM_SET_IDENTITY_MAP_ADDR: "required on Intel-based hosts"; the second
 * before any vCPU exists). A PC operating system resets CPUs through real
 * mode, so it gets them: four pages just below the BIOS area at the top of
 * the first 4 GB, where no guest RAM (at most 3 GB) can be. AMD's KVM
 * accepts and ignores them.
 */
#define PC_IDENTITY_MAP_ADDRESS 0xfeffc000u	/* one page */
#define PC_TSS_ADDRESS 0xfeffd000u		/* three pages */

static int set_pc_addresses(struct vm *vm, const char *who) {
	uint64_t identity = PC_IDENTITY_MAP_ADDRESS;

	if (KVM_IOCTL(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &identity, who) < 0 ||
	    KVM_IOCTL(vm->fd, KVM_SET_TSS_ADDR, (void *)(uintptr_t)PC_TSS_ADDRESS, who) < 0)
		return EX_UNAVAILABLE;
	return 0;
}

int vm_create(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem,
	      unsigned features, const char *who) {
	struct kvm_userspace_memory_region ram = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem->size,
		.userspace_addr = (uint64_t)(uintptr_t)mem->host,
	};
	void *run;

	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1, .run_size = kvm->run_size };
	if ((vm->fd = KVM_IOCTL(kvm->fd, KVM_CREATE_VM, 0, who)) < 0 ||
	    KVM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &ram, who) < 0 ||
	    ((features & VM_PC) && set_pc_addresses(vm, who)) ||
	    ((features & VM_IRQCHIP) && create_irqchip(vm, who)) ||
	    (vm->vcpu_fd = KVM_IOCTL(vm->fd, KVM_CREATE_VCPU, 0, who)) < 0)
		return EX_UNAVAILABLE;
	/* kvm_run: the page(s) the vCPU shares with us (KVM API 5 "The kvm_run structure"). */
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
	if (run == MAP_FAILED) {
		log_error(who, "mmap of the vCPU's kvm_run failed: %s", strerror(errno));
		return EX_OSERR;
	}
	vm->run = run;
	vm->run->kvm_valid_regs = KVM_SYNC_X86_REGS;	/* copy GPRs to kvm_run on each exit */
	return 0;
}

/* A kvm_cpuid2 with room for VM_CPUID_MAX entries. */
union cpuid_table {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + VM_CPUID_MAX * sizeof(struct kvm_cpuid_entry2)];
};

/* KVM's answer is the same for every VM of this process and costs 0.27 ms
 * on this host: asked once, by the first guest that needs it (guests boot
 * on their own threads, hence the lock). One slot is kept free for ours. */
static int supported_cpuid(const struct kvm *kvm, union cpuid_table *table, const char *who) {
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static union cpuid_table cache;
	static bool cached;

	pthread_mutex_lock(&lock);
	if (!cached) {
		cache.header.nent = VM_CPUID_MAX - 1;
		cached = KVM_IOCTL(kvm->fd, KVM_GET_SUPPORTED_CPUID, &cache, who) == 0;
	}
	if (cached)
		*table = cache;
	pthread_mutex_unlock(&lock);
	return cached ? 0 : -1;
}

/* The CPUID leaves KVM can give, plus ours: CPUID.1:ECX bit 31 says a
 * hypervisor is present, leaf 0x40000000 says which (boot.h; KVM API 4.46
 * KVM_GET_SUPPORTED_CPUID, 4.73 KVM_SET_CPUID2). */
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
	if (!mini_kvm_leaf)	/* KVM's "KVMKVMKVM" leaves, as KVM gave them */
		return KVM_IOCTL(vm->vcpu_fd, KVM_SET_CPUID2, &cpuid, who) < 0 ? EX_UNAVAILABLE : 0;
	if (!leaf)
		leaf = &e[cpuid.header.nent++];
	*leaf = (struct kvm_cpuid_entry2){ .function = MINI_KVM_CPUID_LEAF,
		.eax = MINI_KVM_CPUID_LEAF, .ebx = MINI_KVM_CPUID_EBX,
		.ecx = MINI_KVM_CPUID_ECX, .edx = MINI_KVM_CPUID_EDX };
	return KVM_IOCTL(vm->vcpu_fd, KVM_SET_CPUID2, &cpuid, who) < 0 ? EX_UNAVAILABLE : 0;
}

/*
 * Writes to PORT stop exiting: KVM appends each to a ring in the vCPU's
 * mapping and carries on; vcpu_run replays them, oldest first, as soon as
 * the vCPU exits for any reason -- so every device sees them before
 * anything the guest did later (KVM API 4.116 KVM_REGISTER_COALESCED_MMIO,
 * with .pio = 1; KVM_CAP_COALESCED_PIO). Only for a port whose writes need
 * no answer and no immediate effect: the UART's transmit register. A full
 * ring makes the next write exit, so nothing is lost. Failure is harmless:
 * the writes exit one by one, as without the capability. Called during an
 * exit, when the ring is empty: the order of writes is kept.
 */
void vm_coalesce_port(const struct kvm *kvm, struct vm *vm, uint16_t port, const char *who) {
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = 1, .pio = 1 };

	if (kvm->coalesced_page == 0 ||
	    KVM_IOCTL(vm->fd, KVM_REGISTER_COALESCED_MMIO, &zone, who) < 0)
		return;
	vm->ring = (struct kvm_coalesced_mmio_ring *)((uint8_t *)vm->run +
						       (size_t)kvm->coalesced_page * KVM_RUN_PAGE);
	vm->coalesced_port = port;
}

/*
 * Registers changed in kvm_run's sync area reach KVM only at the next
 * KVM_RUN. KVM_SET_GUEST_DEBUG must see them before that: it arms a
 * single-step only for the RIP the vCPU has when it is called
 * (x86.c: singlestep_rip), so a RIP still pending would lose the step.
 */
int vcpu_sync_regs_now(struct vm *vm, const char *who) {
	if (!(vm->run->kvm_dirty_regs & KVM_SYNC_X86_REGS))
		return 0;
	if (KVM_IOCTL(vm->vcpu_fd, KVM_SET_REGS, &vm->run->s.regs.regs, who) < 0)
		return -1;
	vm->run->kvm_dirty_regs &= ~(uint64_t)KVM_SYNC_X86_REGS;
	return 0;
}

/* Set the level of LINE at the in-kernel PIC and I/O APIC (KVM API 4.25
 * KVM_IRQ_LINE); they see its edges. */
int vm_irq_line(struct vm *vm, uint32_t line, bool level, const char *who) {
	struct kvm_irq_level irq = { .irq = line, .level = level };

	return KVM_IOCTL(vm->fd, KVM_IRQ_LINE, &irq, who) < 0 ? -1 : 0;
}

/* Raise and lower LINE: one edge. */
int vm_irq_pulse(struct vm *vm, uint32_t line, const char *who) {
	return vm_irq_line(vm, line, true, who) || vm_irq_line(vm, line, false, who) ? -1 : 0;
}

void vm_destroy(struct vm *vm) {
	struct kvm_coalesced_mmio_zone zone = { .addr = vm->coalesced_port, .size = 1, .pio = 1 };

	/* Measured here: closing a VM with a coalesced zone took 12-24 ms,
	 * unregistering it first 7 ms and the close then 0.2 ms. */
	if (vm->ring)
		ioctl(vm->fd, KVM_UNREGISTER_COALESCED_MMIO, &zone);
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->fd >= 0)
		close(vm->fd);
	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1 };
}
