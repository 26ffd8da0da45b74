/* lib.c: the user library: printf, line input with echo, numbers, file errors
 * (strings and formatting come from os/common/common.c). */
#include "user.h"

void print(const char *s) {
	write(s, strlen(s));
}

/* One system call per printf: the line is formatted first (common.c). */
void printf(const char *fmt, ...) {
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	write(buf, n < (int)sizeof(buf) ? (unsigned)n : sizeof(buf) - 1);
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
