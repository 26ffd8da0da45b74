/*
 * saved: a virtio device's state for a snapshot (vmm/snapshot). It is what
 * the driver wrote -- the PCI command, the feature words, the status, each
 * queue's rings and how far the device has got in them -- and nothing of
 * ours (the device's own configuration comes from the command line again).
 * A snapshot file is data from outside: every value is checked as the
 * driver's own writes are, by the same functions.
 */
#include <string.h>

#include "virtio.h"

void virtio_save(const struct virtio_dev *v, struct virtio_saved *s) {
	*s = (struct virtio_saved){ .status = v->status, .config_generation =
				    v->config_generation, .isr = v->isr, .irq_level = v->irq_level,
				    .queue_select = v->queue_select,
				    .device_feature_select = v->device_feature_select,
				    .driver_feature_select = v->driver_feature_select,
				    .driver_features = v->driver_features };
	memcpy(s->pci_config, v->pci.config, PCI_CONFIG_SIZE);
	for (int i = 0; i < PCI_BARS; i++)
		s->bar_sizing[i] = v->pci.bar_sizing[i];
	for (int i = 0; i < VIRTIO_QUEUES_MAX; i++) {
		const struct virtq *q = &v->vq[i];

		s->vq[i] = (struct virtq_saved){ .desc_gpa = q->desc_gpa, .avail_gpa = q->avail_gpa,
						 .used_gpa = q->used_gpa, .size = q->size,
						 .enabled = q->enabled, .last_avail = q->last_avail,
						 .used_idx = q->used_idx };
	}
}

/* The bytes of configuration space a driver can write: the command
 * register, the interrupt line, and the PCI_CFG window's BAR, offset and
 * length (device.c); nothing else, whatever the file says. */
static void load_pci(struct pci_device *d, const struct virtio_saved *s) {
	unsigned command = s->pci_config[PCI_COMMAND] | s->pci_config[PCI_COMMAND + 1] << 8;

	pci_config_set(d, PCI_COMMAND, 2, command & PCI_COMMAND_WRITABLE);
	d->config[PCI_INTERRUPT_LINE] = s->pci_config[PCI_INTERRUPT_LINE];
	memcpy(d->config + VIRTIO_PCI_CFG_WINDOW, s->pci_config + VIRTIO_PCI_CFG_WINDOW,
	       VIRTIO_PCI_CFG_WINDOW_SIZE);
	for (int i = 0; i < PCI_BARS; i++)
		d->bar_sizing[i] = s->bar_sizing[i] != 0;
}

static int load_queues(struct virtio_dev *v, const struct virtio_saved *s, const char **why) {
	for (int i = 0; i < VIRTIO_QUEUES_MAX; i++) {
		const struct virtq_saved *saved = &s->vq[i];
		struct virtq *q = &v->vq[i];

		*q = (struct virtq){ .size = saved->size, .desc_gpa = saved->desc_gpa,
				     .avail_gpa = saved->avail_gpa, .used_gpa = saved->used_gpa };
		if (!saved->enabled)
			continue;
		if (i >= v->type->queues || !virtq_enable(v, q, why))
			return *why = i >= v->type->queues ? "a queue the device does not have is on"
							    : *why, -1;
		q->last_avail = saved->last_avail, q->used_idx = saved->used_idx;
	}
	return 0;
}

int virtio_load(struct virtio_dev *v, const struct virtio_saved *s, const char **why) {
	int rc = 0;

	pthread_mutex_lock(&v->lock);
	if ((s->driver_features & ~v->features) != 0) {
		*why = "the driver took features this device does not offer";
		rc = -1;
	} else {
		v->status = s->status, v->config_generation = s->config_generation;
		v->isr = s->isr & (VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
		v->queue_select = s->queue_select, v->driver_features = s->driver_features;
		v->device_feature_select = s->device_feature_select;
		v->driver_feature_select = s->driver_feature_select;
		load_pci(&v->pci, s);
		rc = load_queues(v, s, why);
	}
	/* The line as it was (KVM's irqchip was restored with it); then any
	 * buffers the driver made available that the device had not yet
	 * taken when it was saved. */
	if (rc == 0 && s->irq_level && v->set_irq && v->set_irq(v->irq_arg, true) == 0)
		v->irq_level = true;
	for (int i = 0; rc == 0 && i < v->type->queues; i++)
		virtio_notify(v, (uint32_t)i);
	pthread_mutex_unlock(&v->lock);
	return rc;
}
