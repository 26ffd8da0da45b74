/*
 * kbd: stdin as a keyboard controller, the i8042's two ports reduced to
 * what a guest needs (include/mini-kvm/boot.h): status at 0x64 says a byte
 * is waiting (or that stdin has ended), data at 0x60 reads it. With an
 * irqchip, a thread watches stdin and raises IRQ1 for each byte, so the
 * guest can sleep in HLT instead of polling.
 *
 * "armed" makes it one interrupt per byte: the thread raises IRQ1 when a
 * byte arrives, then waits for the guest to read port 0x60. While the byte
 * stays unread it raises IRQ1 again every KBD_REPEAT_MS: an edge that came
 * before the guest had set up its 8259 is lost (initialising the PIC,
 * ICW1, drops pending edge-triggered requests: 8259A data sheet; KVM's
 * i8259.c does the same), and the guest would otherwise sleep forever.
 */
#include <poll.h>

#include <mini-kvm/boot.h>

#include "vmm.h"

#define KBD_POLL_MS 50		/* how soon the thread sees a stop request */
#define KBD_REPEAT_MS 50	/* IRQ1 again while a byte waits unread */

void kbd_init(struct kbd *k, struct input *in, struct console *out, struct vm *vm, bool confine,
	      const char *who) {
	*k = (struct kbd){ .in = in, .out = out, .vm = vm, .confine = confine, .who = who };
	atomic_init(&k->armed, true);
}

/* No byte waiting: the guest is about to wait for one, so its prompt
 * (a line not yet ended) must be out first. */
static uint32_t kbd_status(struct kbd *k) {
	if (input_ready(k->in))
		return KBD_STATUS_OUTPUT_FULL;
	console_flush(k->out);
	return !k->in || k->in->eof ? KBD_STATUS_END_OF_INPUT : 0;
}

int kbd_io(void *kbd, uint16_t offset, struct pio_access *access) {
	struct kbd *k = kbd;
	int byte;

	if (access->is_write)	/* controller commands: none is needed */
		return GUEST_RUNNING;
	(void)offset;	/* two one-port claims: the port says which */
	if (access->port == KBD_STATUS_PORT) {
		access->value = kbd_status(k);
	} else {
		byte = input_ready(k->in) ? input_getc(k->in, NULL) : INPUT_EOF;
		access->value = byte < 0 ? 0 : (uint32_t)byte;
		atomic_store(&k->armed, true);
	}
	if (!k->in || k->in->eof)
		atomic_store(&k->at_end, true);	/* the guest has seen the end */
	return GUEST_RUNNING;
}

/* Wait until stdin has a byte (or has ended) that the guest has not been
 * told about, or until it is time to tell it again. */
static bool kbd_wait(struct kbd *k, struct pollfd *p) {
	if (atomic_load(&k->armed))
		return poll(p, 1, KBD_POLL_MS) == 1 && atomic_exchange(&k->armed, false);
	poll(NULL, 0, KBD_REPEAT_MS);	/* a sleep that the seccomp filter allows */
	return !atomic_load(&k->armed);	/* still unread: raise it again */
}

static void *kbd_thread(void *arg) {
	struct kbd *k = arg;
	struct pollfd p = { .fd = k->in->fd, .events = POLLIN };

	if (k->confine && seccomp_confine(-1, k->who))
		return NULL;	/* said why; the guest runs on without IRQ1 */
	while (!atomic_load(&k->stop) && !atomic_load(&k->at_end)) {
		if (kbd_wait(k, &p) && vm_irq_pulse(k->vm, KBD_IRQ, k->who) < 0)
			break;
	}
	return NULL;
}

/* Interrupts need an irqchip and something to read. */
int kbd_start(struct kbd *k) {
	if (!k->vm->irqchip || !k->in)
		return 0;
	k->started = pthread_create(&k->thread, NULL, kbd_thread, k) == 0;
	return k->started ? 0 : -1;
}

void kbd_stop(struct kbd *k) {
	if (!k->started)
		return;
	atomic_store(&k->stop, true);
	pthread_join(k->thread, NULL);
	k->started = false;
}
