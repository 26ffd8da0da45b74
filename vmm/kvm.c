/*
 * kvm: /dev/kvm, VM and vCPU creation. Capabilities are checked once, here,
 * so the rest of the code can use them without asking again.
 * Reference: the Linux KVM API document, Documentation/virt/kvm/api.rst.
 */
#include "kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sysexits.h>
#include <unistd.h>

#include "log.h"

#define KVM_DEVICE "/dev/kvm"

int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name,
	      const char *who)
{
	int r = ioctl(fd, request, arg);

	if (r < 0)
		log_error(who, "%s failed: %s", name, strerror(errno));
	return r;
}

/* What we need beyond the stable API, and why. KVM_CHECK_EXTENSION must
 * answer with every bit of MASK set. */
static const struct { int cap, mask; const char *name, *use; } required[] = {
	{ KVM_CAP_USER_MEMORY, 1, "KVM_CAP_USER_MEMORY", "guest RAM from our mmap" },
	{ KVM_CAP_IMMEDIATE_EXIT, 1, "KVM_CAP_IMMEDIATE_EXIT", "stopping a vCPU on --timeout" },
	/* Registers in kvm_run: a hypercall costs no GET/SET_REGS ioctls. */
	{ KVM_CAP_SYNC_REGS, KVM_SYNC_X86_REGS, "KVM_CAP_SYNC_REGS", "hypercall registers" },
};

int kvm_open(struct kvm *kvm, char *why, size_t why_size)
{
	int version, mmap_size;

	kvm->fd = open(KVM_DEVICE, O_RDWR | O_CLOEXEC);
	if (kvm->fd < 0) {
		snprintf(why, why_size, "cannot open %s: %s%s", KVM_DEVICE,
			 strerror(errno), errno == EACCES
			 ? " (run as root or join the 'kvm' group)"
			 : errno == ENOENT ? " (is KVM enabled on this host?)" : "");
		return EX_UNAVAILABLE;
	}
	version = ioctl(kvm->fd, KVM_GET_API_VERSION, 0);
	if (version != KVM_API_VERSION) {
		snprintf(why, why_size, "%s speaks KVM API %d, mini-kvm needs %d",
			 KVM_DEVICE, version, KVM_API_VERSION);
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
	mmap_size = ioctl(kvm->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size < (int)sizeof(struct kvm_run)) {
		snprintf(why, why_size, "KVM_GET_VCPU_MMAP_SIZE failed: %s",
			 strerror(errno));
		goto fail;
	}
	kvm->run_size = (size_t)mmap_size;
	return 0;
fail:
	kvm_close(kvm);
	return EX_UNAVAILABLE;
}

void kvm_close(struct kvm *kvm)
{
	if (kvm->fd >= 0)
		close(kvm->fd);
	kvm->fd = -1;
}

int vm_create(const struct kvm *kvm, struct vm *vm, const char *who)
{
	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1, .run_size = kvm->run_size };
	vm->fd = KVM_IOCTL(kvm->fd, KVM_CREATE_VM, 0, who);
	return vm->fd < 0 ? EX_UNAVAILABLE : 0;
}

int vm_add_memory(struct vm *vm, uint64_t gpa, void *host, uint64_t size,
		  const char *who)
{
	struct kvm_userspace_memory_region region = {
		.slot = 0,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	if (KVM_IOCTL(vm->fd, KVM_SET_USER_MEMORY_REGION, &region, who) < 0)
		return EX_UNAVAILABLE;
	return 0;
}

int vm_create_vcpu(struct vm *vm, const char *who)
{
	void *run;

	vm->vcpu_fd = KVM_IOCTL(vm->fd, KVM_CREATE_VCPU, 0, who);
	if (vm->vcpu_fd < 0)
		return EX_UNAVAILABLE;
	run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vm->vcpu_fd, 0);
	if (run == MAP_FAILED) {
		log_error(who, "mmap of the vCPU's kvm_run failed: %s",
			  strerror(errno));
		return EX_OSERR;
	}
	vm->run = run;
	/* Ask KVM to copy the general registers into kvm_run on every exit. */
	vm->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	return 0;
}

void vm_destroy(struct vm *vm)
{
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu_fd >= 0)
		close(vm->vcpu_fd);
	if (vm->fd >= 0)
		close(vm->fd);
	*vm = (struct vm){ .fd = -1, .vcpu_fd = -1 };
}
