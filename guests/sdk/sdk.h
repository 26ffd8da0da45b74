/*
 * sdk.h: everything a 64-bit mini-kvm guest in C needs: the hypercalls as
 * functions, a tiny printf, and the clock. A guest is one C file with a
 * main(uint64_t memory_size); guests/sdk/start.S calls it and exits with
 * its result. docs/writing-guests.md shows one end to end.
 */
#ifndef MINI_KVM_SDK_H
#define MINI_KVM_SDK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <mini-kvm/hypercall.h>

/* One hypercall: number in EAX, arguments in EBX and ECX, OUT to HC_PORT
 * (ring 3 may: the TSS I/O bitmap opens it), result in EAX. */
static inline uint32_t hypercall(uint32_t nr, uint64_t a, uint64_t b) {
	uint32_t result;

	__asm__ volatile("outl %%eax, %%dx" : "=a"(result)
			 : "a"(nr), "b"(a), "c"(b), "d"(HC_PORT) : "memory");
	return result;
}

static inline void hc_putchar(char c) { hypercall(HC_PUTCHAR, (uint8_t)c, 0); }
static inline uint32_t hc_write(const void *buf, uint32_t len) {
	return hypercall(HC_WRITE, (uint64_t)(uintptr_t)buf, len);
}
static inline int hc_getchar(void) {
	uint32_t c = hypercall(HC_GETCHAR, 0, 0);

	return c == HC_EOF ? -1 : (int)c;
}
static inline __attribute__((noreturn)) void hc_exit(int code) {
	hypercall(HC_EXIT_STATUS, (uint32_t)code, 0);
	for (;;)
		;
}

/* Nanoseconds since the guest started (HC_CLOCK returns EDX:EAX). */
static inline uint64_t hc_clock_ns(void) {
	uint32_t lo, hi;

	__asm__ volatile("outl %%eax, %%dx" : "=a"(lo), "=d"(hi)
			 : "a"(HC_CLOCK), "d"(HC_PORT) : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* printf with %d %u %x %s %c and %l/%ll for 64 bits, an optional width and
 * 0 flag; one HC_WRITE per call (up to 256 bytes). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
size_t strlen(const char *s);
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif
