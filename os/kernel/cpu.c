/*
 * cpu.c: the tables and chips that make protection and interrupts work.
 *   GDT  kernel and user code/data segments, and the TSS (Intel SDM Vol. 3A, 3.4.5)
 *   TSS  only for ESP0: the kernel stack the CPU switches to on a trap from ring 3 (7.7)
 *   IDT  exceptions 0-19, IRQs 32-47, and int 0x80 open to ring 3 (6.10-6.11)
 *   8259 PIC remapped to vectors 32-47, 8254 PIT on IRQ0
 */
#include "kernel.h"

/* Descriptor access bytes: present, privilege level, type (SDM 3.4.5.1). */
#define SEG_KERNEL_CODE 0x9a	/* present, DPL 0, code, execute/read */
#define SEG_KERNEL_DATA 0x92	/* present, DPL 0, data, read/write */
#define SEG_USER_CODE 0xfa	/* the same with DPL 3 */
#define SEG_USER_DATA 0xf2
#define SEG_TSS_32 0x89		/* present, DPL 0, 32-bit TSS, not busy */
#define SEG_FLAT_4K_32 0xc	/* flags: 4 KB granularity, 32-bit */
#define GATE_INTERRUPT 0x8e	/* present, DPL 0, 32-bit interrupt gate: IF cleared */
#define GATE_INTERRUPT_USER 0xee	/* the same, callable from ring 3 with INT */

#define PIC1 0x20
#define PIC2 0xa0
#define PIC_EOI 0x20
#define IRQ_BASE 32
#define IRQ_TIMER 0x01		/* IRQ0, as a PIC mask bit */
#define IRQ_KEYBOARD 0x02	/* IRQ1 */
#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_SQUARE_WAVE 0x36	/* channel 0, low then high byte, mode 3 */
#define PIT_HZ 1193182

static uint64_t gdt[6];
static struct {
	uint32_t link, esp0, ss0, unused[22];
	uint16_t trap, iomap_base;	/* I/O map past the limit: no port for ring 3 */
} __attribute__((packed)) tss;
static uint64_t idt[256];
volatile unsigned ticks;

static uint64_t segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags) {
	return (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 | (uint64_t)access << 40 |
	       (uint64_t)(limit >> 16 & 0xf) << 48 | (uint64_t)flags << 52 |
	       (uint64_t)(base >> 24) << 56;
}

static void gdt_init(void) {
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } gdtr =
		{ sizeof(gdt) - 1, (uint32_t)gdt };

	gdt[KERNEL_CODE >> 3] = segment(0, 0xfffff, SEG_KERNEL_CODE, SEG_FLAT_4K_32);
	gdt[KERNEL_DATA >> 3] = segment(0, 0xfffff, SEG_KERNEL_DATA, SEG_FLAT_4K_32);
	gdt[USER_CODE >> 3] = segment(0, 0xfffff, SEG_USER_CODE, SEG_FLAT_4K_32);
	gdt[USER_DATA >> 3] = segment(0, 0xfffff, SEG_USER_DATA, SEG_FLAT_4K_32);
	tss.ss0 = KERNEL_DATA;
	tss.iomap_base = sizeof(tss);
	gdt[TSS_SELECTOR >> 3] = segment((uint32_t)&tss, sizeof(tss) - 1, SEG_TSS_32, 0);
	/* Load the GDT, reload every segment register from it, load the TSS. */
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n1:\t"
			 "mov %2, %%ax\n\tmov %%ax, %%ds\n\tmov %%ax, %%es\n\t"
			 "mov %%ax, %%fs\n\tmov %%ax, %%gs\n\tmov %%ax, %%ss\n\t"
			 "mov %3, %%ax\n\tltr %%ax"
			 : : "m"(gdtr), "i"(KERNEL_CODE), "i"(KERNEL_DATA), "i"(TSS_SELECTOR)
			 : "eax", "memory");
}

void tss_set_kernel_stack(uint32_t esp0) {
	tss.esp0 = esp0;
}

static void set_gate(unsigned vector, void (*handler)(void), uint8_t type) {
	uint32_t h = (uint32_t)handler;

	idt[vector] = (h & 0xffff) | (uint64_t)KERNEL_CODE << 16 | (uint64_t)type << 40 |
		      (uint64_t)(h >> 16) << 48;
}

#define GATE(v) extern void trap_##v(void); set_gate(v, trap_##v, GATE_INTERRUPT)
static void idt_init(void) {
	struct __attribute__((packed)) { uint16_t limit; uint32_t base; } idtr =
		{ sizeof(idt) - 1, (uint32_t)idt };
	extern void trap_128(void);

	GATE(0); GATE(1); GATE(2); GATE(3); GATE(4); GATE(5); GATE(6); GATE(7); GATE(8);
	GATE(9); GATE(10); GATE(11); GATE(12); GATE(13); GATE(14); GATE(15); GATE(16);
	GATE(17); GATE(18); GATE(19); GATE(32); GATE(33); GATE(34); GATE(35); GATE(36);
	GATE(37); GATE(38); GATE(39); GATE(40); GATE(41); GATE(42); GATE(43); GATE(44);
	GATE(45); GATE(46); GATE(47);
	set_gate(SYSCALL_VECTOR, trap_128, GATE_INTERRUPT_USER);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* 8259 initialisation words (ICW1-4): edge-triggered, cascaded, 8086 mode,
 * vectors 32-39 and 40-47; then mask all but the timer (IRQ0) and, on
 * mini-kvm, the keyboard (IRQ1), which wakes the scheduler for input. */
static void pic_init(void) {
	uint8_t unmasked = IRQ_TIMER | (console_on_mini_kvm() ? IRQ_KEYBOARD : 0);

	outb(PIC1, 0x11), outb(PIC2, 0x11);
	outb(PIC1 + 1, IRQ_BASE), outb(PIC2 + 1, IRQ_BASE + 8);
	outb(PIC1 + 1, 0x04), outb(PIC2 + 1, 0x02);	/* slave on IRQ2 */
	outb(PIC1 + 1, 0x01), outb(PIC2 + 1, 0x01);
	outb(PIC1 + 1, (uint8_t)~unmasked), outb(PIC2 + 1, 0xff);
}

void pic_eoi(unsigned irq) {
	if (irq >= 8)
		outb(PIC2, PIC_EOI);
	outb(PIC1, PIC_EOI);
}

void timer_init(unsigned hz) {
	uint32_t divisor = PIT_HZ / hz;

	outb(PIT_COMMAND, PIT_SQUARE_WAVE);
	outb(PIT_CHANNEL0, divisor & 0xff);
	outb(PIT_CHANNEL0, divisor >> 8);
}

void cpu_init(void) {
	gdt_init();
	idt_init();
	pic_init();
}

static const char *const exception_names[20] = {
	"Divide error (#DE)", "Debug (#DB)", "NMI", "Breakpoint (#BP)", "Overflow (#OF)",
	"BOUND range exceeded (#BR)", "Invalid opcode (#UD)", "Device not available (#NM)",
	"Double fault (#DF)", "Coprocessor segment overrun", "Invalid TSS (#TS)",
	"Segment not present (#NP)", "Stack fault (#SS)", "General protection fault (#GP)",
	"Page fault (#PF)", "Reserved", "x87 error (#MF)", "Alignment check (#AC)",
	"Machine check (#MC)", "SIMD error (#XM)",
};

static _Noreturn void panic(struct trap_frame *f) {
	uint32_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	kprintf("\nkernel panic: %s at eip %08x, error %x\n"
		"  eax %08x ebx %08x ecx %08x edx %08x\n"
		"  esi %08x edi %08x ebp %08x cr2 %08x cs %x eflags %x\n",
		exception_names[f->vector], f->eip, f->error, f->eax, f->ebx, f->ecx, f->edx,
		f->esi, f->edi, f->ebp, cr2, f->cs, f->eflags);
	power_off(3);
}

/* Every interrupt, exception and system call comes here (boot.S). */
void trap(struct trap_frame *f) {
	if (f->vector == SYSCALL_VECTOR) {
		syscall(f);
	} else if (f->vector >= IRQ_BASE) {
		pic_eoi(f->vector - IRQ_BASE);
		if (f->vector == IRQ_BASE) {
			ticks++;
			if ((f->cs & 3) == 3)	/* preempt user code, never the kernel */
				proc_tick();
		}
	} else if ((f->cs & 3) == 3) {	/* a user program's fault: it dies, we go on */
		proc_kill(exception_names[f->vector], f);
	} else {
		panic(f);
	}
}
