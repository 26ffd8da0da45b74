/*
 * Long mode (64-bit), for ELF64 guests. The VMM builds what a 64-bit
 * kernel would: 4-level page tables mapping guest RAM 1:1 (paging.c), a
 * GDT with 64-bit code segments and a TSS, then sets CR0.PG, CR4.PAE and
 * EFER.LME/LMA directly (Intel SDM Vol. 3A, 9.8.5 describes the switch a
 * kernel makes itself). The guest runs in ring 3: it needs no privileged
 * instruction, its OUTs still reach us, and it cannot touch the page
 * tables or the GDT, which are mapped supervisor-only. (On a software KVM
 * such as PVM, ring-0 long-mode code is emulated but ring-3 code runs
 * natively: DESIGN.md section 8.)
 *
 * Ports: measured here, PVM clears RFLAGS.IOPL, so IOPL 3 does not let a
 * ring-3 OUT through there, while on VT-x it would open every port. The
 * TSS's I/O permission bitmap works the same on every x86 (SDM Vol. 1,
 * 18.5.2), so we use it alone, with IOPL 0: ports 0 to LONG_IO_PORTS - 1
 * (every device we have) are open, the rest raise #GP, and CLI/STI stay
 * privileged.
 */
#include <cpuid.h>
#include <string.h>

#include <mini-kvm/boot.h>

#include "long.h"

#define TSS_SIZE 0x68		/* a 64-bit TSS without its I/O bitmap */
#define TSS_IOMAP_BASE_OFFSET 0x66

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

struct kvm_segment long_segment(uint16_t selector, uint8_t type, uint8_t dpl) {
	bool code = type == SEG_TYPE_CODE_EXEC_READ_ACCESSED;

	return (struct kvm_segment){ .limit = 0xffffffff, .selector = selector | dpl,
				     .type = type, .present = 1, .dpl = dpl, .s = 1,
				     .l = code, .db = !code, .g = 1 };
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

/* Guest RAM mapped 1:1 up to 3 GB, the boot area supervisor-only. */
int cpu_setup_long(struct vm *vm, struct guest_memory *mem, uint64_t entry, const char *who) {
	struct cpu_flat flat = {
		.code = long_segment(LONG_USER_CODE, SEG_TYPE_CODE_EXEC_READ_ACCESSED, 3),
		.data = long_segment(LONG_USER_DATA, SEG_TYPE_DATA_READ_WRITE_ACCESSED, 3),
		.tr = { .base = LONG_TSS, .limit = TSS_SIZE + LONG_IO_PORTS / 8,
			.selector = LONG_TSS_SELECTOR, .type = tss_type_for_host(),
			.present = 1 },	/* a 64-bit TSS */
		.gdt_base = BOOT_GDT_ADDRESS, .gdt_limit = 7 * 8 - 1, .cr3 = LONG_PML4,
		.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT,
		.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG,
		.efer = EFER_LME | EFER_LMA,
	};
	uint64_t gdt[7] = { 0, 0, 0, gdt_entry(&flat.code), gdt_entry(&flat.data),
			    gdt_entry(&flat.tr), 0 };	/* a 64-bit TSS takes two entries */
	struct identity_map map = { .pml4 = LONG_PML4, .pdpt = LONG_PDPT, .pd = LONG_PD,
				    .pt = LONG_PT, .size = mem->size,
				    .supervisor_end = BOOT_AREA_END, .user = true };
	struct kvm_regs regs = { .rip = entry, .rflags = RFLAGS_FIXED,
				 .rsp = mem->size & ~0xfull, .rdi = mem->size };	/* main(size) */

	identity_map_build(mem, &map);
	write_tss(mem);
	memcpy(guest_ptr(mem, BOOT_GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	return cpu_enter(vm, cpu_load_flat, &flat, &regs, who);
}
