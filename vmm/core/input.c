/*
 * input: stdin, as the first guest reads it. One thread reads (the vCPU
 * thread); a device's input watch may ask at the same time whether a byte
 * is waiting, so the state -- a byte read ahead, the end -- is kept under
 * a lock. read(2) runs outside it: a guest waiting for a key must not hold
 * up the thread that would tell it one has come.
 */
#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "console.h"

void input_init(struct input *in, int fd) {
	*in = (struct input){ .fd = fd, .peeked = -1 };
	pthread_mutex_init(&in->lock, NULL);
}

/* Under the lock: IN's byte read ahead (taken if TAKE, or -1) and its end. */
static int look(struct input *in, bool take, bool *eof) {
	int byte;

	pthread_mutex_lock(&in->lock);
	byte = in->peeked;
	if (take)
		in->peeked = -1;
	*eof = in->eof && byte < 0;
	pthread_mutex_unlock(&in->lock);
	return byte;
}

/* read(2), retried when a signal interrupts it, unless that was a stop;
 * the end of input noted under the lock. */
static ssize_t read_input(struct input *in, void *dst, size_t len, const atomic_bool *stop) {
	ssize_t n;

	do
		n = read(in->fd, dst, len);
	while (n < 0 && errno == EINTR && !(stop && atomic_load(stop)));
	pthread_mutex_lock(&in->lock);
	in->eof = n == 0;
	pthread_mutex_unlock(&in->lock);
	return n;
}

ssize_t input_read(struct input *in, void *dst, size_t len, const atomic_bool *stop) {
	bool eof;
	int peeked = in && len ? look(in, true, &eof) : -1;

	if (peeked >= 0) {	/* the read-ahead byte first */
		*(uint8_t *)dst = (uint8_t)peeked;
		return 1;
	}
	return !in || !len || eof ? 0 : read_input(in, dst, len, stop);
}

int input_getc(struct input *in, const atomic_bool *stop) {
	uint8_t byte;

	return input_read(in, &byte, 1, stop) == 1 ? byte : INPUT_EOF;	/* or an error, a stop */
}

bool input_ready(struct input *in) {
	struct pollfd p = { .fd = in ? in->fd : -1, .events = POLLIN };
	uint8_t byte;
	ssize_t n;
	bool eof;

	if (!in || look(in, false, &eof) >= 0)
		return in != NULL;
	if (eof || poll(&p, 1, 0) != 1)
		return false;
	n = read_input(in, &byte, 1, NULL);
	pthread_mutex_lock(&in->lock);
	in->eof = n != 1;	/* a byte, or the end (an error ends it too) */
	in->peeked = n == 1 ? byte : -1;
	pthread_mutex_unlock(&in->lock);
	return n == 1;
}

bool input_has_byte(struct input *in) {
	bool eof;

	return in && look(in, false, &eof) >= 0;
}

bool input_ended(struct input *in) {
	bool eof = true;

	if (in)
		look(in, false, &eof);
	return eof;
}
