/*
 * pio: the port-I/O bus. Devices claim port ranges at start-up and
 * overlapping claims are refused. The one policy for unclaimed ports is
 * that of an empty ISA bus: reads return all ones, writes are dropped,
 * and both are counted (--stats) and shown by --verbose.
 */
#include <stddef.h>

#include "pio.h"

int pio_register(struct pio_bus *bus, const char *name, uint16_t base, uint16_t count,
		 pio_handler *handle, void *device) {
	uint32_t end = (uint32_t)base + count;	/* one past the last port */

	if (count == 0 || end > 0x10000 || bus->device_count == PIO_MAX_DEVICES)
		return -1;
	for (int i = 0; i < bus->device_count; i++) {
		const struct pio_device *d = &bus->devices[i];

		if (base < d->base + d->count && d->base < end)
			return -1;
	}
	bus->devices[bus->device_count++] = (struct pio_device){ .name = name, .base = base,
		.count = count, .handle = handle, .device = device };
	return 0;
}

const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port) {
	for (int i = 0; i < bus->device_count; i++)
		if (port >= bus->devices[i].base &&
		    port - bus->devices[i].base < bus->devices[i].count)
			return &bus->devices[i];
	return NULL;
}

struct run_result pio_dispatch(struct pio_bus *bus, struct pio_access *access) {
	const struct pio_device *d = pio_find(bus, access->port);

	if (d)
		return d->handle(d->device, (uint16_t)(access->port - d->base), access);
	bus->unclaimed++;
	if (!access->is_write)
		access->value = 0xFFFFFFFF;
	return RUN_ON;
}
