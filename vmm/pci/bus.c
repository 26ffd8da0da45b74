/*
 * bus: PCI configuration mechanism #1 (PCI Local Bus Specification 3.0,
 * 3.2.2.3.2). The guest writes an address to port 0xCF8 -- enable bit 31,
 * bus, device, function, register -- then reads or writes the register at
 * 0xCFC (plus the byte offset within it). Only bus 0, function 0 exists;
 * every other address reads all ones, as an empty slot does. A guest
 * writes what it likes: only the command register, the interrupt line,
 * BAR sizing and a device's own capability registers take writes.
 */
#include <string.h>

#include "pci.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc
#define ADDRESS_ENABLE 0x80000000u
#define HOST_BRIDGE_VENDOR 0x1af4	/* no driver binds it: only its class matters */
#define HOST_BRIDGE_DEVICE 0x1100
#define CLASS_HOST_BRIDGE 0x060000	/* Linux's pci_sanity_check looks for it */

void pci_config_set(struct pci_device *d, unsigned offset, unsigned size, uint32_t value) {
	memcpy(d->config + offset, &value, size);	/* little-endian, as PCI */
}

uint32_t pci_config_get(const struct pci_device *d, unsigned offset, unsigned size) {
	uint32_t value = 0;

	memcpy(&value, d->config + offset, size);
	return value;
}

uint16_t pci_command(const struct pci_device *d) {
	return __atomic_load_n((const uint16_t *)(d->config + PCI_COMMAND), __ATOMIC_RELAXED);
}

bool pci_io_enabled(const struct pci_device *d) {
	return pci_command(d) & PCI_COMMAND_IO;
}

/* The device the address register names, or NULL. */
static struct pci_device *addressed(const struct pci_bus *bus) {
	uint32_t a = bus->address;
	unsigned bus_nr = a >> 16 & 0xff, slot = a >> 11 & 0x1f, function = a >> 8 & 7;

	if (!(a & ADDRESS_ENABLE) || bus_nr != 0 || function != 0)
		return NULL;
	return bus->slot[slot];
}

/* A BAR register: its address, or while being sized the size mask. */
static uint32_t read_bar(const struct pci_device *d, unsigned bar) {
	if (d->bar_size[bar] && d->bar_sizing[bar])
		return ~(uint32_t)(d->bar_size[bar] - 1) | PCI_BAR_IO;
	return pci_config_get(d, PCI_BAR0 + 4 * bar, 4);
}

static uint32_t config_read(struct pci_device *d, unsigned offset, unsigned size) {
	unsigned bar = (offset - PCI_BAR0) / 4;
	uint32_t value;

	if (offset >= 0x40 && d->read && d->read(d, offset, size, &value))
		return value;
	if (offset >= PCI_BAR0 && offset < PCI_BAR0 + 4 * PCI_BARS)
		return read_bar(d, bar) >> 8 * (offset % 4) & (size == 4 ? ~0u : (1u << 8 * size) - 1);
	return pci_config_get(d, offset, size);
}

/* Sizing (all ones) is the one BAR write that means anything: BARs stay
 * where we placed them (PCI 3.0, 6.2.5.1). */
static void config_write(struct pci_device *d, unsigned offset, unsigned size, uint32_t value) {
	if (offset >= PCI_BAR0 && offset < PCI_BAR0 + 4 * PCI_BARS) {
		if (size == 4 && offset % 4 == 0)
			d->bar_sizing[(offset - PCI_BAR0) / 4] = value == 0xffffffff;
	} else if (offset == PCI_COMMAND && size >= 2) {
		__atomic_store_n((uint16_t *)(d->config + PCI_COMMAND),	/* pci_command() */
				 (uint16_t)(value & PCI_COMMAND_WRITABLE),
				 __ATOMIC_RELAXED);
	} else if (offset == PCI_INTERRUPT_LINE && size == 1) {
		/* A scratch register for the guest's notes (PCI 3.0, 6.2.4): it
		 * reads back, the device's line stays the one we wired. */
		pci_config_set(d, PCI_INTERRUPT_LINE, 1, value);
	} else if (offset >= 0x40 && d->write) {
		d->write(d, offset, size, value);
	}
}

static struct run_result address_io(void *device, uint16_t offset, struct pio_access *a) {
	struct pci_bus *bus = device;

	(void)offset;
	if (a->size != 4)	/* byte accesses here are other devices' (0xCF9) */
		a->value = a->is_write ? a->value : 0xffffffff;
	else if (a->is_write)
		bus->address = a->value;
	else
		a->value = bus->address;
	return RUN_ON;
}

static struct run_result data_io(void *device, uint16_t offset, struct pio_access *a) {
	struct pci_bus *bus = device;
	struct pci_device *d = addressed(bus);
	unsigned reg = (bus->address & 0xfc) + offset;

	if (!d || reg + a->size > PCI_CONFIG_SIZE) {	/* (offset 3, size 4: past it) */
		if (!a->is_write)
			a->value = 0xffffffff;
	} else if (a->is_write) {
		config_write(d, reg, a->size, a->value);
	} else {
		a->value = config_read(d, reg, a->size);
	}
	return RUN_ON;
}

int pci_bus_attach(struct pci_bus *bus, struct pio_bus *pio) {
	struct pci_device *h = &bus->host_bridge;

	*bus = (struct pci_bus){ .slot = { h } };
	pci_config_set(h, PCI_VENDOR_ID, 2, HOST_BRIDGE_VENDOR);
	pci_config_set(h, PCI_DEVICE_ID, 2, HOST_BRIDGE_DEVICE);
	pci_config_set(h, PCI_CLASS_PROG, 3, CLASS_HOST_BRIDGE);
	/* One port for the address: 0xCF9 is the PC's reset register. */
	return pio_register(pio, "pci address", CONFIG_ADDRESS, 1, address_io, bus) ?:
	       pio_register(pio, "pci data", CONFIG_DATA, 4, data_io, bus);
}

int pci_bus_add(struct pci_bus *bus, struct pci_device *d, struct pio_bus *pio,
		uint16_t base, uint16_t size, pio_handler *handle, void *device, uint8_t line) {
	int slot = 1;

	while (slot < PCI_SLOTS && bus->slot[slot])
		slot++;
	if (slot == PCI_SLOTS || pio_register(pio, "pci bar", base, size, handle, device) < 0)
		return -1;
	d->bar_size[0] = size;
	pci_config_set(d, PCI_BAR0, 4, base | PCI_BAR_IO);
	pci_config_set(d, PCI_INTERRUPT_LINE, 1, line);
	pci_config_set(d, PCI_INTERRUPT_PIN, 1, 1);	/* INTA# */
	bus->slot[slot] = d;
	return 0;
}
