/*
 * console: where guest bytes go and come from. Output is buffered per guest
 * and written a whole line at a time. One guest: its bytes pass unchanged.
 * Several: each line gets "[name] " and goes out in one write(2) under a
 * lock, so no line ever mixes two guests. Input is stdin.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vmm.h"

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
	size_t n = c->prefix_len, done = 0;

	memcpy(out, c->prefix, n);
	memcpy(out + n, c->line, c->len);
	n += c->len;
	if (end_line)
		out[n++] = '\n';
	pthread_mutex_lock(&output_lock);
	while (done < n) {
		ssize_t w = write(c->fd, out + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {	/* stdout is gone: the guest is stopped (vcpu.c) */
			c->write_error = w < 0 ? errno : EIO;
			break;
		}
		done += (size_t)w;
	}
	pthread_mutex_unlock(&output_lock);
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

void input_init(struct input *in, int fd) {
	*in = (struct input){ .fd = fd, .peeked = -1 };
}

/* read(2), retried when a signal interrupts it, unless that was a stop. */
static ssize_t read_input(struct input *in, void *dst, size_t len, const atomic_bool *stop) {
	ssize_t n;

	do
		n = read(in->fd, dst, len);
	while (n < 0 && errno == EINTR && !(stop && atomic_load(stop)));
	return n;
}

int input_getc(struct input *in, const atomic_bool *stop) {
	uint8_t byte;
	ssize_t n;

	if (in && in->peeked >= 0) {
		byte = (uint8_t)in->peeked;
		in->peeked = -1;
		return byte;
	}
	if (!in || in->eof)
		return INPUT_EOF;
	n = read_input(in, &byte, 1, stop);
	in->eof = n == 0;
	return n == 1 ? byte : INPUT_EOF;	/* the end, an error, or a stop */
}

ssize_t input_read(struct input *in, void *dst, size_t len, const atomic_bool *stop) {
	ssize_t n;

	if (in && len > 0 && in->peeked >= 0) {	/* the read-ahead byte first */
		*(uint8_t *)dst = (uint8_t)input_getc(in, stop);
		return 1;
	}
	if (!in || len == 0 || in->eof)
		return 0;
	n = read_input(in, dst, len, stop);
	in->eof = n == 0;
	return n;
}

bool input_ready(struct input *in) {
	struct pollfd p = { .fd = in ? in->fd : -1, .events = POLLIN };
	uint8_t byte;

	if (in && in->peeked < 0 && !in->eof && poll(&p, 1, 0) == 1) {
		in->eof = read_input(in, &byte, 1, NULL) != 1;	/* ready, or at the end */
		in->peeked = in->eof ? -1 : byte;
	}
	return in && in->peeked >= 0;
}
