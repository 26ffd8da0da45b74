/* memory: guest RAM (an anonymous mapping) and guest_ptr, its bounds check. */
#include <sys/mman.h>

#include "vmm.h"

int guest_memory_map(struct guest_memory *mem, uint64_t size) {
	/* MAP_NORESERVE: a 1 MB guest that touches 4 KB costs 4 KB. */
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return -1;
	*mem = (struct guest_memory){ .host = p, .size = size };
	return 0;
}

void guest_memory_unmap(struct guest_memory *mem) {
	if (mem->host)
		munmap(mem->host, mem->size);
	*mem = (struct guest_memory){ 0 };
}

/* Every guest-given address and length goes through here. No addition:
 * nothing can overflow, whatever the guest passes. */
void *guest_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len) {
	if (len > mem->size || gpa > mem->size - len)
		return NULL;
	return mem->host + gpa;
}
