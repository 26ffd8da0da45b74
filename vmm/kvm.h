/* kvm: the only place that talks to /dev/kvm. Every ioctl is checked and named. */
#ifndef KVM_H
#define KVM_H

#include <linux/kvm.h>
#include <stddef.h>
#include <stdint.h>

/* The system handle: /dev/kvm, opened and checked once per process. */
struct kvm {
	int fd;
	size_t run_size;	/* size of each vCPU's shared kvm_run area */
};

/* One VM with its one vCPU. */
struct vm {
	int fd;
	int vcpu_fd;
	struct kvm_run *run;	/* shared with the kernel: exit data, sync regs */
	size_t run_size;
};

/* Open /dev/kvm and check the API version and the capabilities mini-kvm
 * relies on. 0, or EX_UNAVAILABLE with the reason written to WHY. */
int kvm_open(struct kvm *kvm, char *why, size_t why_size);
void kvm_close(struct kvm *kvm);

/* ioctl(2) that logs "WHO: NAME failed: error" on failure; returns its result. */
int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name,
	      const char *who);
#define KVM_IOCTL(fd, request, arg, who) \
	kvm_ioctl(fd, request, arg, #request, who)

/* Each returns 0, or EX_UNAVAILABLE (KVM refused) / EX_OSERR (mmap) after
 * logging why. vm_destroy undoes whatever part was done. */
int vm_create(const struct kvm *kvm, struct vm *vm, const char *who);
int vm_add_memory(struct vm *vm, uint64_t gpa, void *host, uint64_t size,
		  const char *who);
int vm_create_vcpu(struct vm *vm, const char *who);
void vm_destroy(struct vm *vm);

#endif
