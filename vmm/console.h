/*
 * console: where guest bytes go and come from.
 *
 * Output is buffered per guest and written a whole line at a time. With one
 * guest the bytes pass through unchanged; with several, every line gets the
 * guest's "[name] " prefix and one write(2) under a lock, so no line ever
 * mixes two guests. Input is stdin, read through one buffer.
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONSOLE_LINE_MAX 4096	/* a longer prefixed line is wrapped */
#define CONSOLE_PREFIX_MAX 96

struct console {
	int fd;
	bool prefixed;		/* several guests: prefix and whole lines only */
	char prefix[CONSOLE_PREFIX_MAX];
	size_t prefix_len;
	char line[CONSOLE_LINE_MAX];
	size_t len;
};

/* COLOR: an ANSI colour number 31-36, or 0 for a plain prefix. */
void console_init(struct console *c, int fd, const char *name, bool prefixed,
		  int color);
void console_putc(struct console *c, uint8_t byte);
void console_write(struct console *c, const void *buf, size_t len);
/* Write out what is pending. Prefixed consoles only ever write whole lines,
 * so for them this does nothing. Call it before blocking on input. */
void console_flush(struct console *c);
/* At the guest's end: flush, and end a prefixed partial line with '\n'. */
void console_close(struct console *c);

#define INPUT_EOF  (-1)
#define INPUT_INTR (-2)		/* a signal interrupted the wait */

struct input {
	int fd;
	bool eof;		/* sticky: once seen, later reads return EOF too */
	size_t pos, len;
	uint8_t buf[4096];
};

void input_init(struct input *in, int fd);
/* Next byte (0-255), INPUT_EOF or INPUT_INTR. IN may be NULL: no input. */
int input_getc(struct input *in);
/* Up to LEN bytes: what one read(2) gives (0 at EOF); -1 with errno on error. */
ssize_t input_read(struct input *in, void *dst, size_t len);
/* Without blocking: is a byte waiting? */
bool input_ready(struct input *in);

#endif
