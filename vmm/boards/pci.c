/*
 * pci: the boards' PCI bus, and the virtio devices on it. Each device gets
 * an I/O BAR of its own from 0xC000 up (where a PC BIOS would put them:
 * above the legacy ports) and an IRQ line of the PIC of its own: an ISA
 * line is edge-triggered, so two devices could not share one.
 */
#include "board.h"
#include "core/log.h"

#define BAR_BASE 0xc000
static const uint8_t irq_lines[BOARD_VIRTIO_MAX] = { 10, 11, 5, 9, 12, 14, 15, 3 };

/* Without an irqchip (a protected-mode guest that asked for none) there is
 * no line to drive: such a guest polls its queues. */
static int set_line(void *arg, bool level) {
	struct board_line *l = arg;

	return l->g->vm.irqchip ? vm_irq_line(&l->g->vm, l->irq, level, l->g->name) : 0;
}

/* V, set up already, into the next slot, BAR and line. */
static int add(struct guest *g, struct board_devices *d, struct virtio_dev *v) {
	struct board_line *l = &d->line[d->virtio_count];
	uint16_t base = (uint16_t)(BAR_BASE + VIRTIO_BAR_SIZE * d->virtio_count);

	if (d->virtio_count == BOARD_VIRTIO_MAX) {
		log_error(g->name, "more than %d virtio devices", BOARD_VIRTIO_MAX);
		return EX_USAGE;
	}
	*l = (struct board_line){ .g = g, .irq = irq_lines[d->virtio_count] };
	d->virtio_count++;
	return board_claim(g, virtio_attach(v, &d->pci, &g->pio, base, l->irq, set_line, l),
			   v->type->name);
}

/* --net: a card on the tap, its receive thread confined as the guest's. */
static int attach_net(struct guest *g, struct board_devices *d) {
	int rc;

	virtio_net_init(&d->net, d->tap, board_confine(g), &g->mem, g->name);
	if ((rc = add(g, d, &d->net.virtio)))
		return rc;
	if (virtio_net_start(&d->net) < 0) {
		log_error(g->name, "cannot start the network card's receive thread");
		return EX_OSERR;
	}
	return 0;
}

int board_attach_pci(struct guest *g, bool always) {
	const struct board_config *c = g->board_config;
	struct board_devices *d = g->board_state;
	int rc;

	if (!always && c->disk_count == 0 && !c->tap && !c->balloon)
		return 0;
	if ((rc = board_claim(g, pci_bus_attach(&d->pci, &g->pio), "PCI bus")))
		return rc;
	for (int i = 0; i < c->disk_count; i++) {
		virtio_blk_init(&d->blk[i], i, d->disk[i].fd, d->disk[i].sectors,
				c->disks[i].readonly, &g->mem, g->name);
		if ((rc = add(g, d, &d->blk[i].virtio)))
			return rc;
	}
	if (c->balloon) {
		virtio_balloon_init(&d->balloon, &g->mem, g->name);
		if ((rc = add(g, d, &d->balloon.virtio)))
			return rc;
	}
	return d->tap ? attach_net(g, d) : 0;
}
