/* lib.c: the user library: strings, printf, line input with echo. */
#include "user.h"

unsigned strlen(const char *s) {
	unsigned n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b) {
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

void print(const char *s) {
	write(s, strlen(s));
}

/* printf builds the whole line in a buffer: one system call per printf. */
struct out { char buf[256]; unsigned len; };

static void put(struct out *o, char c) {
	if (o->len == sizeof(o->buf)) {
		write(o->buf, o->len);
		o->len = 0;
	}
	o->buf[o->len++] = c;
}

static void put_number(struct out *o, unsigned n, int negative, int width) {
	char digits[12];
	int i = 0;

	do
		digits[i++] = (char)('0' + n % 10);
	while (n /= 10);
	if (negative)
		digits[i++] = '-';
	for (int pad = width - i; pad > 0; pad--)
		put(o, ' ');
	while (i > 0)
		put(o, digits[--i]);
}

void printf(const char *fmt, ...) {
	struct out o = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		int width = 0;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			width = width * 10 + (*++fmt - '0');
		switch (*++fmt) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(&o, *s);
			break;
		case 'c': put(&o, (char)va_arg(ap, int)); break;
		case 'u': put_number(&o, va_arg(ap, unsigned), 0, width); break;
		case 'd': {
			int v = va_arg(ap, int);

			put_number(&o, v < 0 ? 0u - (unsigned)v : (unsigned)v, v < 0, width);
			break;
		}
		default: put(&o, *fmt); break;
		}
	}
	va_end(ap);
	write(o.buf, o.len);
}

/* Read a line, echoing it as a terminal would; backspace erases. */
int readline(const char *prompt, char *buf, unsigned size) {
	unsigned len = 0;

	print(prompt);
	for (;;) {
		int c = getchar();

		if (c < 0 && len == 0)
			return -1;
		if (c < 0 || c == '\n' || c == '\r') {
			print("\n");
			buf[len] = '\0';
			return (int)len;
		}
		if ((c == 0x7f || c == '\b') && len > 0) {
			len--;
			print("\b \b");
		} else if (c >= ' ' && c < 0x7f && len < size - 1) {
			buf[len++] = (char)c;
			write(&buf[len - 1], 1);
		}
	}
}

int parse_int(const char **s, int *value) {
	const char *p = *s;
	int sign = 1, n = 0, digits = 0;

	while (*p == ' ')
		p++;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	while (*p >= '0' && *p <= '9' && digits < 9)
		n = n * 10 + (*p++ - '0'), digits++;
	if (!digits)
		return 0;
	*value = sign * n;
	*s = p;
	return 1;
}

const char *fs_error(int code) {
	switch (code) {
	case FS_ERR_NO_DISK: return "no disk";
	case FS_ERR_CORRUPT: return "the disk's file system is corrupt";
	case FS_ERR_NOT_FOUND: return "no such file";
	case FS_ERR_FULL: return "the directory is full";
	case FS_ERR_TOO_BIG: return "too big for a file";
	case FS_ERR_IO: return "disk error";
	case FS_ERR_NAME: return "bad file name";
	default: return "unknown error";
	}
}
