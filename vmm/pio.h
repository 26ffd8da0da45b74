/* pio: the port-I/O registry. Devices claim port ranges; exits are routed here. */
#ifndef PIO_H
#define PIO_H

#include <stdbool.h>
#include <stdint.h>

#define PIO_MAX_DEVICES 8

/* One port access, as the guest made it. For a read the device fills VALUE. */
struct pio_access {
	uint16_t port;
	uint8_t size;		/* 1, 2 or 4 bytes */
	bool is_write;
	uint32_t value;
};

/* A device's handler. OFFSET is the port minus the device's base.
 * Returns GUEST_RUNNING, or the guest's final exit status to stop it. */
typedef int pio_handler(void *device, uint16_t offset, struct pio_access *access);

struct pio_device {
	const char *name;
	uint16_t base;
	uint16_t count;
	pio_handler *handle;
	void *device;
};

struct pio_bus {
	struct pio_device devices[PIO_MAX_DEVICES];
	int device_count;
	uint64_t unclaimed;	/* accesses to ports no device owns */
};

/* Claim [base, base + count). -1 if it overlaps a claim, wraps past port
 * 0xFFFF, is empty, or the bus is full. */
int pio_register(struct pio_bus *bus, const char *name, uint16_t base,
		 uint16_t count, pio_handler *handle, void *device);

/* The device owning PORT, or NULL. */
const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port);

/*
 * Route one access. Unclaimed ports behave like an empty ISA bus: reads
 * return all ones, writes are dropped; both are counted in bus->unclaimed.
 */
int pio_dispatch(struct pio_bus *bus, struct pio_access *access);

#endif
