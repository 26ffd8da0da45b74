/* common.h: common.c, shared by the kernel and the user programs. */
#ifndef OS_COMMON_H
#define OS_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
/* %s %c %d %u %x, an optional 0 flag and width; returns the full length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif
