/*
 * probe-timer: can this host deliver timer interrupts through KVM's
 * in-kernel irqchip? The ELF note asks mini-kvm for one. Program the 8259
 * PIC to put IRQ0 at vector 0x20, the 8254 PIT to 100 Hz, then sleep in HLT
 * until three ticks have come.
 */
#include "guest.h"

MINI_KVM_REQUEST_FEATURES(MINI_KVM_FEATURE_IRQCHIP);

#define GATE_INTERRUPT_32 0x8e
#define TIMER_VECTOR 0x20
#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_RATE_GENERATOR 0x34	/* channel 0, low then high byte, mode 2 */
#define PIT_HZ 1193182

static uint64_t idt[TIMER_VECTOR + 1];
volatile uint32_t ticks;

void on_timer(void);
__asm__(".text\n on_timer: incl ticks\n push %eax\n mov $0x20, %al\n out %al, $0x20\n"
	" pop %eax\n iret\n");

static void pic_init(void) {
	static const uint8_t icw[] = { 0x11, TIMER_VECTOR, 0x04, 0x01 };	/* ICW1-ICW4 */

	outb(PIC1_COMMAND, icw[0]);
	for (int i = 1; i < 4; i++)
		outb(PIC1_DATA, icw[i]);
	outb(PIC1_DATA, 0xfe);	/* only IRQ0 */
	outb(PIC2_DATA, 0xff);
}

int main(void) {
	uint32_t handler = (uint32_t)(uintptr_t)on_timer, divisor = PIT_HZ / 100;
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr =
		{ sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };

	idt[TIMER_VECTOR] = (handler & 0xffff) | (uint64_t)BOOT_CODE_SELECTOR << 16 |
			    (uint64_t)GATE_INTERRUPT_32 << 40 | (uint64_t)(handler >> 16) << 48;
	__asm__ volatile("lidt %0" : : "m"(idtr));
	pic_init();
	outb(PIT_COMMAND, PIT_RATE_GENERATOR);
	outb(PIT_CHANNEL0, divisor & 0xff);
	outb(PIT_CHANNEL0, divisor >> 8);
	while (ticks < 3)
		__asm__ volatile("sti; hlt; cli");
	puts32("timer: ok\n");
	return 0;
}
