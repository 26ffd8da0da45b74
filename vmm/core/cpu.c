/*
 * cpu: put a fresh vCPU where the guest's first instruction expects it. A
 * vCPU is born in real mode at the reset vector F000:FFF0 (Intel SDM Vol.
 * 3A, 9.1.4 "First Instruction Executed"); real-mode guests move to
 * 0000:0000, protected-mode guests to their ELF entry in the Multiboot
 * machine state (include/mini-kvm/boot.h). Long mode and a Linux kernel's
 * entry build on cpu_enter and cpu_load_flat (vmm/long, vmm/linux).
 */
#include <string.h>

#include <mini-kvm/boot.h>

#include "cpu.h"
#include "log.h"

int cpu_enter(struct vm *vm, sregs_edit *edit, const void *how, const struct kvm_regs *regs,
	      const char *who) {
	struct kvm_sregs sregs;

	if (KVM_IOCTL(vm->vcpu[0].fd, KVM_GET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	edit(&sregs, how);
	if (KVM_IOCTL(vm->vcpu[0].fd, KVM_SET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	/* General registers go through kvm_run's sync area: no KVM_SET_REGS. */
	vm->vcpu[0].run->s.regs.regs = *regs;
	vm->vcpu[0].run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
}

/* The segments and control registers of a struct cpu_flat. */
void cpu_load_flat(struct kvm_sregs *sregs, const void *how) {
	const struct cpu_flat *f = how;

	sregs->cs = f->code;
	sregs->ds = sregs->es = sregs->fs = sregs->gs = sregs->ss = f->data;
	if (f->tr.present)
		sregs->tr = f->tr;
	sregs->gdt = (struct kvm_dtable){ .base = f->gdt_base, .limit = f->gdt_limit };
	sregs->cr0 = f->cr0, sregs->cr3 = f->cr3, sregs->cr4 = f->cr4, sregs->efer = f->efer;
}

/* A real-mode base is selector * 16: all 0. The reset state's 64 KB limits
 * and access rights stay as they are. */
static void zero_segment_bases(struct kvm_sregs *sregs, const void *how) {
	struct kvm_segment *segments[] = { &sregs->cs, &sregs->ds, &sregs->es,
					   &sregs->fs, &sregs->gs, &sregs->ss };

	(void)how;
	for (size_t i = 0; i < sizeof(segments) / sizeof(segments[0]); i++)
		segments[i]->selector = 0, segments[i]->base = 0;
}

/* The stack grows down from the top of the first 64 KB (SP = 0 wraps: the
 * first push lands at 0xFFFE), or from the top of a smaller RAM. */
int cpu_setup_real(struct vm *vm, uint64_t memory_size, const char *who) {
	struct kvm_regs regs = { .rip = 0, .rflags = RFLAGS_FIXED,
				 .rsp = memory_size >= 0x10000 ? 0 : memory_size };

	return cpu_enter(vm, zero_segment_bases, NULL, &regs, who);
}

/* A flat 4 GB segment: base 0, limit 0xFFFFF in 4 KB units (G = 1), 32-bit (D/B = 1). */
struct kvm_segment flat_segment(uint16_t selector, uint8_t type) {
	return (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = selector,
				     .type = type, .present = 1, .dpl = 0, .db = 1, .s = 1,
				     .g = 1 };
}

/* The same segment as the 8-byte GDT entry the CPU would load it from
 * (SDM Vol. 3A, 3.4.5, Figure 3-8): what KVM_SET_SREGS puts in the hidden
 * part of a segment register must match what the guest's GDT says. */
uint64_t gdt_entry(const struct kvm_segment *s) {
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

/* The Multiboot machine state: flat segments from our GDT at
 * BOOT_GDT_ADDRESS, protection on, paging off, EAX the magic, EBX the
 * information structure. MEM holds at least the boot area. */
int cpu_setup_protected(struct vm *vm, struct guest_memory *mem, uint32_t entry,
			const char *who) {
	struct cpu_flat flat = {
		.code = flat_segment(BOOT_CODE_SELECTOR, SEG_TYPE_CODE_EXEC_READ_ACCESSED),
		.data = flat_segment(BOOT_DATA_SELECTOR, SEG_TYPE_DATA_READ_WRITE_ACCESSED),
		.gdt_base = BOOT_GDT_ADDRESS, .gdt_limit = 3 * 8 - 1, .cr0 = CR0_PE | CR0_ET,
	};
	uint64_t gdt[3] = { 0, gdt_entry(&flat.code), gdt_entry(&flat.data) };
	struct kvm_regs regs = { .rip = entry, .rflags = RFLAGS_FIXED, .rsp = BOOT_STACK_TOP,
				 .rax = MULTIBOOT_BOOT_MAGIC, .rbx = BOOT_INFO_ADDRESS };

	memcpy(guest_ptr(mem, BOOT_GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	write_boot_info(mem);
	return cpu_enter(vm, cpu_load_flat, &flat, &regs, who);
}
