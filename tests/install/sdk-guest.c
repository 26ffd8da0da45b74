/* sdk-guest: a 64-bit guest built only against an installed mini-kvm SDK
 * (make install): the header by its installed name, nothing from the tree. */
#include <mini-kvm/sdk.h>

int main(uint64_t memory_size) {
	printf("built against the installed SDK, %d MB\n", (int)(memory_size >> 20));
	return 7;
}
