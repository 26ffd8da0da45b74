/* hypercall: the table behind port HC_PORT (ABI: include/mini-kvm/hypercall.h). */
#ifndef HYPERCALL_H
#define HYPERCALL_H

#include <linux/kvm.h>
#include <stdint.h>

#include "pio.h"

struct guest;

/* Run hypercall NR with the guest's registers REGS (results written there).
 * Returns GUEST_RUNNING, or the guest's exit status for HC_EXIT. */
int hypercall_dispatch(struct guest *g, uint32_t nr, struct kvm_regs *regs);

/* "PUTCHAR" etc., or NULL for an unknown number. */
const char *hypercall_name(uint32_t nr);

/* pio_handler for HC_PORT; its device is the struct guest. */
int hypercall_io(void *guest, uint16_t offset, struct pio_access *access);

#endif
