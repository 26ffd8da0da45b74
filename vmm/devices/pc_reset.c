/*
 * pc_reset: the small parts of a PC that a PC operating system (a Linux guest)
 * looks for beyond the UART, reduced to what it needs from them: the ways
 * to reset the machine. A reset ends the guest with status 0, as QEMU's
 * -no-reboot does: a VMM that boots a kernel to run one thing stops when
 * it asks for a reboot.
 *   0x60, 0x64  i8042 keyboard controller: no keyboard, and a status that
 *               makes that plain at once: always a byte to read (a driver
 *               that empties it finds the controller stuck: Linux says "No
 *               controller found") and never busy (so a writer does not
 *               wait); command 0xFE pulses the CPU's reset line (Linux's
 *               default reboot, "reboot=k")
 *   0x92        System Control Port A: bit 0 is a fast reset
 *   0xCF9       the chipset's Reset Control Register: bit 2 resets
 */
#include "core/log.h"
#include "devices.h"

#define I8042_DATA 0x60
#define I8042_COMMAND 0x64		/* reads: the status register */
#define I8042_PULSE_RESET 0xfe
#define I8042_STATUS_OUTPUT_FULL 0x01	/* input buffer empty (bit 1 clear) */
#define SYSTEM_CONTROL_A 0x92
#define SYSTEM_CONTROL_A20 0x02		/* A20 on: the only bit a reader should see */
#define SYSTEM_CONTROL_FAST_RESET 0x01
#define RESET_CONTROL 0xcf9
#define RESET_CONTROL_RESET_CPU 0x04

static bool asks_for_reset(const struct pio_access *a) {
	uint8_t v = (uint8_t)a->value;

	return (a->port == I8042_COMMAND && v == I8042_PULSE_RESET) ||
	       (a->port == SYSTEM_CONTROL_A && (v & SYSTEM_CONTROL_FAST_RESET)) ||
	       (a->port == RESET_CONTROL && (v & RESET_CONTROL_RESET_CPU));
}

static struct run_result pc_reset_io(void *pc, uint16_t offset, struct pio_access *a) {
	struct pc_reset *p = pc;

	(void)offset;	/* one-port claims: the port says which */
	if (!a->is_write) {
		a->value = a->port == SYSTEM_CONTROL_A ? SYSTEM_CONTROL_A20
			 : a->port == I8042_COMMAND ? I8042_STATUS_OUTPUT_FULL : 0;
		return RUN_ON;
	}
	if (!asks_for_reset(a))
		return RUN_ON;
	log_verbose(p->who, "the guest resets the machine (port 0x%x): it ends, status 0",
		    a->port);
	return run_ends(0);
}

int pc_reset_register(struct pc_reset *p, struct pio_bus *bus, const char *who) {
	p->who = who;
	return pio_register(bus, "i8042 data", I8042_DATA, 1, pc_reset_io, p) ?:
	       pio_register(bus, "i8042 command", I8042_COMMAND, 1, pc_reset_io, p) ?:
	       pio_register(bus, "system control A", SYSTEM_CONTROL_A, 1, pc_reset_io, p) ?:
	       pio_register(bus, "reset control", RESET_CONTROL, 1, pc_reset_io, p);
}
