/* common.c: the little of libc that the kernel and the user programs both
 * need -- memory and string functions, and printf-style formatting -- one
 * copy, linked into each (as common.c in "Operating System in 1,000 Lines"). */
#include "common.h"

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

int memcmp(const void *a, const void *b, size_t n) {
	const uint8_t *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s) {
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b) {
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

struct out { char *buf; size_t size, len; };

static void put(struct out *o, char c) {
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_number(struct out *o, uint32_t n, unsigned base, int negative, int width,
		       char pad) {
	char digits[12];
	int i = 0;

	do
		digits[i++] = "0123456789abcdef"[n % base];
	while (n /= base);
	if (negative)
		digits[i++] = '-';
	while (width-- > i)
		put(o, pad);
	while (i > 0)
		put(o, digits[--i]);
}

/* %s %c %d %u %x, with an optional 0 flag and width. Returns the length. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (fmt[1] == '0')
			pad = '0', fmt++;
		while (fmt[1] >= '0' && fmt[1] <= '9')
			width = width * 10 + (*++fmt - '0');
		switch (*++fmt) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(&o, *s);
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case 'd': {
			int v = va_arg(ap, int);

			put_number(&o, v < 0 ? 0u - (uint32_t)v : (uint32_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u': put_number(&o, va_arg(ap, uint32_t), 10, 0, width, pad); break;
		case 'x': put_number(&o, va_arg(ap, uint32_t), 16, 0, width, pad); break;
		case '\0': fmt--; break;	/* a lone % at the end */
		default: put(&o, *fmt); break;
		}
	}
	if (size)
		buf[o.len] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...) {
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
