/*
 * main.c: the 1K OS kernel, from boot to the first process.
 *   1. console: hypercalls on mini-kvm, the UART elsewhere     console.c
 *   2. paging: all RAM mapped for the kernel, 4 MB pages       proc.c
 *   3. GDT + TSS, IDT, PIC                                     cpu.c
 *   4. the timer at 100 Hz, the disk's file system             cpu.c, fs.c
 *   5. the shell, and the scheduler from then on               proc.c
 */
#include <mini-kvm/boot.h>

#include "kernel.h"

/* Ask mini-kvm for the in-kernel PIC and PIT (include/mini-kvm/boot.h);
 * other loaders skip the note. */
__attribute__((section(".note.mini-kvm"), aligned(4), used))
static const struct {
	uint32_t namesz, descsz, type;
	char name[12];
	uint32_t features;
} irqchip_note = { sizeof(MINI_KVM_NOTE_NAME), 4, MINI_KVM_NOTE_FEATURES,
		   MINI_KVM_NOTE_NAME, MINI_KVM_FEATURE_IRQCHIP };

struct multiboot_info {
	uint32_t flags, mem_lower, mem_upper;
};

_Noreturn void kernel_main(uint32_t magic, const struct multiboot_info *info) {
	uint32_t memory_kb;

	console_init();
	if (magic != MULTIBOOT_BOOT_MAGIC || !(info->flags & MULTIBOOT_INFO_MEMORY)) {
		kprintf("1K OS: not started by a Multiboot loader\n");
		power_off(2);
	}
	memory_kb = info->mem_upper + 1024;
	/* Paging before the IDT: a machine that refuses paging then stops
	 * with a triple fault its hypervisor can explain (mini-kvm does),
	 * not with a fault we would have to report ourselves. */
	paging_init(memory_kb);
	cpu_init();
	timer_init(100);
	kprintf("1K OS: %u MB of memory\n", (memory_kb + 1023) / 1024);	/* firmware may keep a few KB */
	fs_init();
	if (proc_spawn(PROGRAM_SHELL) < 0) {
		kprintf("1K OS: no memory for the shell (at least 8 MB needed)\n");
		power_off(2);
	}
	scheduler();
}
