/* lib.c: the two memory functions the compiler may call on its own. */
#include "kernel.h"

void *memset(void *dst, int c, size_t n) {
	uint8_t *d = dst;

	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}
