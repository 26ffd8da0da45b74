/*
 * rebuild: a board's machine without its guest. A saved guest (vmm/snapshot)
 * comes back on the machine it was saved on: the same VM with or without
 * an irqchip, the same devices on the same ports and lines; its memory and
 * every register then come from the file. Each board's devices are the
 * functions its own boot uses, so the two cannot drift apart.
 */
#include <string.h>

#include "board.h"
#include "core/log.h"
#include "linux/linux.h"

struct recipe {
	const struct board *board;
	bool kernel, virtio;		/* board_start's: what it opens */
	int (*devices)(struct guest *g);
};

static const struct recipe recipes[] = {
	{ &board_real, false, false, board_real_devices },
	{ &board_protected, false, true, board_protected_devices },
	{ &board_long, false, false, board_long_devices },
	{ &board_linux, true, true, board_linux_devices },
};

/* The VM as the board makes it: a Linux kernel's with KVM's real-mode
 * pages, before its irqchip (linux/boot.c says why). */
static int vm_for(struct guest *g, const struct recipe *r, bool irqchip) {
	return vm_create(g->kvm, &g->vm, &g->mem, g->name) ?:
	       (r->board == &board_linux ? linux_vm_setup(&g->vm, g->name) : 0) ?:
	       (irqchip ? vm_create_irqchip(&g->vm, g->name) : 0) ?:
	       vcpu_create(&g->vm, g->name);
}

int board_rebuild(struct guest *g, const struct image *img, const char *board, bool irqchip) {
	for (size_t i = 0; i < sizeof(recipes) / sizeof(recipes[0]); i++) {
		const struct recipe *r = &recipes[i];

		if (strcmp(r->board->name, board) != 0)
			continue;
		if (irqchip != (r->board == &board_linux) && r->board != &board_protected) {
			log_error(g->name, "a %s guest %s an irqchip", board,
				  irqchip ? "never has" : "always has");
			return EX_DATAERR;
		}
		return board_start(g, img, r->kernel, r->virtio) ?: vm_for(g, r, irqchip) ?:
		       r->devices(g);
	}
	log_error(g->name, "no board of this mini-kvm is called '%s'", board);
	return EX_DATAERR;
}
