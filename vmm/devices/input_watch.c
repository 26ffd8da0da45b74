/*
 * input_watch: a thread that watches stdin for a device that interrupts
 * (the keyboard's IRQ1, the UART's IRQ4), so the guest can sleep in HLT
 * while it waits instead of polling. The vCPU thread cannot do it: it is
 * inside KVM_RUN, or the guest is halted inside the kernel.
 *
 * One call of READY per byte: it comes when a byte arrives (or stdin
 * ends), then the watch waits until the device says the guest has read
 * it (input_watch_guest_read). While the byte stays unread, READY comes
 * again every INPUT_WATCH_REPEAT_MS: an interrupt raised before the guest
 * had set up its interrupt controller is lost (initialising an 8259, ICW1,
 * drops pending edge-triggered requests: 8259A data sheet; KVM's i8259.c
 * does the same), and the guest would otherwise sleep forever.
 */
#include <poll.h>

#include "devices.h"

#define INPUT_WATCH_POLL_MS 50		/* how soon the thread sees a stop request */
#define INPUT_WATCH_REPEAT_MS 50	/* READY again while a byte waits unread */

void input_watch_init(struct input_watch *w, struct input *in, void (*ready)(void *arg),
		      void *arg, confine_fn *confine, const char *who) {
	*w = (struct input_watch){ .in = in, .ready = ready, .arg = arg, .confine = confine,
				   .who = who };
	atomic_init(&w->armed, true);
}

/* Wait until stdin has a byte (or has ended) that the guest has not been
 * told about, or until it is time to tell it again. */
static bool input_watch_wait(struct input_watch *w, struct pollfd *p) {
	if (atomic_load(&w->armed))
		return poll(p, 1, INPUT_WATCH_POLL_MS) == 1 && atomic_exchange(&w->armed, false);
	poll(NULL, 0, INPUT_WATCH_REPEAT_MS);	/* a sleep that the seccomp filter allows */
	return !atomic_load(&w->armed);		/* still unread: tell it again */
}

static void *input_watch_thread(void *arg) {
	struct input_watch *w = arg;
	struct pollfd p = { .fd = w->in->fd, .events = POLLIN };

	if (w->confine && w->confine(NULL, w->who))
		return NULL;	/* said why; the guest runs on without the interrupt */
	while (!atomic_load(&w->stop) && !atomic_load(&w->at_end)) {
		if (input_watch_wait(w, &p))
			w->ready(w->arg);
	}
	return NULL;
}

/* The guest has looked at the device's input: TOOK_BYTE, it read a byte
 * (arm the next READY). Once stdin has ended, no READY is needed again. */
void input_watch_guest_read(struct input_watch *w, bool took_byte) {
	if (took_byte)
		atomic_store(&w->armed, true);
	if (input_ended(w->in))
		atomic_store(&w->at_end, true);
}

int input_watch_start(struct input_watch *w) {
	if (!w->in)
		return 0;	/* nothing to watch: a guest without stdin */
	w->started = pthread_create(&w->thread, NULL, input_watch_thread, w) == 0;
	return w->started ? 0 : -1;
}

void input_watch_stop(struct input_watch *w) {
	if (!w->started)
		return;
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	w->started = false;
}
