/*
 * virtio.h: virtio 1.x devices over PCI (OASIS VIRTIO 1.2, "the spec"
 * below). queue.c walks split virtqueues (spec 2.7), checking every index,
 * descriptor and length the guest wrote; device.c puts a device on the PCI
 * bus with its capabilities (spec 4.1.4), transport.c answers its registers:
 * the common configuration, notifications, the ISR and INTx; blk.c, net.c
 * and balloon.c are the devices. A device
 * that finds the driver's data bad sets DEVICE_NEEDS_RESET (spec 2.1.2)
 * and does nothing more until reset: it never crashes the VMM and never
 * touches memory outside guest RAM. docs/virtio.md is the lesson.
 */
#ifndef VIRTIO_VIRTIO_H
#define VIRTIO_VIRTIO_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "core/memory.h"
#include "pci/pci.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_DEVICE_ID_BASE 0x1040	/* + the device type: a modern device (spec 4.1.2) */
#define VIRTIO_BAR_SIZE 0x100
#define VIRTIO_BAR_COMMON_END 0x38	/* the BAR: common configuration ... */
#define VIRTIO_BAR_NOTIFY 0x40		/* ... a queue's index, written ... */
#define VIRTIO_BAR_ISR 0x44		/* ... the ISR status ... */
#define VIRTIO_BAR_DEVICE 0x80		/* ... the device's configuration */
/* The PCI_CFG capability's writable bytes in configuration space: its BAR,
 * offset and length (device.c). */
#define VIRTIO_PCI_CFG_AT 0x84
#define VIRTIO_PCI_CFG_WINDOW (VIRTIO_PCI_CFG_AT + 4)
#define VIRTIO_PCI_CFG_WINDOW_SIZE 12

/* Device status bits (spec 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 0x01
#define VIRTIO_STATUS_DRIVER 0x02
#define VIRTIO_STATUS_DRIVER_OK 0x04
#define VIRTIO_STATUS_FEATURES_OK 0x08
#define VIRTIO_STATUS_NEEDS_RESET 0x40
#define VIRTIO_STATUS_FAILED 0x80
#define VIRTIO_F_VERSION_1 (1ull << 32)	/* spec 6: the only transport feature we offer */
#define VIRTIO_ISR_QUEUE 0x1		/* spec 4.1.4.5 */
#define VIRTIO_ISR_CONFIG 0x2

#define VIRTQ_MAX 256			/* the largest queue we offer */
#define VIRTIO_QUEUES_MAX 3

/* The split ring's structures in guest memory (spec 2.7), little-endian. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2
#define VIRTQ_DESC_F_INDIRECT 4		/* not offered: refused */
struct virtq_avail {
	uint16_t flags, idx, ring[];
};
struct virtq_used_elem {
	uint32_t id, len;
};
struct virtq_used {
	uint16_t flags, idx;
	struct virtq_used_elem ring[];
};

struct virtq {
	uint16_t size;			/* the driver's choice, a power of 2 <= VIRTQ_MAX */
	uint16_t enabled;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	struct virtq_desc *desc;	/* checked at enable: inside RAM, aligned */
	struct virtq_avail *avail;
	struct virtq_used *used;
	uint16_t last_avail;		/* the next available entry to take */
	uint16_t used_idx;		/* ours: the guest's copy is never read back */
};

/* One request: its buffers as host addresses, the device-readable ones
 * first, then the device-writable ones (spec 2.7.4.2 requires that order). */
struct virtq_chain {
	uint16_t head;
	int readable, writable;		/* how many of IOV are each */
	uint64_t read_bytes, write_bytes;
	struct iovec iov[VIRTQ_MAX];
};

struct virtio_dev;
struct virtio_type {
	const char *name;		/* "virtio-blk" */
	uint16_t id;			/* the device type (spec 5) */
	uint32_t class_code;		/* PCI class, subclass, programming interface */
	int queues;
	/* Buffers were made available in queue Q; called with the lock held. */
	void (*notify)(struct virtio_dev *v, int q);
	/* The driver wrote the device configuration (NULL: read-only). */
	void (*config_written)(struct virtio_dev *v);
	void (*reset)(struct virtio_dev *v);	/* NULL: nothing of its own */
};

struct virtio_dev {
	const struct virtio_type *type;
	void *device;			/* the device's own state */
	const char *who;
	struct guest_memory *mem;
	struct pci_device pci;
	pthread_mutex_t lock;		/* the vCPU thread and a device's own thread */
	uint64_t features, driver_features;
	uint32_t device_feature_select, driver_feature_select;
	uint8_t status, config_generation, isr;
	uint16_t queue_select;
	struct virtq vq[VIRTIO_QUEUES_MAX];
	uint8_t *config;		/* the device configuration (spec 5.x.4) */
	uint32_t config_size;
	int (*set_irq)(void *arg, bool level);	/* the INTx line */
	void *irq_arg;
	bool irq_level;
};

/* device.c: the device on the PCI bus */
/* saved.c: what a snapshot keeps of a device, the registers its driver
 * wrote; loaded back with the same checks as the driver's writes. */
struct virtio_saved {
	uint8_t pci_config[PCI_CONFIG_SIZE];	/* its command, line and window bytes */
	uint8_t bar_sizing[PCI_BARS];
	uint8_t status, config_generation, isr, irq_level;
	uint16_t queue_select, reserved;
	uint32_t device_feature_select, driver_feature_select;
	uint64_t driver_features;
	struct virtq_saved {
		uint64_t desc_gpa, avail_gpa, used_gpa;
		uint16_t size, enabled, last_avail, used_idx;
	} vq[VIRTIO_QUEUES_MAX];
};
void virtio_save(const struct virtio_dev *v, struct virtio_saved *s);	/* V's lock held */
/* 0, or -1 with WHY: the saved state is not one a driver could have made. */
int virtio_load(struct virtio_dev *v, const struct virtio_saved *s, const char **why);

void virtio_init(struct virtio_dev *v, const struct virtio_type *type, void *device,
		 uint64_t features, void *config, uint32_t config_size, struct guest_memory *mem,
		 const char *who);
/* On BUS, its BAR at BASE, interrupting on LINE through SET_IRQ(ARG). */
int virtio_attach(struct virtio_dev *v, struct pci_bus *bus, struct pio_bus *pio,
		  uint16_t base, uint8_t line, int (*set_irq)(void *arg, bool level), void *arg);
void virtio_stop(struct virtio_dev *v);

/* transport.c: its registers */
pio_handler virtio_bar_io;
void virtio_bar_access(struct virtio_dev *v, unsigned offset, unsigned size, bool write,
		       uint32_t *value);
void virtio_reset(struct virtio_dev *v);
void virtio_interrupt(struct virtio_dev *v, uint8_t isr_bits);
/* The driver's data is bad: say WHY once, set DEVICE_NEEDS_RESET. */
void virtio_needs_reset(struct virtio_dev *v, const char *why);
bool virtio_running(const struct virtio_dev *v);	/* DRIVER_OK, not broken */
/* The driver wrote Q to the notify register (an exit, or KVM's eventfd:
 * kick.c): the device runs the queue if it may. The caller holds the lock. */
void virtio_notify(struct virtio_dev *v, uint32_t q);

/* queue.c */
/* The next chain of Q into C: 1, 0 when none waits, -1 (and the device
 * needs a reset) when the driver's ring or descriptors are bad. */
/* Check Q's size and rings (inside RAM, aligned) and enable it: true, or
 * false with WHY. */
bool virtq_enable(struct virtio_dev *v, struct virtq *q, const char **why);
int virtq_pop(struct virtio_dev *v, struct virtq *q, struct virtq_chain *c);
/* Give C's head back with WRITTEN bytes written into its buffers. */
void virtq_push(struct virtq *q, const struct virtq_chain *c, uint32_t written);
/* Copy between a chain's buffers, seen as one stream, and a flat buffer. */
size_t virtq_read(const struct virtq_chain *c, size_t at, void *dst, size_t len);
size_t virtq_write(const struct virtq_chain *c, size_t at, const void *src, size_t len);

#endif
