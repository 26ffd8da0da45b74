/* A virtio device on a PCI bus in a fake guest, driven as a driver does:
 * through port accesses, with its queues in fake guest memory. Queue Q's
 * three areas are at VRIG_DESC(Q), VRIG_AVAIL(Q) and VRIG_USED(Q); buffers
 * go from VRIG_DATA on. */
#ifndef TEST_VIRTIO_RIG_H
#define TEST_VIRTIO_RIG_H

#include "helpers.h"

#define VRIG_MEM (128 << 10)
#define VRIG_BAR 0xc000
#define VRIG_QSIZE 8
#define VRIG_DESC(q) (0x1000 + 0x3000 * (q))
#define VRIG_AVAIL(q) (VRIG_DESC(q) + 0x1000)
#define VRIG_USED(q) (VRIG_DESC(q) + 0x2000)
#define VRIG_DATA 0xa000

struct vrig {
	struct fake_guest f;
	struct pci_bus bus;
	int irq_raised;
};

/* The guest and its bus; then attach V at VRIG_BAR, slot 1, line 10. */
void vrig_up(struct vrig *r);
void vrig_attach(struct vrig *r, struct virtio_dev *v);
void vrig_down(struct vrig *r);
uint32_t vrig_io(struct vrig *r, uint16_t port, uint8_t size, bool write, uint32_t value);
uint32_t vrig_config_read(struct vrig *r, unsigned slot, unsigned reg);
/* Reset, VERSION_1 and FEATURES (the low 32 bits) accepted, QUEUES queues
 * enabled, DRIVER_OK. */
void vrig_driver_up(struct vrig *r, uint32_t features, int queues);
void vrig_desc(struct vrig *r, int q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
	       uint16_t next);
/* Make HEAD available in queue Q as its Nth entry, notify: the used
 * entry's length. */
uint32_t vrig_submit(struct vrig *r, int q, uint16_t n, uint16_t head);
uint16_t vrig_used_idx(struct vrig *r, int q);

#endif
