/* cpu_mode: the registers a guest starts with, per CPU mode. */
#ifndef CPU_MODE_H
#define CPU_MODE_H

#include <stdint.h>

#include "kvm.h"

#define REAL_MODE_MEMORY_DEFAULT (256u << 10)
#define REAL_MODE_MEMORY_MAX     (1u << 20)	/* what 16-bit segment:offset reaches */

/* 16-bit real mode, entered at CS:IP = 0000:0000 with DS = ES = SS = 0.
 * 0, or EX_UNAVAILABLE if KVM refused the registers. */
int cpu_mode_setup_real(struct vm *vm, uint64_t memory_size, const char *who);

#endif
