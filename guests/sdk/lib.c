/* lib.c: the SDK's small libc: formatting, and the memory functions the
 * compiler may call on its own. */
#include "sdk.h"

size_t strlen(const char *s) {
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

void *memset(void *dst, int c, size_t n) {
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

struct out { char *buf; size_t size, len; };

static void put(struct out *o, char c) {
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, uint64_t n, unsigned base, int negative, int width,
		       char pad) {
	char digits[24];
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

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) {
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (fmt[1] == '0')
			pad = '0', fmt++;
		while (fmt[1] >= '0' && fmt[1] <= '9')
			width = width * 10 + (*++fmt - '0');
		while (fmt[1] == 'l')
			longs++, fmt++;
		switch (*++fmt) {
		case 'd': {
			int64_t v = longs ? va_arg(ap, int64_t) : va_arg(ap, int);

			put_number(&o, v < 0 ? 0 - (uint64_t)v : (uint64_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u': case 'x':
			put_number(&o, longs ? va_arg(ap, uint64_t) : va_arg(ap, unsigned),
				   *fmt == 'x' ? 16 : 10, 0, width, pad);
			break;
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(&o, *s);
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case '\0': fmt--; break;
		default: put(&o, *fmt); break;
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int printf(const char *fmt, ...) {
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	hc_write(buf, n < (int)sizeof(buf) ? (uint32_t)n : sizeof(buf) - 1);
	return n;
}
