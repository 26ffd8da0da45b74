/* hello: a 64-bit guest in C, on the SDK. It runs in ring 3 of long mode
 * on page tables mini-kvm built; main gets the memory size. */
#include "sdk.h"

int main(uint64_t memory_size) {
	printf("Hello from 64-bit long mode!\n");
	printf("memory: %llu MB, a 64-bit number: %llu\n",
	       (unsigned long long)(memory_size >> 20), 1ull << 40);
	return 0;
}
