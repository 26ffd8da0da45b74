/*
 * pm-keyboard-irq: stdin as a keyboard that interrupts. Sleep in HLT; each
 * IRQ1 means a byte waits at port 0x60, or stdin has ended (status bit 7).
 * Echo one line, or what came before the end of input, then exit.
 */
#include "guest.h"

MINI_KVM_REQUEST_FEATURES(MINI_KVM_FEATURE_IRQCHIP);

static uint64_t idt[IRQ_VECTOR(KBD_IRQ) + 1];
volatile uint32_t irqs;

void on_keyboard(void);
__asm__(".text\n on_keyboard: incl irqs\n push %eax\n mov $0x20, %al\n out %al, $0x20\n"
	" pop %eax\n iret\n");

int main(void) {
	static const char end[] = " (end of input)\n";
	char line[64 + sizeof(end)] = "irq: ";
	uint32_t len = 5, seen = 0;
	uint8_t status = 0;

	idt[IRQ_VECTOR(KBD_IRQ)] = interrupt_gate(on_keyboard);
	load_idt(idt, IRQ_VECTOR(KBD_IRQ) + 1);
	pic_init(1 << KBD_IRQ);
	while (len < 64 && line[len - 1] != '\n' && !(status & KBD_STATUS_END_OF_INPUT)) {
		while (irqs == seen)
			__asm__ volatile("sti; hlt; cli");
		seen = irqs;
		while (len < 64 && line[len - 1] != '\n' &&
		       (status = inb(KBD_STATUS_PORT)) & KBD_STATUS_OUTPUT_FULL)
			line[len++] = (char)inb(KBD_DATA_PORT);
	}
	for (uint32_t i = 0; status & KBD_STATUS_END_OF_INPUT && line[len - 1] != '\n' &&
			     i < sizeof(end) - 1; i++)
		line[len++] = end[i];
	hc_write(line, len);
	return 0;
}
