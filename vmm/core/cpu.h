/*
 * cpu.h: the registers a guest starts with (cpu.c), and the architecture's
 * numbers the seed's two modes need (Intel SDM Vol. 3A, chapters 2-3); the
 * rest -- paging, long mode, debug registers -- are in vmm/long/x86.h.
 */
#ifndef CORE_CPU_H
#define CORE_CPU_H

#include <linux/kvm.h>
#include <stdint.h>

#include "kvm.h"
#include "memory.h"

/* The mode a guest's first instruction runs in. (What kind of machine it
 * is -- a seed guest, a Linux PC -- is its board's business: guest.h.) */
enum cpu_mode { CPU_REAL, CPU_PROTECTED, CPU_LONG };

#define RFLAGS_FIXED 0x2	/* bit 1 of RFLAGS is always 1 (SDM Vol. 1, 3.4.3) */

#define CR0_PE 0x1		/* protection enable (SDM Vol. 3A, 2.5) */
#define CR0_ET 0x10		/* extension type: hard-wired to 1 since the i486 */

/* Segment descriptor types (SDM Vol. 3A, 3.4.5.1, Tables 3-1 and 3-2). */
#define SEG_TYPE_CODE_EXEC_READ_ACCESSED 0xb	/* S = 1 */
#define SEG_TYPE_DATA_READ_WRITE_ACCESSED 0x3

#define REAL_MODE_MEMORY_DEFAULT (256u << 10)
#define REAL_MODE_MEMORY_MAX (1u << 20)	/* all that segment:offset can reach */
#define PROTECTED_MODE_MEMORY_DEFAULT (4u << 20)
#define PROTECTED_MODE_MEMORY_MAX (3ull << 30)	/* below the 32-bit device hole */

/* What a boot path loads into the special registers: flat code and data
 * segments described by a GDT it wrote, a TSS if TR.present, and the
 * control registers. */
struct cpu_flat {
	struct kvm_segment code, data, tr;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint64_t cr0, cr3, cr4, efer;
};

/* Every boot path ends here: read the special registers (KVM_GET_SREGS),
 * let EDIT change what its mode needs, write them back, then put REGS in
 * kvm_run's sync area, which KVM loads on the first KVM_RUN. */
typedef void sregs_edit(struct kvm_sregs *sregs, const void *how);
int cpu_enter(struct vm *vm, sregs_edit *edit, const void *how, const struct kvm_regs *regs,
	      const char *who);
sregs_edit cpu_load_flat;	/* HOW: a struct cpu_flat */

int cpu_setup_real(struct vm *vm, uint64_t memory_size, const char *who);
int cpu_setup_protected(struct vm *vm, struct guest_memory *mem, uint32_t entry,
			const char *who);
/* A flat 4 GB 32-bit segment of TYPE, ring 0. */
struct kvm_segment flat_segment(uint16_t selector, uint8_t type);
/* The 8-byte GDT entry a segment register's hidden part must match. */
uint64_t gdt_entry(const struct kvm_segment *s);

#endif
