/* exit-code: a 64-bit guest's main returns 42: the exit status. First it
 * writes the last 8 bytes of its memory: all of RAM must be mapped. */
#include "sdk.h"

int main(uint64_t memory_size) {
	*(volatile uint64_t *)(uintptr_t)(memory_size - 8) = memory_size;
	printf("memory %llu bytes\n", (unsigned long long)memory_size);
	return 42;
}
