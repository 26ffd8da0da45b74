/* console: guest output (line-buffered, prefixed when several guests) and stdin. */
#include "console.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Serialises the writes of all guests sharing stdout. */
static pthread_mutex_t output_lock = PTHREAD_MUTEX_INITIALIZER;

void console_init(struct console *c, int fd, const char *name, bool prefixed,
		  int color)
{
	int n = 0;

	c->fd = fd;
	c->prefixed = prefixed;
	c->len = 0;
	if (prefixed && color)
		n = snprintf(c->prefix, sizeof(c->prefix), "\033[%dm[%s]\033[0m ",
			     color, name);
	else if (prefixed)
		n = snprintf(c->prefix, sizeof(c->prefix), "[%s] ", name);
	c->prefix_len = n < 0 ? 0 : (size_t)n >= sizeof(c->prefix)
			? sizeof(c->prefix) - 1 : (size_t)n;
	c->prefix[c->prefix_len] = '\0';
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* stdout is gone: the guest's output is lost */
		buf += n;
		len -= (size_t)n;
	}
}

/* Emit the buffer, prefixed if needed, as one write under the lock. */
static void emit(struct console *c, bool end_line)
{
	char out[CONSOLE_PREFIX_MAX + CONSOLE_LINE_MAX + 1];
	size_t n = 0;

	if (c->len == 0 && !end_line)
		return;
	memcpy(out, c->prefix, c->prefix_len);
	n = c->prefix_len;
	memcpy(out + n, c->line, c->len);
	n += c->len;
	if (end_line)
		out[n++] = '\n';
	pthread_mutex_lock(&output_lock);
	write_all(c->fd, out, n);
	pthread_mutex_unlock(&output_lock);
	c->len = 0;
}

void console_putc(struct console *c, uint8_t byte)
{
	if (c->prefixed && byte == '\n') {
		emit(c, true);
		return;
	}
	c->line[c->len++] = (char)byte;
	if (byte == '\n' || c->len == sizeof(c->line))
		emit(c, c->prefixed);	/* a full prefixed line is wrapped */
}

void console_write(struct console *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		console_putc(c, p[i]);
}

void console_flush(struct console *c)
{
	if (!c->prefixed)
		emit(c, false);
}

void console_close(struct console *c)
{
	if (c->len > 0)
		emit(c, c->prefixed);
}

void input_init(struct input *in, int fd)
{
	in->fd = fd;
	in->eof = false;
	in->pos = in->len = 0;
}

/* Refill the empty buffer with one read(2): 1 data, 0 EOF, -1 error. */
static int refill(struct input *in)
{
	ssize_t n = read(in->fd, in->buf, sizeof(in->buf));

	if (n < 0)
		return -1;
	in->pos = 0;
	in->len = (size_t)n;
	in->eof = n == 0;
	return n > 0;
}

int input_getc(struct input *in)
{
	if (!in || in->eof)
		return INPUT_EOF;
	if (in->pos == in->len) {
		int r = refill(in);

		if (r < 0)
			return errno == EINTR ? INPUT_INTR : INPUT_EOF;
		if (r == 0)
			return INPUT_EOF;
	}
	return in->buf[in->pos++];
}

ssize_t input_read(struct input *in, void *dst, size_t len)
{
	size_t n;

	if (!in || in->eof || len == 0)
		return 0;
	if (in->pos == in->len) {
		int r = refill(in);

		if (r <= 0)
			return r;
	}
	n = in->len - in->pos < len ? in->len - in->pos : len;
	memcpy(dst, in->buf + in->pos, n);
	in->pos += n;
	return (ssize_t)n;
}

bool input_ready(struct input *in)
{
	struct pollfd p;

	if (!in || in->eof)
		return false;
	if (in->pos < in->len)
		return true;
	p = (struct pollfd){ .fd = in->fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && refill(in) == 1;
}
