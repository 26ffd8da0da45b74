/* memory: guest RAM and the one checked way to reach into it. */
#ifndef MEMORY_H
#define MEMORY_H

#include <stdint.h>

struct guest_memory {
	uint8_t *host;		/* where the guest's physical address 0 lives in us */
	uint64_t size;		/* bytes, a multiple of the page size */
};

/* Map SIZE bytes of zeroed anonymous memory. 0, or -1 with errno set. */
int guest_memory_map(struct guest_memory *mem, uint64_t size);
void guest_memory_unmap(struct guest_memory *mem);

/*
 * The host address of guest range [gpa, gpa + len), or NULL if any byte of it
 * lies outside guest RAM. Every address or length that comes from the guest
 * goes through here; written without additions so nothing can overflow.
 */
void *guest_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len);

#endif
