/* memmap: the e820 memory map a kernel boots with, in a bzImage's zero
 * page (boot.c) or a vmlinux's PVH start info (pvh.c). */
#include <string.h>

#include "linux.h"

#define E820_RAM 1			/* e820 types (ACPI "Address Range Memory") */
#define E820_RESERVED 2
#define EBDA_START 0x9fc00		/* the top 1 KB of low memory, as a BIOS keeps it */
#define BIOS_START 0xf0000
#define HIGH_MEMORY 0x100000		/* 1 MB: where a PC's RAM goes on */

/* The memory map the kernel boots with: RAM below the EBDA and from 1 MB
 * up, the BIOS's places reserved (nothing is there, but a PC kernel
 * expects the holes). */
int linux_memory_map(uint64_t memory, struct boot_e820_entry *map) {
	const struct boot_e820_entry pc[LINUX_MEMORY_MAP_MAX] = {
		{ 0, EBDA_START, E820_RAM },
		{ EBDA_START, 0xa0000 - EBDA_START, E820_RESERVED },
		{ BIOS_START, HIGH_MEMORY - BIOS_START, E820_RESERVED },
		{ HIGH_MEMORY, memory - HIGH_MEMORY, E820_RAM },
	};

	memcpy(map, pc, sizeof(pc));
	return LINUX_MEMORY_MAP_MAX;
}
