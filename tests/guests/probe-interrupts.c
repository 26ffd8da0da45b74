/*
 * probe-interrupts: can this host's KVM deliver an interrupt in 32-bit
 * protected mode? An IDT with one 32-bit interrupt gate (Intel SDM Vol. 3A,
 * 6.11, Figure 6-2), then "int $0x30", whose handler counts and returns.
 */
#include "guest.h"

#define GATE_INTERRUPT_32 0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define VECTOR 0x30

static uint64_t idt[VECTOR + 1];
static volatile uint32_t calls;

void on_interrupt(void);
__asm__(".text\n on_interrupt: incl calls\n iret\n");

int main(void) {
	uint32_t handler = (uint32_t)(uintptr_t)on_interrupt;
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr =
		{ sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };

	idt[VECTOR] = (handler & 0xffff) | (uint64_t)BOOT_CODE_SELECTOR << 16 |
		      (uint64_t)GATE_INTERRUPT_32 << 40 | (uint64_t)(handler >> 16) << 48;
	__asm__ volatile("lidt %0" : : "m"(idtr));
	__asm__ volatile("int $0x30" : : : "memory");
	puts32(calls == 1 ? "interrupts: ok\n" : "interrupts: handler not run\n");
	return calls == 1 ? 0 : 1;
}
