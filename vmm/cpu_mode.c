/*
 * cpu_mode: put a fresh vCPU where the guest's first instruction expects
 * it. A vCPU is born in real mode at the reset vector F000:FFF0 (Intel SDM
 * Vol. 3A, 9.1.4 "First Instruction Executed"); real-mode guests move to
 * 0000:0000, protected-mode guests to their ELF entry in the Multiboot
 * machine state (include/mini-kvm/boot.h).
 */
#include <string.h>

#include <mini-kvm/boot.h>

#include "vmm.h"

#define RFLAGS_FIXED 0x2	/* bit 1 of RFLAGS is always 1 (SDM Vol. 1, 3.4.3) */
#define CR0_PE 0x1		/* protection enable (SDM Vol. 3A, 2.5) */
#define CR0_ET 0x10		/* extension type: hard-wired to 1 since the i486 */

/* Segment descriptor types (SDM Vol. 3A, 3.4.5.1, Table 3-1), S = 1. */
#define SEG_TYPE_CODE_EXEC_READ_ACCESSED 0xb
#define SEG_TYPE_DATA_READ_WRITE_ACCESSED 0x3

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

/* A flat 4 GB segment: base 0, limit 0xFFFFF in 4 KB units (G = 1), 32-bit (D/B = 1). */
static struct kvm_segment flat_segment(uint16_t selector, uint8_t type) {
	return (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = selector,
				     .type = type, .present = 1, .dpl = 0, .db = 1, .s = 1,
				     .g = 1 };
}

/* The same segment as the 8-byte GDT entry the CPU would load it from
 * (SDM Vol. 3A, 3.4.5, Figure 3-8): what KVM_SET_SREGS puts in the hidden
 * part of a segment register must match what the guest's GDT says. */
static uint64_t gdt_entry(const struct kvm_segment *s) {
	uint32_t limit = s->g ? s->limit >> 12 : s->limit;
	uint64_t access = s->type | (uint64_t)s->s << 4 | (uint64_t)s->dpl << 5 |
			  (uint64_t)s->present << 7;
	uint64_t flags = (uint64_t)s->avl | (uint64_t)s->l << 1 | (uint64_t)s->db << 2 |
			 (uint64_t)s->g << 3;

	return (limit & 0xffff) | (s->base & 0xffffffULL) << 16 | access << 40 |
	       (uint64_t)(limit >> 16 & 0xf) << 48 | flags << 52 |
	       (uint64_t)(s->base >> 24 & 0xff) << 56;
}

/* The Multiboot v1 information structure (Multiboot spec 3.3), flags bit 0:
 * KB of memory below 640K and above 1M. */
static void write_boot_info(struct guest_memory *mem) {
	uint32_t info[3] = { MULTIBOOT_INFO_MEMORY, 640,
			     mem->size > (1u << 20) ? (uint32_t)((mem->size >> 10) - 1024) : 0 };

	memcpy(guest_ptr(mem, BOOT_INFO_ADDRESS, sizeof(info)), info, sizeof(info));
}

int cpu_mode_setup_protected(struct vm *vm, struct guest_memory *mem, uint32_t entry,
			     const char *who) {
	struct kvm_segment code = flat_segment(BOOT_CODE_SELECTOR,
					       SEG_TYPE_CODE_EXEC_READ_ACCESSED);
	struct kvm_segment data = flat_segment(BOOT_DATA_SELECTOR,
					       SEG_TYPE_DATA_READ_WRITE_ACCESSED);
	uint64_t gdt[3] = { 0, gdt_entry(&code), gdt_entry(&data) };	/* null, code, data */
	struct kvm_sregs sregs;

	memcpy(guest_ptr(mem, BOOT_GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	write_boot_info(mem);
	if (KVM_IOCTL(vm->vcpu_fd, KVM_GET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.gdt = (struct kvm_dtable){ .base = BOOT_GDT_ADDRESS, .limit = sizeof(gdt) - 1 };
	sregs.cr0 = CR0_PE | CR0_ET;
	if (KVM_IOCTL(vm->vcpu_fd, KVM_SET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	vm->run->s.regs.regs = (struct kvm_regs){
		.rip = entry, .rflags = RFLAGS_FIXED, .rsp = BOOT_STACK_TOP,
		.rax = MULTIBOOT_BOOT_MAGIC, .rbx = BOOT_INFO_ADDRESS,
	};
	vm->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
}
