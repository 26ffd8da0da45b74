/*
 * device: a virtio device as a PCI function (VIRTIO 1.2, 4.1.2-4.1.4):
 * vendor 0x1AF4, device 0x1040 + its type, revision 1 (a modern device),
 * and a list of vendor capabilities that tell the driver where in BAR 0
 * each register block is (transport.c answers them). The last capability,
 * VIRTIO_PCI_CAP_PCI_CFG, is a window into the BAR through configuration
 * space, for drivers that cannot map it (4.1.4.9).
 */
#include <string.h>

#include "virtio.h"

#define CAP_COMMON 1			/* cfg_type of struct virtio_pci_cap (4.1.4) */
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4
#define CAP_PCI_CFG 5
enum { AT_COMMON = 0x40, AT_NOTIFY = 0x50, AT_ISR = 0x64, AT_DEVICE = 0x74,
       AT_PCI_CFG = VIRTIO_PCI_CFG_AT };
#define CAP_LEN 16			/* struct virtio_pci_cap */
#define CAP_BAR 4			/* its fields */
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_EXTRA 16			/* notify_off_multiplier, or pci_cfg_data */

/* A vendor capability at AT pointing to [OFFSET, + LENGTH) of BAR 0. */
static void add_cap(struct pci_device *d, unsigned at, unsigned next, unsigned len,
		    unsigned type, uint32_t offset, uint32_t length) {
	uint8_t *c = d->config + at;

	c[0] = PCI_CAP_ID_VENDOR, c[1] = (uint8_t)next, c[2] = (uint8_t)len, c[3] = (uint8_t)type;
	pci_config_set(d, at + CAP_OFFSET, 4, offset);
	pci_config_set(d, at + CAP_LENGTH, 4, length);
}

/* The PCI_CFG window: the driver sets bar, offset and length (1, 2 or 4),
 * then reads or writes pci_cfg_data to access the BAR there. */
static bool window(struct virtio_dev *v, unsigned offset, unsigned size, unsigned *at,
		   unsigned *len) {
	const uint8_t *c = v->pci.config + AT_PCI_CFG;
	uint32_t where = pci_config_get(&v->pci, AT_PCI_CFG + CAP_OFFSET, 4);

	*len = pci_config_get(&v->pci, AT_PCI_CFG + CAP_LENGTH, 4);
	*at = where;
	return offset == AT_PCI_CFG + CAP_EXTRA && size == *len && c[CAP_BAR] == 0 &&
	       (*len == 1 || *len == 2 || *len == 4) && where < VIRTIO_BAR_SIZE &&
	       where + *len <= VIRTIO_BAR_SIZE;
}

static bool config_read(struct pci_device *d, unsigned offset, unsigned size, uint32_t *value) {
	struct virtio_dev *v = d->owner;
	unsigned at, len;

	if (!window(v, offset, size, &at, &len))
		return false;
	pthread_mutex_lock(&v->lock);
	virtio_bar_access(v, at, len, false, value);
	pthread_mutex_unlock(&v->lock);
	return true;
}

/* Writable: the window's bar, offset and length, and its data. */
static void config_write(struct pci_device *d, unsigned offset, unsigned size, uint32_t value) {
	struct virtio_dev *v = d->owner;
	unsigned at, len;

	if (window(v, offset, size, &at, &len)) {
		pthread_mutex_lock(&v->lock);
		virtio_bar_access(v, at, len, true, &value);
		pthread_mutex_unlock(&v->lock);
	} else if (offset >= AT_PCI_CFG + CAP_BAR && offset + size <= AT_PCI_CFG + CAP_EXTRA) {
		pci_config_set(d, offset, size, value);
	}
}

void virtio_init(struct virtio_dev *v, const struct virtio_type *type, void *device,
		 uint64_t features, void *config, uint32_t config_size, struct guest_memory *mem,
		 const char *who) {
	struct pci_device *d = &v->pci;

	*v = (struct virtio_dev){ .type = type, .device = device, .who = who, .mem = mem,
				  .features = features | VIRTIO_F_VERSION_1, .config = config,
				  .config_size = config_size };
	pthread_mutex_init(&v->lock, NULL);
	virtio_reset(v);
	pci_config_set(d, PCI_VENDOR_ID, 2, VIRTIO_VENDOR);
	pci_config_set(d, PCI_DEVICE_ID, 2, VIRTIO_DEVICE_ID_BASE + type->id);
	pci_config_set(d, PCI_REVISION_ID, 1, 1);
	pci_config_set(d, PCI_CLASS_PROG, 3, type->class_code);
	pci_config_set(d, PCI_SUBSYSTEM_VENDOR_ID, 2, VIRTIO_VENDOR);
	pci_config_set(d, PCI_SUBSYSTEM_ID, 2, VIRTIO_DEVICE_ID_BASE + type->id);
	pci_config_set(d, PCI_STATUS, 2, PCI_STATUS_CAP_LIST);
	pci_config_set(d, PCI_CAPABILITY_LIST, 1, AT_COMMON);
	add_cap(d, AT_COMMON, AT_NOTIFY, CAP_LEN, CAP_COMMON, 0, VIRTIO_BAR_COMMON_END);
	add_cap(d, AT_NOTIFY, AT_ISR, CAP_LEN + 4, CAP_NOTIFY, VIRTIO_BAR_NOTIFY, 2);
	pci_config_set(d, AT_NOTIFY + CAP_EXTRA, 4, 0);	/* multiplier 0: one address */
	add_cap(d, AT_ISR, AT_DEVICE, CAP_LEN, CAP_ISR, VIRTIO_BAR_ISR, 1);
	add_cap(d, AT_DEVICE, AT_PCI_CFG, CAP_LEN, CAP_DEVICE, VIRTIO_BAR_DEVICE, config_size);
	add_cap(d, AT_PCI_CFG, 0, CAP_LEN + 4, CAP_PCI_CFG, 0, 0);
	d->read = config_read, d->write = config_write, d->owner = v;
}

int virtio_attach(struct virtio_dev *v, struct pci_bus *bus, struct pio_bus *pio,
		  uint16_t base, uint8_t line, int (*set_irq)(void *arg, bool level), void *arg) {
	v->set_irq = set_irq, v->irq_arg = arg;
	return pci_bus_add(bus, &v->pci, pio, base, VIRTIO_BAR_SIZE, virtio_bar_io, v, line);
}

/* After the run: the lock was made by virtio_init, and only then. */
void virtio_stop(struct virtio_dev *v) {
	if (v->type)
		pthread_mutex_destroy(&v->lock);
	v->type = NULL;
}
