/*
 * protection: a 64-bit guest that tries what ring 3 must not do, chosen by
 * the first stdin byte: 1 write its page tables, 2 HLT, 3 CLI, 4 OUT to a
 * port past the I/O bitmap, 5 read past the end of RAM. Each must end the
 * guest (no IDT: a triple fault); the guest exits 9 if it survives.
 */
#include "sdk.h"

#include <mini-kvm/boot.h>

int main(uint64_t memory_size) {
	volatile uint64_t *far = (volatile uint64_t *)(uintptr_t)(memory_size + 4096);

	printf("trying\n");
	switch (hc_getchar()) {
	case '1': *(volatile uint64_t *)LONG_PML4 = 0; break;
	case '2': __asm__ volatile("hlt"); break;
	case '3': __asm__ volatile("cli"); break;
	case '4': __asm__ volatile("outb %%al, %%dx" : : "a"(0), "d"(LONG_IO_PORTS)); break;
	case '5': (void)*far; break;
	default: return 0;
	}
	printf("survived\n");
	return 9;
}
