/*
 * kvm: the only code that talks to /dev/kvm. Capabilities are checked once,
 * at open, so the rest of the VMM can rely on them. Reference: the Linux
 * KVM API document, Documentation/virt/kvm/api.rst ("KVM API" below).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

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

int vm_create(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem, const char *who) {
	struct kvm_userspace_memory_region ram = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = mem->size,
		.userspace_addr = (uint64_t)(uintptr_t)mem->host,
	};
	void *run;

	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1, .run_size = kvm->run_size };
	if ((vm->fd = KVM_IOCTL(kvm->fd, KVM_CREATE_VM, 0, who)) < 0 ||
	    KVM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &ram, who) < 0 ||
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

void vm_destroy(struct vm *vm) {
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->fd >= 0)
		close(vm->fd);
	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1 };
}
