/* The virtio test rig (virtio_rig.h). */
#include <string.h>

#include "virtio_rig.h"

static int record_irq(void *arg, bool level) {
	struct vrig *r = arg;

	r->irq_raised += level;
	return 0;
}

void vrig_up(struct vrig *r) {
	memset(r, 0, sizeof(*r));
	fake_guest_init(&r->f, VRIG_MEM);
	assert_int_equal(pci_bus_attach(&r->bus, &r->f.g.pio), 0);
}

void vrig_attach(struct vrig *r, struct virtio_dev *v) {
	assert_int_equal(virtio_attach(v, &r->bus, &r->f.g.pio, VRIG_BAR, 10, record_irq, r), 0);
}

void vrig_down(struct vrig *r) {
	fake_guest_free(&r->f);
}

uint32_t vrig_io(struct vrig *r, uint16_t port, uint8_t size, bool write, uint32_t value) {
	struct pio_access a = { .port = port, .size = size, .is_write = write, .value = value };

	RUNS_ON(pio_dispatch(&r->f.g.pio, &a));
	return a.value;
}

uint32_t vrig_config_read(struct vrig *r, unsigned slot, unsigned reg) {
	vrig_io(r, 0xcf8, 4, true, 0x80000000u | slot << 11 | (reg & 0xfc));
	return vrig_io(r, 0xcfc, 4, false, 0);
}

void vrig_driver_up(struct vrig *r, uint32_t features, int queues) {
	const uint16_t bar = VRIG_BAR;

	vrig_io(r, 0xcf8, 4, true, 0x80000000u | 1 << 11 | 0x04);
	vrig_io(r, 0xcfc, 2, true, PCI_COMMAND_IO);
	vrig_io(r, bar + 20, 1, true, 0);					/* reset */
	vrig_io(r, bar + 20, 1, true, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	vrig_io(r, bar + 8, 4, true, 0), vrig_io(r, bar + 12, 4, true, features);
	vrig_io(r, bar + 8, 4, true, 1), vrig_io(r, bar + 12, 4, true, 1);	/* VERSION_1 */
	vrig_io(r, bar + 20, 1, true, 0x0b);					/* FEATURES_OK */
	assert_int_equal(vrig_io(r, bar + 20, 1, false, 0) & VIRTIO_STATUS_FEATURES_OK, 0x08);
	for (int q = 0; q < queues; q++) {
		vrig_io(r, bar + 22, 2, true, (uint32_t)q);
		assert_int_equal(vrig_io(r, bar + 24, 2, false, 0), VIRTQ_MAX);	/* offered */
		vrig_io(r, bar + 24, 2, true, VRIG_QSIZE);
		vrig_io(r, bar + 32, 4, true, VRIG_DESC(q));
		vrig_io(r, bar + 40, 4, true, VRIG_AVAIL(q));
		vrig_io(r, bar + 48, 4, true, VRIG_USED(q));
		vrig_io(r, bar + 28, 2, true, 1);				/* enable */
	}
	vrig_io(r, bar + 20, 1, true, 0x0f);					/* DRIVER_OK */
}

void vrig_desc(struct vrig *r, int q, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
	       uint16_t next) {
	struct virtq_desc d = { addr, len, flags, next };

	memcpy(r->f.g.mem.host + VRIG_DESC(q) + 16 * i, &d, sizeof(d));
}

uint32_t vrig_submit(struct vrig *r, int q, uint16_t n, uint16_t head) {
	uint16_t idx = (uint16_t)(n + 1);
	uint32_t used_len;
	uint8_t *m = r->f.g.mem.host;

	memcpy(m + VRIG_AVAIL(q) + 4 + 2 * (n % VRIG_QSIZE), &head, 2);
	__atomic_store_n((uint16_t *)(m + VRIG_AVAIL(q) + 2), idx, __ATOMIC_RELEASE);
	vrig_io(r, VRIG_BAR + 0x40, 2, true, (uint32_t)q);
	memcpy(&used_len, m + VRIG_USED(q) + 4 + 8 * (n % VRIG_QSIZE) + 4, 4);
	return used_len;
}

uint16_t vrig_used_idx(struct vrig *r, int q) {
	return __atomic_load_n((uint16_t *)(r->f.g.mem.host + VRIG_USED(q) + 2), __ATOMIC_ACQUIRE);
}
