/* pio: the port-I/O registry and its one policy for unclaimed ports. */
#include "pio.h"

#include "guest.h"

int pio_register(struct pio_bus *bus, const char *name, uint16_t base,
		 uint16_t count, pio_handler *handle, void *device)
{
	uint32_t end = (uint32_t)base + count;	/* one past the last port */

	if (count == 0 || end > 0x10000 || bus->device_count == PIO_MAX_DEVICES)
		return -1;
	for (int i = 0; i < bus->device_count; i++) {
		const struct pio_device *d = &bus->devices[i];

		if (base < d->base + d->count && d->base < end)
			return -1;
	}
	bus->devices[bus->device_count++] = (struct pio_device){
		.name = name, .base = base, .count = count,
		.handle = handle, .device = device,
	};
	return 0;
}

const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port)
{
	for (int i = 0; i < bus->device_count; i++) {
		const struct pio_device *d = &bus->devices[i];

		if (port >= d->base && port - d->base < d->count)
			return d;
	}
	return NULL;
}

int pio_dispatch(struct pio_bus *bus, struct pio_access *access)
{
	const struct pio_device *d = pio_find(bus, access->port);

	if (d)
		return d->handle(d->device, access->port - d->base, access);
	bus->unclaimed++;
	if (!access->is_write)
		access->value = 0xFFFFFFFF;
	return GUEST_RUNNING;
}
