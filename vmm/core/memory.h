/*
 * memory.h: guest RAM, and guest_ptr(), the one checked way into it. Every
 * address and length a guest gives passes through guest_ptr() before use.
 */
#ifndef CORE_MEMORY_H
#define CORE_MEMORY_H

#include <stdint.h>

struct guest_memory {
	uint8_t *host;		/* where guest-physical address 0 is, in our memory */
	uint64_t size;
};

int guest_memory_map(struct guest_memory *mem, uint64_t size);
void guest_memory_unmap(struct guest_memory *mem);
uint64_t guest_memory_resident(const struct guest_memory *mem);
/* The host address of [GPA, GPA + LEN), or NULL if any byte is outside RAM. */
void *guest_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len);

#endif
