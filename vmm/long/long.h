/*
 * long.h: 64-bit guests. ELF64 files (elf64.c), 4-level page tables
 * mapping guest RAM 1:1 (paging.c), and the long-mode CPU state a 64-bit
 * guest starts in (cpu.c; include/mini-kvm/boot.h is its contract). The
 * Linux board (vmm/linux) builds its entry state from the same parts.
 */
#ifndef LONG_LONG_H
#define LONG_LONG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/guest.h"
#include "x86.h"

extern const struct elf_class elf_class64;

/* Page tables that map [0, SIZE) 1:1 with 2 MB pages: a PML4 with one
 * entry, a PDPT, one page directory per GB from PD on (consecutive pages).
 * With PT, the first 2 MB use 4 KB pages instead, from that page table, and
 * [0, SUPERVISOR_END) stays out of ring 3's reach. USER: ring 3 may use
 * the rest. */
struct identity_map {
	uint64_t pml4, pdpt, pd, pt;
	uint64_t size, supervisor_end;
	bool user;
};
void identity_map_build(struct guest_memory *mem, const struct identity_map *map);

/* A 64-bit code segment (TYPE code) or data segment for privilege level DPL. */
struct kvm_segment long_segment(uint16_t selector, uint8_t type, uint8_t dpl);
/* Ring 3 of long mode at ENTRY. KVM accepts EFER.LME only from a vCPU
 * whose CPUID has long mode: KVM_SET_CPUID2 comes first. */
int cpu_setup_long(struct vm *vm, struct guest_memory *mem, uint64_t entry, const char *who);

#endif
