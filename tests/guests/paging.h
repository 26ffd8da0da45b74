/*
 * paging.h: 32-bit paging for the test guests, the smallest way: two 4 MB
 * pages mapping the first 8 MB 1:1 (Intel SDM Vol. 3A, 4.3, Table 4-4),
 * then CR4.PSE and CR0.PG on.
 */
#ifndef TEST_GUEST_PAGING_H
#define TEST_GUEST_PAGING_H

#include "guest.h"

#define PDE_PRESENT 0x001
#define PDE_WRITABLE 0x002
#define PDE_4MB_PAGE 0x080
#define CR4_PSE 0x10
#define CR0_PG 0x80000000u

static uint32_t page_directory[1024] __attribute__((aligned(4096)));

static inline void paging_on_first_8mb(void) {
	uint32_t cr;

	for (uint32_t i = 0; i < 2; i++)
		page_directory[i] = (i << 22) | PDE_4MB_PAGE | PDE_WRITABLE | PDE_PRESENT;
	__asm__ volatile("mov %0, %%cr3" : : "r"(page_directory) : "memory");
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr | CR4_PSE));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr | CR0_PG) : "memory");
}

#endif
