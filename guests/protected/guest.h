/*
 * guest.h: what a 32-bit protected-mode guest in C needs to talk to
 * mini-kvm: the hypercalls as inline functions, port I/O, CPUID.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>

#include <mini-kvm/boot.h>
#include <mini-kvm/hypercall.h>

/* One hypercall: number in EAX, arguments in EBX/ECX, OUT to HC_PORT,
 * result in EAX. "memory": the VMM may read or write our buffers. */
static inline uint32_t hypercall(uint32_t nr, uint32_t a, uint32_t b) {
	uint32_t result;

	__asm__ volatile("outl %%eax, %%dx" : "=a"(result)
			 : "a"(nr), "b"(a), "c"(b), "d"(HC_PORT) : "memory");
	return result;
}

static inline uint32_t hc_write(const void *buf, uint32_t len) {
	return hypercall(HC_WRITE, (uint32_t)(uintptr_t)buf, len);
}

static inline uint32_t strlen32(const char *s) {
	uint32_t n = 0;

	while (s[n])
		n++;
	return n;
}

static inline void puts32(const char *s) {
	hc_write(s, strlen32(s));
}

static inline uint8_t inb(uint16_t port) {
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v) {
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void cpuid(uint32_t leaf, uint32_t r[4]) {
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(0));
}

/* The CPUID hypervisor leaf says "mini-kvm" (boot.h). */
static inline int on_mini_kvm(void) {
	uint32_t r[4];

	cpuid(MINI_KVM_CPUID_LEAF, r);
	return r[1] == MINI_KVM_CPUID_EBX && r[2] == MINI_KVM_CPUID_ECX &&
	       r[3] == MINI_KVM_CPUID_EDX;
}

/* Decimal, for small reports. */
static inline char *utoa32(uint32_t n, char *end) {
	*--end = '\0';
	do
		*--end = (char)('0' + n % 10);
	while (n /= 10);
	return end;
}

/* Interrupts, for the guests that ask for an irqchip: a 32-bit interrupt
 * gate (Intel SDM Vol. 3A, 6.11, Figure 6-2) and the 8259 PIC with IRQ0-7
 * at vectors 0x20-0x27, only the IRQs in UNMASKED let through. */
#define GATE_INTERRUPT_32 0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define IRQ_VECTOR(irq) (0x20 + (irq))
#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21
#define PIC2_DATA 0xa1
#define PIC_EOI 0x20

static inline uint64_t interrupt_gate(void (*handler)(void)) {
	uint32_t h = (uint32_t)(uintptr_t)handler;

	return (h & 0xffff) | (uint64_t)BOOT_CODE_SELECTOR << 16 |
	       (uint64_t)GATE_INTERRUPT_32 << 40 | (uint64_t)(h >> 16) << 48;
}

static inline void load_idt(const uint64_t *idt, uint32_t entries) {
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr =
		{ (uint16_t)(entries * 8 - 1), (uint32_t)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

static inline void pic_init(uint8_t unmasked) {
	static const uint8_t icw[] = { 0x11, IRQ_VECTOR(0), 0x04, 0x01 };	/* ICW1-ICW4 */

	outb(PIC1_COMMAND, icw[0]);
	for (int i = 1; i < 4; i++)
		outb(PIC1_DATA, icw[i]);
	outb(PIC1_DATA, (uint8_t)~unmasked);
	outb(PIC2_DATA, 0xff);
}

/*
 * Ask mini-kvm for interrupts (boot.h): an ELF note, name "mini-kvm", type
 * MINI_KVM_NOTE_FEATURES, 4 bytes of MINI_KVM_FEATURE_* bits. A section
 * whose name starts with ".note" is a note section (SHT_NOTE), and the
 * linker gives it a PT_NOTE program header, which is where the VMM looks.
 */
#define MINI_KVM_REQUEST_FEATURES(bits)						\
	__attribute__((section(".note.mini-kvm"), aligned(4), used))		\
	static const struct {							\
		uint32_t namesz, descsz, type;					\
		char name[12];							\
		uint32_t features;						\
	} mini_kvm_note = { sizeof(MINI_KVM_NOTE_NAME), 4, MINI_KVM_NOTE_FEATURES, \
			    MINI_KVM_NOTE_NAME, (bits) }

#endif
