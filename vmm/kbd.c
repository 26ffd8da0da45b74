/*
 * kbd: stdin as a keyboard controller, the i8042's two ports reduced to
 * what a guest needs (include/mini-kvm/boot.h): status at 0x64 says a byte
 * is waiting, data at 0x60 reads it. With an irqchip, a thread watches
 * stdin and raises IRQ1 once per byte: the guest can sleep in HLT instead
 * of polling. "armed" makes it one interrupt per byte: it is raised when a
 * byte arrives, and armed again only when the guest has read port 0x60.
 */
#include <poll.h>

#include <mini-kvm/boot.h>

#include "vmm.h"

#define KBD_POLL_MS 50		/* how soon the thread sees a stop request */

void kbd_init(struct kbd *k, struct input *in, struct vm *vm, bool confine, const char *who) {
	*k = (struct kbd){ .in = in, .vm = vm, .confine = confine, .who = who };
	atomic_init(&k->armed, true);
}

int kbd_io(void *kbd, uint16_t offset, struct pio_access *access) {
	struct kbd *k = kbd;
	int byte;

	if (access->is_write)	/* controller commands: none is needed */
		return GUEST_RUNNING;
	(void)offset;	/* two one-port claims: the port says which */
	if (access->port == KBD_STATUS_PORT) {
		access->value = input_ready(k->in) ? KBD_STATUS_OUTPUT_FULL : 0;
		return GUEST_RUNNING;
	}
	byte = input_ready(k->in) ? input_getc(k->in, NULL) : INPUT_EOF;
	access->value = byte < 0 ? 0 : (uint32_t)byte;
	if (!k->in || k->in->eof)
		atomic_store(&k->at_end, true);	/* nothing more will come */
	atomic_store(&k->armed, true);
	return GUEST_RUNNING;
}

static void *kbd_thread(void *arg) {
	struct kbd *k = arg;
	struct pollfd p = { .fd = k->in->fd, .events = POLLIN };

	if (k->confine && seccomp_confine(-1, k->who))
		return NULL;	/* said why; the guest runs on without IRQ1 */
	while (!atomic_load(&k->stop) && !atomic_load(&k->at_end)) {
		if (poll(&p, 1, KBD_POLL_MS) != 1 || !atomic_exchange(&k->armed, false))
			continue;
		if (vm_irq_pulse(k->vm, KBD_IRQ, k->who) < 0)
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
