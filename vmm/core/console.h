/*
 * console.h: a guest's console. Output (console.c) is buffered per guest
 * and written a whole line at a time; input (input.c) is stdin, which only
 * the first guest reads.
 */
#ifndef CORE_CONSOLE_H
#define CORE_CONSOLE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONSOLE_LINE_MAX 4096	/* a longer prefixed line is wrapped */
struct console {
	int fd;
	bool prefixed;		/* several guests: "[name] " and whole lines only */
	char prefix[96], line[CONSOLE_LINE_MAX];
	size_t prefix_len, len;
	atomic_int write_error;	/* errno of a failed write: the output is lost (any vCPU
				   thread reads it, outside the bus lock) */
};
void console_init(struct console *c, int fd, const char *name, bool prefixed, int color);
void console_putc(struct console *c, uint8_t byte);
void console_write(struct console *c, const void *buf, size_t len);
void console_flush(struct console *c);	/* before waiting for input */
void console_close(struct console *c);
/* write(2) all of LEN bytes, again after EINTR: 0, or the errno that stopped it. */
int write_all(int fd, const void *buf, size_t len);

/*
 * Input. A vCPU thread reads it (hypercalls, the UART, the keyboard: one
 * at a time, under the guest's bus lock); a
 * device's input watch thread (vmm/devices) asks whether a byte is
 * waiting. The lock keeps the two apart; read(2) itself runs outside it.
 * Every function takes NULL: a guest without stdin, always at its end.
 */
#define INPUT_EOF (-1)
struct input {
	int fd;
	pthread_mutex_t lock;
	bool eof;		/* sticky: once at the end, always at the end */
	int peeked;		/* a byte read ahead by input_ready(), or -1 */
};
void input_init(struct input *in, int fd);
/* A byte or INPUT_EOF (the end, an error, or STOP set while waiting). */
int input_getc(struct input *in, const atomic_bool *stop);
ssize_t input_read(struct input *in, void *dst, size_t len, const atomic_bool *stop);
bool input_ready(struct input *in);	/* a byte can be read now; never blocks */
bool input_has_byte(struct input *in);	/* a byte was read ahead; no I/O */
bool input_ended(struct input *in);	/* stdin has ended; no I/O */

#endif
