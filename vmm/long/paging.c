/*
 * paging: identity-mapped 4-level page tables (Intel SDM Vol. 3A, 4.5),
 * the ones a 64-bit guest (cpu.c) and a Linux kernel's 64-bit entry
 * (vmm/linux) start on. Every table lies in guest RAM, which the caller
 * has checked holds them.
 */
#include "long.h"

#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull
#define GB (1ull << 30)

static uint64_t *table(struct guest_memory *mem, uint64_t gpa) {
	return guest_ptr(mem, gpa, PAGE_4K);
}

void identity_map_build(struct guest_memory *mem, const struct identity_map *map) {
	uint64_t flags = PTE_PRESENT | PTE_WRITABLE | (map->user ? PTE_USER : 0);
	uint64_t *pdpt = table(mem, map->pdpt);

	table(mem, map->pml4)[0] = map->pdpt | flags;
	for (uint64_t gb = 0; gb * GB < map->size; gb++) {
		uint64_t *pd = table(mem, map->pd + gb * PAGE_4K);

		pdpt[gb] = (map->pd + gb * PAGE_4K) | flags;
		for (uint64_t i = 0; i < 512 && gb * GB + i * PAGE_2M < map->size; i++)
			pd[i] = (gb * GB + i * PAGE_2M) | flags | PTE_LARGE;
	}
	if (!map->pt)
		return;
	table(mem, map->pd)[0] = map->pt | flags;	/* the first 2 MB: 4 KB pages */
	for (uint64_t i = 0; i < 512 && i * PAGE_4K < map->size; i++)
		table(mem, map->pt)[i] = i * PAGE_4K | PTE_PRESENT | PTE_WRITABLE |
			(map->user && i * PAGE_4K >= map->supervisor_end ? PTE_USER : 0);
}
