/*
 * console.c: the kernel's console. On mini-kvm (the CPUID hypervisor leaf
 * says so) output is a hypercall, one exit per write, and input is
 * mini-kvm's keyboard: stdin bytes at port 0x60, IRQ1 when one arrives
 * (include/mini-kvm/boot.h), so the machine -- timer included -- runs on
 * while the shell waits. Elsewhere -- QEMU, a PC -- it drives the 16550
 * UART at 0x3f8, polled at every timer tick. Power-off works the same way:
 * HC_EXIT_STATUS on mini-kvm, QEMU's isa-debug-exit port elsewhere.
 */
#include <stdarg.h>

#include <mini-kvm/boot.h>
#include <mini-kvm/hypercall.h>

#include "kernel.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define QEMU_DEBUG_EXIT_PORT 0xf4	/* -device isa-debug-exit,iobase=0xf4 */

static bool mini_kvm;
static bool input_ended;

/* A mini-kvm hypercall (include/mini-kvm/hypercall.h). */
uint32_t hypercall(uint32_t nr, uint32_t a, uint32_t b) {
	uint32_t r;

	__asm__ volatile("outl %%eax, %%dx" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(HC_PORT)
			 : "memory");
	return r;
}

void console_init(void) {
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(MINI_KVM_CPUID_LEAF), "c"(0));
	mini_kvm = b == MINI_KVM_CPUID_EBX && c == MINI_KVM_CPUID_ECX && d == MINI_KVM_CPUID_EDX;
}

bool console_on_mini_kvm(void) {
	return mini_kvm;
}

void console_write(const char *buf, size_t len) {
	if (mini_kvm) {
		hypercall(HC_WRITE, (uint32_t)buf, len);	/* kernel memory: physical = virtual */
		return;
	}
	for (size_t i = 0; i < len; i++) {
		while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
			;
		outb(COM1, (uint8_t)buf[i]);
	}
}

/* Never waits: the scheduler sleeps in HLT until IRQ1 or the next tick. */
int console_poll(void) {
	uint8_t status;

	if (input_ended)
		return -2;
	if (!mini_kvm)
		return inb(COM1_LSR) & LSR_DATA_READY ? inb(COM1) : -1;
	status = inb(KBD_STATUS_PORT);
	if (status & KBD_STATUS_OUTPUT_FULL)
		return inb(KBD_DATA_PORT);
	input_ended = status & KBD_STATUS_END_OF_INPUT;
	return input_ended ? -2 : -1;
}

_Noreturn void power_off(int code) {
	if (mini_kvm)
		hypercall(HC_EXIT_STATUS, (uint32_t)code, 0);
	outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)code);	/* QEMU exits (code << 1) | 1 */
	for (;;)
		__asm__ volatile("cli; hlt");
}

void kprintf(const char *fmt, ...) {
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, (size_t)n);
}
