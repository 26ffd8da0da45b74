/*
 * pio.h: the port-I/O bus (pio.c). Devices claim port ranges at start-up;
 * each guest access goes to the device that claimed its port, or follows
 * the one policy for unclaimed ports. This is also where every handler's
 * answer to the exit loop is defined: struct run_result.
 */
#ifndef CORE_PIO_H
#define CORE_PIO_H

#include <stdbool.h>
#include <stdint.h>

/* What a handler tells the exit loop: the guest runs on, or it ends with
 * STATUS (its exit status, or the VMM's: log.h). A struct, so that no
 * handler can end a guest by returning a bare number by mistake. */
struct run_result {
	bool ends;
	int status;
};
#define RUN_ON ((struct run_result){ .ends = false, .status = 0 })
static inline struct run_result run_ends(int status) {
	return (struct run_result){ .ends = true, .status = status };
}

struct pio_access {
	uint16_t port;
	uint8_t size;		/* 1, 2 or 4 bytes */
	bool is_write;
	uint32_t value;		/* a read's device fills it in */
};
/* OFFSET: the port's distance from the claimed range's base. */
typedef struct run_result pio_handler(void *device, uint16_t offset, struct pio_access *access);

#define PIO_MAX_DEVICES 16
struct pio_bus {
	struct pio_device {
		const char *name;
		uint16_t base, count;
		pio_handler *handle;
		void *device;
	} devices[PIO_MAX_DEVICES];
	int device_count;
	uint64_t unclaimed;	/* accesses that no device claimed (--stats) */
};
/* Claim [BASE, BASE + COUNT): -1 if it overlaps a claim or the bus is full. */
int pio_register(struct pio_bus *bus, const char *name, uint16_t base, uint16_t count,
		 pio_handler *handle, void *device);
const struct pio_device *pio_find(const struct pio_bus *bus, uint16_t port);
struct run_result pio_dispatch(struct pio_bus *bus, struct pio_access *access);

#endif
