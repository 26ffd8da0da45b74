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

/* V, set up already, into the next slot, BAR and line; its notifications
 * through KVM_IOEVENTFD where KVM can, run by a thread confined to FILE
 * (what its queues need: a disk, a tap) if FILE.fd is not 0. */
static int add(struct guest *g, struct board_devices *d, struct virtio_dev *v,
	       struct guest_file file) {
	struct guest_files files = { .file = { file }, .count = file.fd ? 1 : 0 };
	int n = d->virtio_count, rc;
	struct board_line *l = &d->line[n];
	uint16_t base = (uint16_t)(BAR_BASE + VIRTIO_BAR_SIZE * n);

	if (n == BOARD_VIRTIO_MAX) {
		log_error(g->name, "more than %d virtio devices", BOARD_VIRTIO_MAX);
		return EX_USAGE;
	}
	*l = (struct board_line){ .g = g, .irq = irq_lines[n] };
	d->virtio_count++;
	if ((rc = board_claim(g, virtio_attach(v, &d->pci, &g->pio, base, l->irq, set_line, l),
			      v->type->name)))
		return rc;
	if (virtio_kick_start(&d->kick[n], v, g->vm.fd, base, board_confine(g), &files) < 0) {
		log_error(g->name, "cannot start the %s notification thread", v->type->name);
		return EX_OSERR;
	}
	return 0;
}

/* --net: a card on the tap, its receive thread confined as the guest's. */
static int attach_net(struct guest *g, struct board_devices *d) {
	int rc;

	virtio_net_init(&d->net, d->tap, board_confine(g), &g->mem, g->name);
	if ((rc = add(g, d, &d->net.virtio, (struct guest_file){ d->tap, GUEST_FILE_NETWORK })))
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
		if ((rc = add(g, d, &d->blk[i].virtio,
			      (struct guest_file){ d->disk[i].fd, GUEST_FILE_DISK })))
			return rc;
	}
	if (c->balloon) {
		virtio_balloon_init(&d->balloon, &g->mem, g->name);
		if ((rc = add(g, d, &d->balloon.virtio, (struct guest_file){ 0, GUEST_FILE_EVENT })))
			return rc;
	}
	return d->tap ? attach_net(g, d) : 0;
}
