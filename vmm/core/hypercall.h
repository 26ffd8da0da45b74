/*
 * hypercall.h: the device behind port HC_PORT (hypercall.c): the ABI of
 * include/mini-kvm/hypercall.h, one function per call number. A layer may
 * add the calls of a device it brings (the disk: vmm/devices).
 */
#ifndef CORE_HYPERCALL_H
#define CORE_HYPERCALL_H

#include <linux/kvm.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include <mini-kvm/hypercall.h>

#include "console.h"
#include "memory.h"
#include "pio.h"

/* One call: the arguments are in REGS (EBX, ECX), the result goes there too. */
typedef struct run_result hypercall_fn(void *device, struct kvm_regs *regs);

struct hypercalls {
	const char *who;		/* the guest's name, for --verbose */
	struct guest_memory *mem;
	struct console *out;
	struct input *in;		/* NULL: no stdin */
	const atomic_bool *stop;	/* set: a wait for input ends ... */
	bool interrupted;		/* ... unanswered: its OUT is to be run again */
	struct kvm_run *run;		/* the vCPU's registers, synced on each exit */
	struct timespec start;		/* HC_CLOCK counts from here */
	struct {
		hypercall_fn *call;
		void *device;
	} added[HC_COUNT];		/* calls a device added; none: HC_ERR_NODEV */
	uint64_t count[HC_COUNT], unknown;	/* --stats */
};
void hypercalls_init(struct hypercalls *hc, const char *who, struct guest_memory *mem,
		     struct console *out, struct input *in, const atomic_bool *stop);
/* NR is a device's call (HC_DISK_READ, HC_DISK_WRITE): CALL answers it. */
int hypercall_add(struct hypercalls *hc, uint32_t nr, hypercall_fn *call, void *device);
struct run_result hypercall_dispatch(struct hypercalls *hc, uint32_t nr, struct kvm_regs *regs);
const char *hypercall_name(uint32_t nr);
pio_handler hypercall_io;	/* DEVICE: a struct hypercalls whose RUN is set */

/* The ABI's 32-bit argument registers. */
#define HC_ARG1(regs) ((uint32_t)(regs)->rbx)
#define HC_ARG2(regs) ((uint32_t)(regs)->rcx)

#endif
