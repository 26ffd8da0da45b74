/*
 * floor: the least a KVM monitor must do to run a flat real-mode image --
 * the physical floor mini-kvm is measured against (make bench). Open
 * /dev/kvm, create a VM, one memory slot, one vCPU, point it at address 0,
 * and run: an I/O exit is answered by running again, HLT ends it. No
 * checks beyond what keeps it from running garbage: this is a yardstick,
 * not a VMM.   floor IMAGE
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define MEMORY (256 << 10)

int main(int argc, char **argv) {
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm, vcpu, image;
	struct kvm_userspace_memory_region slot = { .memory_size = MEMORY };
	struct kvm_regs regs = { .rflags = 2 };
	struct kvm_sregs sregs;
	struct kvm_run *run;
	void *mem;

	if (argc != 2 || kvm < 0 || (image = open(argv[1], O_RDONLY)) < 0)
		return 2;
	mem = mmap(NULL, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || read(image, mem, MEMORY) <= 0)
		return 2;
	slot.userspace_addr = (unsigned long)mem;
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0 ||
	    (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0)
		return 3;
	run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED || ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		return 3;
	sregs.cs.base = sregs.cs.selector = 0;	/* CS:IP = 0000:0000, SP = 0 */
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0 || ioctl(vcpu, KVM_SET_REGS, &regs) < 0)
		return 3;
	while (ioctl(vcpu, KVM_RUN, 0) == 0) {
		if (run->exit_reason == KVM_EXIT_HLT)
			return 0;
		if (run->exit_reason != KVM_EXIT_IO)
			return 4;
	}
	return 5;
}
