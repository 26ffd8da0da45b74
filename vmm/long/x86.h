/*
 * x86.h: the architecture's numbers beyond the seed's two modes, which the
 * extras set: control-register and EFER bits for paging and long mode,
 * page-table entry bits, debug-register bits, system segment and gate
 * types (Intel SDM Vol. 3A, chapters 2-6; Vol. 3B, chapter 17). The
 * seed's own are in core/cpu.h.
 */
#ifndef LONG_X86_H
#define LONG_X86_H

#define CR0_MP 0x2
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
#define PTE_LARGE 0x80		/* in a page directory: a 2 MB (4 MB) page */

#define SEG_TYPE_TSS_AVAILABLE 0x9	/* S = 0: a 32/64-bit TSS ... */
#define SEG_TYPE_TSS_BUSY 0xb		/* ... and the same marked busy by LTR */
#define GATE_INTERRUPT_32 0x8e		/* present, DPL 0, 32-bit interrupt gate */

#endif
