/*
 * kbd: stdin as a keyboard controller, the i8042's two ports reduced to
 * what a guest needs (include/mini-kvm/boot.h): status at 0x64 says a byte
 * is waiting (or that stdin has ended), data at 0x60 reads it. With an
 * irqchip, an input watch raises IRQ1 for each byte (input_watch.c), so
 * the guest can sleep in HLT instead of polling.
 */
#include <mini-kvm/boot.h>

#include "devices.h"

/* One edge on IRQ1: the line raised, then lowered (the 8259 sees edges).
 * A line left high by a lowering that failed is lowered first, or no edge
 * could come again. */
static void raise_irq1(void *kbd) {
	struct kbd *k = kbd;

	if (k->line_high && vm_irq_line(k->vm, KBD_IRQ, false, k->who) == 0)
		k->line_high = false;
	if (!k->line_high && vm_irq_line(k->vm, KBD_IRQ, true, k->who) == 0)
		k->line_high = vm_irq_line(k->vm, KBD_IRQ, false, k->who) != 0;
}

void kbd_init(struct kbd *k, struct input *in, struct console *out, struct vm *vm,
	      confine_fn *confine, const char *who) {
	*k = (struct kbd){ .in = in, .out = out, .vm = vm, .who = who };
	input_watch_init(&k->watch, in, raise_irq1, k, confine, who);
}

/* No byte waiting: the guest is about to wait for one, so its prompt
 * (a line not yet ended) must be out first. */
static uint32_t kbd_status(struct kbd *k) {
	if (input_ready(k->in))
		return KBD_STATUS_OUTPUT_FULL;
	console_flush(k->out);
	return input_ended(k->in) ? KBD_STATUS_END_OF_INPUT : 0;
}

struct run_result kbd_io(void *kbd, uint16_t offset, struct pio_access *access) {
	struct kbd *k = kbd;
	bool data = access->port == KBD_DATA_PORT;	/* two one-port claims */
	int byte;

	(void)offset;
	if (access->is_write)	/* controller commands: none is needed */
		return RUN_ON;
	if (data) {
		byte = input_ready(k->in) ? input_getc(k->in, NULL) : INPUT_EOF;
		access->value = byte < 0 ? 0 : (uint32_t)byte;
	} else {
		access->value = kbd_status(k);
	}
	input_watch_guest_read(&k->watch, data);
	return RUN_ON;
}

/* Interrupts need an irqchip. */
int kbd_start(struct kbd *k) {
	return k->vm->irqchip ? input_watch_start(&k->watch) : 0;
}

void kbd_stop(struct kbd *k) {
	input_watch_stop(&k->watch);	/* a watch never started: nothing to do */
}
