/*
 * x86.h: the architecture's own numbers that more than one module sets:
 * control-register, EFER and RFLAGS bits, page-table entry bits, segment
 * descriptor types (Intel SDM Vol. 3A, chapters 2-4), and the two helpers
 * that turn a segment into what the CPU and KVM want (cpu_mode.c).
 */
#ifndef VMM_X86_H
#define VMM_X86_H

#include <linux/kvm.h>
#include <stdint.h>

#define RFLAGS_FIXED 0x2	/* bit 1 of RFLAGS is always 1 (SDM Vol. 1, 3.4.3) */

#define CR0_PE 0x1		/* protection enable (SDM Vol. 3A, 2.5) */
#define CR0_MP 0x2
#define CR0_ET 0x10		/* extension type: hard-wired to 1 since the i486 */
#define CR0_NE 0x20		/* x87 errors as exceptions; VT-x wants it set */
#define CR0_WP 0x10000
#define CR0_PG 0x80000000u
#define CR4_PAE 0x20
#define CR4_OSFXSR 0x200	/* SSE instructions allowed (SDM Vol. 3A, 2.5) */
#define CR4_OSXMMEXCPT 0x400
#define EFER_LME 0x100		/* long mode enable, and active (SDM Vol. 3A, 2.2.1) */
#define EFER_LMA 0x400
/* DR7: L0-L3 enable the four breakpoints; R/W and LEN 0 mean "on execution
 * of one byte" (SDM Vol. 3B, 17.2.4). Bit 10 is reserved as 1. */
#define DR7_FIXED 0x400
#define DR7_LOCAL_ENABLE(i) (1u << (2 * (i)))

#define PTE_PRESENT 0x1		/* page-table entries (SDM Vol. 3A, 4.5) */
#define PTE_WRITABLE 0x2
#define PTE_USER 0x4
#define PTE_LARGE 0x80		/* in a page directory: a 2 MB page */

/* Segment descriptor types (SDM Vol. 3A, 3.4.5.1, Tables 3-1 and 3-2). */
#define SEG_TYPE_CODE_EXEC_READ_ACCESSED 0xb	/* S = 1 */
#define SEG_TYPE_DATA_READ_WRITE_ACCESSED 0x3
#define SEG_TYPE_TSS_AVAILABLE 0x9		/* S = 0: a 32/64-bit TSS ... */
#define SEG_TYPE_TSS_BUSY 0xb			/* ... and the same marked busy by LTR */
#define GATE_INTERRUPT_32 0x8e	/* present, DPL 0, 32-bit interrupt gate */

/* A 64-bit code segment (TYPE code) or data segment for privilege level DPL. */
struct kvm_segment long_segment(uint16_t selector, uint8_t type, uint8_t dpl);
/* The 8-byte GDT entry a segment register's hidden part must match. */
uint64_t gdt_entry(const struct kvm_segment *s);

#endif
