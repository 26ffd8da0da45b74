/*
 * long: the board of 64-bit guests (ELF64, vmm/long): ring 3 of long mode,
 * the CPUID leaf that says "mini-kvm", the UART and the keyboard (whose
 * ports the TSS's I/O bitmap opens: include/mini-kvm/boot.h). Never an
 * irqchip: no interrupt could reach code that runs only in ring 3.
 */
#include "board.h"
#include "host/host.h"
#include "long/long.h"

static bool claims_elf64(const struct image *img) {
	return img->format == IMAGE_ELF64;
}

int board_long_devices(struct guest *g) {
	return board_attach_uart(g, false) ?: board_attach_keyboard(g);
}

/* An ELF64 file at its physical addresses; the CPUID before the CPU state,
 * which KVM accepts only from a vCPU whose CPUID says it has long mode. */
static int boot_long_board(struct guest *g, const struct image *img) {
	struct elf_info elf;

	g->cpu = CPU_LONG;
	return board_start(g, img, false, false) ?:
	       guest_map_memory(g, PROTECTED_MODE_MEMORY_DEFAULT, PROTECTED_MODE_MEMORY_MAX) ?:
	       image_load_elf(img, &elf_class64, &g->mem, &elf, g->name) ?:
	       vm_create(g->kvm, &g->vm, &g->mem, g->name) ?: vcpu_create(&g->vm, g->name) ?:
	       vm_set_cpuid(g->kvm, &g->vm, true, g->name) ?:
	       cpu_setup_long(&g->vm, &g->mem, elf.entry, g->name) ?: board_long_devices(g);
}

const struct board board_long = {
	.name = "long-mode", .claims = claims_elf64, .boot = boot_long_board,
	.stop = board_stop, .state_size = sizeof(struct board_devices),
};
