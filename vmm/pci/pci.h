/*
 * pci.h: a PCI bus 0 reached through configuration mechanism #1: an
 * address at port 0xCF8, data at 0xCFC-0xCFF (PCI Local Bus Specification
 * 3.0, 3.2.2.3.2), a host bridge in slot 0 and up to 31 devices. Devices
 * have I/O-space BARs only, placed by us (no firmware here) and not moved
 * by the guest. Interrupts are INTx on a line of the in-kernel PIC.
 */
#ifndef PCI_PCI_H
#define PCI_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "core/pio.h"

#define PCI_SLOTS 32
#define PCI_BARS 6
#define PCI_CONFIG_SIZE 256

/* Configuration space offsets and bits (PCI 3.0, 6.1-6.2). */
#define PCI_VENDOR_ID 0x00
#define PCI_DEVICE_ID 0x02
#define PCI_COMMAND 0x04
#define PCI_COMMAND_IO 0x0001		/* I/O space decoding on */
#define PCI_COMMAND_MASTER 0x0004	/* the device may access memory */
#define PCI_COMMAND_INTX_DISABLE 0x0400
/* The command bits a driver can set here: the rest read as 0. */
#define PCI_COMMAND_WRITABLE (PCI_COMMAND_IO | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE)
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x0010
#define PCI_STATUS_INTERRUPT 0x0008
#define PCI_REVISION_ID 0x08
#define PCI_CLASS_PROG 0x09		/* then subclass, class: 3 bytes */
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_BAR_IO 0x1			/* bit 0 of an I/O-space BAR */
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID 0x2e
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN 0x3d
#define PCI_CAP_ID_VENDOR 0x09

struct pci_device {
	/* As the guest reads it. The command register (2 bytes at 4) is
	 * written by the vCPU thread and read by device threads: atomically,
	 * through pci_command(). */
	uint8_t config[PCI_CONFIG_SIZE] __attribute__((aligned(4)));
	uint16_t bar_size[PCI_BARS];	/* bytes, a power of 2; 0: no BAR */
	bool bar_sizing[PCI_BARS];	/* all ones written: the next read is the size */
	/* Accesses past the header (capabilities) that the device answers
	 * itself; OFFSET and SIZE are inside the space. READ returns false to
	 * let the bytes in CONFIG answer; WRITE NULL: read-only. */
	bool (*read)(struct pci_device *d, unsigned offset, unsigned size, uint32_t *value);
	void (*write)(struct pci_device *d, unsigned offset, unsigned size, uint32_t value);
	void *owner;
};

struct pci_bus {
	uint32_t address;		/* the last value written to 0xCF8 */
	struct pci_device host_bridge;
	struct pci_device *slot[PCI_SLOTS];
};

/* The bus on PIO (0xCF8 and 0xCFC-0xCFF), with its host bridge. */
int pci_bus_attach(struct pci_bus *bus, struct pio_bus *pio);
/* D into the next free slot, its BAR 0 of SIZE bytes claimed on PIO at
 * BASE, handled by HANDLE(DEVICE) while D's I/O decoding is on; its INTx
 * on LINE. -1 if the bus, or the port range, is taken. */
int pci_bus_add(struct pci_bus *bus, struct pci_device *d, struct pio_bus *pio,
		uint16_t base, uint16_t size, pio_handler *handle, void *device, uint8_t line);
/* The fields a device sets before it is added. */
void pci_config_set(struct pci_device *d, unsigned offset, unsigned size, uint32_t value);
uint32_t pci_config_get(const struct pci_device *d, unsigned offset, unsigned size);
bool pci_io_enabled(const struct pci_device *d);
uint16_t pci_command(const struct pci_device *d);

#endif
