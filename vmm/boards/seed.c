/*
 * seed: the seed's two kinds of guest. A flat binary runs in real mode, an
 * ELF32 file in protected mode (the core's boot.c builds both); each gets
 * the UART and, in protected mode, the keyboard -- on IRQ1 when its note
 * asked for an irqchip --, the CPUID leaf that says "mini-kvm", and with
 * --disk a PCI bus with a virtio-blk device for each disk.
 */
#include "board.h"
#include "host/host.h"

static bool claims_flat(const struct image *img) {
	return img->format == IMAGE_FLAT;
}

int board_real_devices(struct guest *g) {
	return board_attach_uart(g, false);
}

static int boot_real_board(struct guest *g, const struct image *img) {
	return board_start(g, img, false, false) ?: boot_real(g, img) ?: board_real_devices(g);
}

const struct board board_real = {
	.name = "real-mode", .claims = claims_flat, .boot = boot_real_board,
	.stop = board_stop, .state_size = sizeof(struct board_devices),
};

static bool claims_elf32(const struct image *img) {
	return img->format == IMAGE_ELF32;
}

int board_protected_devices(struct guest *g) {
	return board_attach_uart(g, false) ?: board_attach_keyboard(g) ?:
	       board_attach_pci(g, false);
}

static int boot_protected_board(struct guest *g, const struct image *img) {
	return board_start(g, img, false, true) ?: boot_protected(g, img) ?:
	       vm_set_cpuid(g->kvm, &g->vm, true, g->name) ?: board_protected_devices(g);
}

const struct board board_protected = {
	.name = "protected-mode", .claims = claims_elf32, .boot = boot_protected_board,
	.stop = board_stop, .state_size = sizeof(struct board_devices),
};
