/*
 * cpu_mode: put a fresh vCPU where the guest's first instruction expects
 * it. A vCPU is born in real mode at the reset vector F000:FFF0 (Intel SDM
 * Vol. 3A, 9.1.4 "First Instruction Executed"); real-mode guests move to
 * 0000:0000, protected-mode guests to their ELF entry in the Multiboot
 * machine state (include/mini-kvm/boot.h).
 */
#include <cpuid.h>
#include <string.h>

#include <mini-kvm/boot.h>

#include "vmm.h"
#include "x86.h"



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

/*
 * Long mode (64-bit), for ELF64 guests. The VMM builds what a 64-bit
 * kernel would: 4-level page tables mapping guest RAM 1:1 (Intel SDM Vol.
 * 3A, 4.5), a GDT with 64-bit code segments and a TSS, then sets
 * CR0.PG, CR4.PAE, EFER.LME/LMA directly. The guest itself runs in ring 3:
 * it needs no privileged instruction, its OUTs still reach us, and it
 * cannot touch the page tables or the GDT, which are mapped
 * supervisor-only. (On a software KVM such as PVM, ring-0 long-mode code is
 * emulated but ring-3 code runs natively: DESIGN.md section 8.)
 *
 * Ports: measured here, PVM clears RFLAGS.IOPL, so IOPL 3 does not let a
 * ring-3 OUT through there, while on VT-x it would open every port. The
 * TSS's I/O permission bitmap works the same on every x86 (SDM Vol. 1,
 * 18.5.2), so we use it alone, with IOPL 0: ports 0 to LONG_IO_PORTS - 1
 * (every device we have) are open, the rest raise #GP, and CLI/STI stay
 * privileged.
 */
#define TSS_SIZE 0x68		/* a 64-bit TSS without its I/O bitmap */
#define TSS_IOMAP_BASE_OFFSET 0x66
#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull

/*
 * The type of the TSS in TR. A CPU that ran LTR holds a busy TSS there, and
 * Intel VT-x refuses to enter IA-32e mode with anything else (SDM Vol. 3C,
 * 26.3.1.2). AMD's VMRUN checks no TR type (AMD APM Vol. 2, 15.5.1), but
 * QEMU's emulation of it -- the CPU of the real-KVM test tier -- lets ring
 * 3 use the I/O bitmap only through an *available* TSS: with a busy one
 * every OUT is a #GP (measured: docs/testing.md). So a busy TSS on Intel
 * and every other VT-x vendor, an available one on AMD and Hygon (SVM).
 * (PVM's instruction emulator, which checks port access there, accepts both.)
 */
static uint8_t tss_type_for_host(void) {
	unsigned int max_leaf, vendor[3];

	if (!__get_cpuid(0, &max_leaf, &vendor[0], &vendor[2], &vendor[1]))
		return SEG_TYPE_TSS_BUSY;
	return !memcmp(vendor, "AuthenticAMD", 12) || !memcmp(vendor, "HygonGenuine", 12)
	       ? SEG_TYPE_TSS_AVAILABLE : SEG_TYPE_TSS_BUSY;
}

/* A 64-bit code or data segment for privilege level DPL. */
struct kvm_segment long_segment(uint16_t selector, uint8_t type, uint8_t dpl) {
	bool code = type == SEG_TYPE_CODE_EXEC_READ_ACCESSED;

	return (struct kvm_segment){ .limit = 0xffffffff, .selector = selector | dpl,
				     .type = type, .present = 1, .dpl = dpl, .s = 1,
				     .l = code, .db = !code, .g = 1 };
}

/* Map guest RAM 1:1: the first 2 MB in 4 KB pages, so that the boot area
 * (these tables, the GDT, the TSS) is supervisor-only, the rest in 2 MB
 * pages, up to 3 GB (three page directories). */
static void build_page_tables(struct guest_memory *mem) {
	uint64_t *pml4 = guest_ptr(mem, LONG_PML4, PAGE_4K);
	uint64_t *pdpt = guest_ptr(mem, LONG_PDPT, PAGE_4K);
	uint64_t *pt = guest_ptr(mem, LONG_PT, PAGE_4K), rw = PTE_PRESENT | PTE_WRITABLE;

	pml4[0] = LONG_PDPT | rw | PTE_USER;
	for (uint64_t gb = 0; gb * 512 * PAGE_2M < mem->size; gb++) {
		uint64_t *pd = guest_ptr(mem, LONG_PD + gb * PAGE_4K, PAGE_4K);

		pdpt[gb] = (LONG_PD + gb * PAGE_4K) | rw | PTE_USER;
		for (uint64_t i = 0; i < 512 && (gb * 512 + i) * PAGE_2M < mem->size; i++)
			pd[i] = (gb * 512 + i) * PAGE_2M | rw | PTE_USER | PTE_LARGE;
	}
	*(uint64_t *)guest_ptr(mem, LONG_PD, 8) = LONG_PT | rw | PTE_USER;
	for (uint64_t i = 0; i < 512 && i * PAGE_4K < mem->size; i++)
		pt[i] = i * PAGE_4K | rw | (i * PAGE_4K >= BOOT_AREA_END ? PTE_USER : 0);
}

/* The TSS: its I/O bitmap right after it, all ports below LONG_IO_PORTS
 * open (0 bits), then the 0xFF byte the CPU requires at the end. */
static void write_tss(struct guest_memory *mem) {
	uint8_t *tss = guest_ptr(mem, LONG_TSS, TSS_SIZE + LONG_IO_PORTS / 8 + 1);
	uint16_t iomap_base = TSS_SIZE;

	memset(tss, 0, TSS_SIZE + LONG_IO_PORTS / 8);
	memcpy(tss + TSS_IOMAP_BASE_OFFSET, &iomap_base, 2);
	tss[TSS_SIZE + LONG_IO_PORTS / 8] = 0xff;
}

int cpu_mode_setup_long(struct vm *vm, struct guest_memory *mem, uint64_t entry,
			const char *who) {
	struct kvm_segment code = long_segment(LONG_USER_CODE, SEG_TYPE_CODE_EXEC_READ_ACCESSED,
					       3);
	struct kvm_segment data = long_segment(LONG_USER_DATA, SEG_TYPE_DATA_READ_WRITE_ACCESSED,
					       3);
	struct kvm_segment tss = { .base = LONG_TSS, .limit = TSS_SIZE + LONG_IO_PORTS / 8,
				   .selector = LONG_TSS_SELECTOR, .type = tss_type_for_host(),
				   .present = 1 };	/* a 64-bit TSS */
	uint64_t gdt[7] = { 0, 0, 0, gdt_entry(&code), gdt_entry(&data), gdt_entry(&tss), 0 };
	struct kvm_sregs sregs;

	build_page_tables(mem);
	write_tss(mem);
	memcpy(guest_ptr(mem, BOOT_GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	if (KVM_IOCTL(vm->vcpu_fd, KVM_GET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	sregs.cs = code;
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = data;
	sregs.tr = tss;
	sregs.gdt = (struct kvm_dtable){ .base = BOOT_GDT_ADDRESS, .limit = sizeof(gdt) - 1 };
	sregs.cr3 = LONG_PML4;
	sregs.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
	sregs.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
	sregs.efer = EFER_LME | EFER_LMA;
	if (KVM_IOCTL(vm->vcpu_fd, KVM_SET_SREGS, &sregs, who) < 0)
		return EX_UNAVAILABLE;
	vm->run->s.regs.regs = (struct kvm_regs){
		.rip = entry, .rflags = RFLAGS_FIXED,
		.rsp = mem->size & ~0xfull, .rdi = mem->size,	/* main(memory size) */
	};
	vm->run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	return 0;
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
