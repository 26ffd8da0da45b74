/*
 * console: where guest bytes go and come from. Output is buffered per guest
 * and written a whole line at a time. One guest: its bytes pass unchanged.
 * Several: each line gets "[name] " and goes out in one write(2) under a
 * lock, so no line ever mixes two guests.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "console.h"

int write_all(int fd, const void *buf, size_t len) {
	for (size_t done = 0; done < len;) {
		ssize_t w = write(fd, (const uint8_t *)buf + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		done += (size_t)w;
	}
	return 0;
}

static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;	/* all guests */

void console_init(struct console *c, int fd, const char *name, bool prefixed, int color) {
	int n = !prefixed ? 0 : color ? snprintf(c->prefix, sizeof(c->prefix),
						 "\033[%dm[%s]\033[0m ", color, name)
				      : snprintf(c->prefix, sizeof(c->prefix), "[%s] ", name);

	c->fd = fd;
	c->prefixed = prefixed;
	c->len = 0;
	c->prefix_len = n < 0 ? 0 : (size_t)n < sizeof(c->prefix) ? (size_t)n
					      : sizeof(c->prefix) - 1;
	c->prefix[c->prefix_len] = '\0';
}

/* The buffered bytes (plus '\n' if END_LINE), prefixed, in one write. */
static void emit(struct console *c, bool end_line) {
	char out[sizeof(c->prefix) + CONSOLE_LINE_MAX + 1];
	size_t n = c->prefix_len;
	int err;

	memcpy(out, c->prefix, n);
	memcpy(out + n, c->line, c->len);
	n += c->len;
	if (end_line)
		out[n++] = '\n';
	pthread_mutex_lock(&output_lock);
	err = write_all(c->fd, out, n);
	pthread_mutex_unlock(&output_lock);
	if (err)	/* stdout is gone: the guest is stopped (vcpu.c) */
		c->write_error = err;
	c->len = 0;
}

void console_putc(struct console *c, uint8_t byte) {
	if (c->prefixed && byte == '\n') {
		emit(c, true);
		return;
	}
	c->line[c->len++] = (char)byte;
	if (byte == '\n' || c->len == CONSOLE_LINE_MAX)
		emit(c, c->prefixed);	/* a full prefixed line is wrapped */
}

void console_write(struct console *c, const void *buf, size_t len) {
	for (size_t i = 0; i < len; i++)
		console_putc(c, ((const uint8_t *)buf)[i]);
}

void console_flush(struct console *c) {
	if (!c->prefixed && c->len > 0)
		emit(c, false);
}

void console_close(struct console *c) {
	if (c->len > 0)
		emit(c, c->prefixed);
}
