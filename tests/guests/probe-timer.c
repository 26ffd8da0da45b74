/*
 * probe-timer: can this host deliver timer interrupts through KVM's
 * in-kernel irqchip? The ELF note asks mini-kvm for one. Program the 8259
 * PIC to put IRQ0 at vector 0x20, the 8254 PIT to 100 Hz, then sleep in HLT
 * until three ticks have come.
 */
#include "guest.h"

MINI_KVM_REQUEST_FEATURES(MINI_KVM_FEATURE_IRQCHIP);

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_RATE_GENERATOR 0x34	/* channel 0, low then high byte, mode 2 */
#define PIT_HZ 1193182

static uint64_t idt[IRQ_VECTOR(0) + 1];
volatile uint32_t ticks;

void on_timer(void);
__asm__(".text\n on_timer: incl ticks\n push %eax\n mov $0x20, %al\n out %al, $0x20\n"
	" pop %eax\n iret\n");

int main(void) {
	uint32_t divisor = PIT_HZ / 100;

	idt[IRQ_VECTOR(0)] = interrupt_gate(on_timer);
	load_idt(idt, IRQ_VECTOR(0) + 1);
	pic_init(1 << 0);
	outb(PIT_COMMAND, PIT_RATE_GENERATOR);
	outb(PIT_CHANNEL0, divisor & 0xff);
	outb(PIT_CHANNEL0, divisor >> 8);
	while (ticks < 3)
		__asm__ volatile("sti; hlt; cli");
	puts32("timer: ok\n");
	return 0;
}
