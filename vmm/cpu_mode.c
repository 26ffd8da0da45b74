/*
 * cpu_mode: put a fresh vCPU where the guest's first instruction expects
 * it. A vCPU is born in real mode at the reset vector F000:FFF0 (Intel SDM
 * Vol. 3A, 9.1.4 "First Instruction Executed"); we move it to 0000:0000.
 */
#include "vmm.h"

#define RFLAGS_FIXED 0x2	/* bit 1 of RFLAGS is always 1 (SDM Vol. 1, 3.4.3) */

int cpu_mode_setup_real(struct vm *vm, uint64_t memory_size, const char *who) {
	struct kvm_sregs sregs;
	struct kvm_segment *segments[] = { &sregs.cs, &sregs.ds, &sregs.es,
					   &sregs.fs, &sregs.gs, &sregs.ss };

	if (KVM_IOCTL(vm->vcpu_fd, KVM_GET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	/* A real-mode base is selector * 16: all 0. The reset state's 64 KB
	 * limits and access rights stay as they are. */
	for (size_t i = 0; i < sizeof(segments) / sizeof(segments[0]); i++)
		segments[i]->selector = 0, segments[i]->base = 0;
	if (KVM_IOCTL(vm->vcpu_fd, KVM_SET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	/* General registers go through kvm_run's sync area, which KVM loads
	 * on the first KVM_RUN: no KVM_SET_REGS ioctl needed. The stack grows
	 * down from the top of the first 64 KB (SP = 0 wraps: the first push
	 * lands at 0xFFFE), or from the top of a smaller RAM. */
	vm->run->s.regs.regs = (struct kvm_regs){
		.rip = 0,
		.rflags = RFLAGS_FIXED,
		.rsp = memory_size >= 0x10000 ? 0 : memory_size,
	};
	vm->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
}
