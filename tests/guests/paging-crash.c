/*
 * paging-crash: a protected-mode guest that turns on 32-bit paging (4 MB
 * pages mapping the first 8 MB 1:1: paging.h), then jumps to 6 MB, mapped
 * but past its 4 MB of RAM: KVM cannot fetch an instruction there and exits
 * with an emulation failure, CR0.PG still set. So the crash report asks the
 * host probe (vmm/host/probe.c) whether this host's KVM could page at all.
 */
#include "paging.h"

#define PAST_RAM 0x600000

int main(void) {
	paging_on_first_8mb();
	((void (*)(void))PAST_RAM)();
	return 0;
}
