/*
 * transport: the registers of virtio over PCI (VIRTIO 1.2, 4.1), "modern"
 * only, and what they do. The PCI capabilities (4.1.4; device.c) point into
 * one I/O-space BAR, which the spec allows and Linux's virtio_pci maps like
 * a memory one:
 *   0x00-0x37  common configuration: features, status, queue set-up (4.1.4.3)
 *   0x40       notify: the driver writes a queue's index (multiplier 0: one
 *              address for all queues, 4.1.4.4)
 *   0x44       ISR status: read, it clears, and the INTx line drops (4.1.4.5)
 *   0x80-0xff  the device's own configuration (4.1.4.6)
 * Interrupts are INTx: MSI-X would need a memory BAR for its table and the
 * guest's local APIC in charge; the PIC line needs neither (docs/virtio.md).
 */
#include <string.h>

#include "core/log.h"
#include "virtio.h"

enum {	/* struct virtio_pci_common_cfg (4.1.4.3) */
	DFSELECT = 0, DF = 4, GFSELECT = 8, GF = 12, MSIX_CONFIG = 16, NUM_QUEUES = 18,
	STATUS = 20, GENERATION = 21, Q_SELECT = 22, Q_SIZE = 24, Q_MSIX = 26, Q_ENABLE = 28,
	Q_NOTIFY_OFF = 30, Q_DESC = 32, Q_DRIVER = 40, Q_DEVICE = 48,
};
#define NO_VECTOR 0xffff		/* no MSI-X: every vector reads as none */

static void put(uint8_t *at, uint64_t value, unsigned size) {
	memcpy(at, &value, size);	/* little-endian, as the spec and x86 */
}

static bool aligned(uint64_t gpa, uint64_t alignment) {
	return (gpa & (alignment - 1)) == 0;
}

/* The three areas, each inside RAM and aligned as spec 2.7 (table) says.
 * RAM does not move: the host addresses stay good until reset. */
bool virtq_enable(struct virtio_dev *v, struct virtq *q, const char **why) {
	uint64_t n = q->size;

	if (n == 0 || n > VIRTQ_MAX || (n & (n - 1))) {
		*why = "its size is not a power of 2 up to 256";
		return false;
	}
	q->desc = guest_ptr(v->mem, q->desc_gpa, 16 * n);
	q->avail = guest_ptr(v->mem, q->avail_gpa, 6 + 2 * n);
	q->used = guest_ptr(v->mem, q->used_gpa, 6 + 8 * n);
	if (!q->desc || !q->avail || !q->used) {
		*why = "a ring lies outside guest memory";
		return false;
	}
	if (!aligned(q->desc_gpa, 16) || !aligned(q->avail_gpa, 2) || !aligned(q->used_gpa, 4)) {
		*why = "a ring is not aligned";
		return false;
	}
	q->last_avail = q->used_idx = 0;
	q->enabled = 1;
	return true;
}

static struct virtq *selected(struct virtio_dev *v) {
	return v->queue_select < v->type->queues ? &v->vq[v->queue_select] : NULL;
}

static void lower_line(struct virtio_dev *v) {
	if (v->irq_level && v->set_irq(v->irq_arg, false) == 0)
		v->irq_level = false;
}

void virtio_interrupt(struct virtio_dev *v, uint8_t isr_bits) {
	v->isr |= isr_bits;
	if (pci_command(&v->pci) & PCI_COMMAND_INTX_DISABLE)
		return;
	if (!v->irq_level && v->set_irq(v->irq_arg, true) == 0)
		v->irq_level = true;
}

bool virtio_running(const struct virtio_dev *v) {
	return (v->status & VIRTIO_STATUS_DRIVER_OK) &&
	       !(v->status & (VIRTIO_STATUS_NEEDS_RESET | VIRTIO_STATUS_FAILED));
}

void virtio_needs_reset(struct virtio_dev *v, const char *why) {
	if (v->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	log_error(v->who, "%s: %s: the device needs a reset", v->type->name, why);
	v->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (v->status & VIRTIO_STATUS_DRIVER_OK)	/* spec 2.1.2 */
		virtio_interrupt(v, VIRTIO_ISR_CONFIG);
}

/* Status 0 (spec 2.4): back to what a fresh device is. */
void virtio_reset(struct virtio_dev *v) {
	v->status = 0, v->isr = 0, v->driver_features = 0, v->queue_select = 0;
	v->device_feature_select = v->driver_feature_select = 0;
	for (int i = 0; i < VIRTIO_QUEUES_MAX; i++)
		v->vq[i] = (struct virtq){ .size = VIRTQ_MAX };
	lower_line(v);
	if (v->type->reset)
		v->type->reset(v);
}

/* FEATURES_OK stays set only for features we offered, VERSION_1 among them
 * (spec 3.1.1: the driver reads the status back to see). */
static void set_status(struct virtio_dev *v, uint8_t status) {
	bool features_ok = (v->driver_features & ~v->features) == 0 &&
			   (v->driver_features & VIRTIO_F_VERSION_1);

	if (status == 0) {
		virtio_reset(v);
		return;
	}
	if ((status & VIRTIO_STATUS_FEATURES_OK) && !(v->status & VIRTIO_STATUS_FEATURES_OK) &&
	    !features_ok)
		status &= ~VIRTIO_STATUS_FEATURES_OK;
	v->status = status | (v->status & VIRTIO_STATUS_NEEDS_RESET);
}

static uint32_t common_read(struct virtio_dev *v, unsigned offset, unsigned size) {
	uint8_t r[VIRTIO_BAR_COMMON_END] = { 0 };
	struct virtq *q = selected(v);
	uint32_t value = 0;

	put(r + DFSELECT, v->device_feature_select, 4);
	put(r + DF, v->device_feature_select < 2 ? v->features >> 32 * v->device_feature_select : 0, 4);
	put(r + GFSELECT, v->driver_feature_select, 4);
	put(r + GF, v->driver_feature_select < 2 ? v->driver_features >> 32 * v->driver_feature_select
						   : 0, 4);
	put(r + MSIX_CONFIG, NO_VECTOR, 2);
	put(r + NUM_QUEUES, (uint16_t)v->type->queues, 2);
	r[STATUS] = v->status, r[GENERATION] = v->config_generation;
	put(r + Q_SELECT, v->queue_select, 2);
	put(r + Q_MSIX, NO_VECTOR, 2);
	if (q) {
		put(r + Q_SIZE, q->size, 2), put(r + Q_ENABLE, q->enabled, 2);
		put(r + Q_DESC, q->desc_gpa, 8), put(r + Q_DRIVER, q->avail_gpa, 8);
		put(r + Q_DEVICE, q->used_gpa, 8);
	}
	memcpy(&value, r + offset, size);	/* offset + size <= VIRTIO_BAR_COMMON_END: checked */
	return value;
}

/* Half of a 64-bit register: the driver writes them 32 bits at a time. */
static void put_half(uint64_t *reg, unsigned half, uint32_t value) {
	*reg = half ? (*reg & 0xffffffffull) | (uint64_t)value << 32
		    : (*reg & ~0xffffffffull) | value;
}

static void queue_write(struct virtio_dev *v, struct virtq *q, unsigned offset, uint32_t value) {
	const char *why;

	if (offset == Q_ENABLE && value == 1 && !q->enabled && !virtq_enable(v, q, &why))
		virtio_needs_reset(v, why);
	if (q->enabled)		/* the rest is the driver's only before enabling */
		return;
	if (offset == Q_SIZE)
		q->size = (uint16_t)value;
	else if (offset >= Q_DESC && offset < Q_DEVICE + 8)
		put_half(offset < Q_DRIVER ? &q->desc_gpa : offset < Q_DEVICE ? &q->avail_gpa
									 : &q->used_gpa,
			 offset % 8 / 4, value);
}

static void common_write(struct virtio_dev *v, unsigned offset, uint32_t value) {
	bool negotiating = !(v->status & VIRTIO_STATUS_FEATURES_OK);

	if (offset == DFSELECT)
		v->device_feature_select = value;
	else if (offset == GFSELECT)
		v->driver_feature_select = value;
	else if (offset == GF && negotiating && v->driver_feature_select < 2)
		put_half(&v->driver_features, v->driver_feature_select, value);
	else if (offset == STATUS)
		set_status(v, (uint8_t)value);
	else if (offset == Q_SELECT)
		v->queue_select = (uint16_t)value;
	else if (offset >= Q_SIZE && selected(v))
		queue_write(v, selected(v), offset, value);
}

void virtio_notify(struct virtio_dev *v, uint32_t q) {
	if (virtio_running(v) && q < (uint32_t)v->type->queues && v->vq[q].enabled)
		v->type->notify(v, (int)q);
}

/* One access to the BAR, at OFFSET, of SIZE bytes; the caller holds the lock. */
void virtio_bar_access(struct virtio_dev *v, unsigned offset, unsigned size, bool write,
		       uint32_t *value) {
	if (!write)
		*value = 0;
	if (offset + size <= VIRTIO_BAR_COMMON_END) {
		if (write)
			common_write(v, offset, *value);
		else
			*value = common_read(v, offset, size);
	} else if (offset == VIRTIO_BAR_NOTIFY && write) {
		virtio_notify(v, *value);
	} else if (offset == VIRTIO_BAR_ISR && !write) {
		*value = v->isr;	/* reading acknowledges (4.1.4.5.1) */
		v->isr = 0;
		lower_line(v);
	} else if (offset >= VIRTIO_BAR_DEVICE && offset - VIRTIO_BAR_DEVICE + size <= v->config_size) {
		if (!write) {
			memcpy(value, v->config + offset - VIRTIO_BAR_DEVICE, size);
		} else if (v->type->config_written) {
			memcpy(v->config + offset - VIRTIO_BAR_DEVICE, value, size);
			v->type->config_written(v);
		}
	}
}

struct run_result virtio_bar_io(void *device, uint16_t offset, struct pio_access *a) {
	struct virtio_dev *v = device;

	pthread_mutex_lock(&v->lock);
	if (pci_io_enabled(&v->pci))
		virtio_bar_access(v, offset, a->size, a->is_write, &a->value);
	else if (!a->is_write)
		a->value = 0xffffffff;	/* not decoding: nobody answers */
	pthread_mutex_unlock(&v->lock);
	return RUN_ON;
}
