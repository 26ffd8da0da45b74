/*
 * coalesced: a port whose writes stop exiting. KVM appends each to a ring
 * in the vCPU's mapping and carries on; the exit loop hands them to the
 * bus, oldest first, as soon as the vCPU exits for any reason -- so every
 * device sees them before anything the guest did later (KVM API 4.116
 * KVM_REGISTER_COALESCED_MMIO, with .pio = 1; KVM_CAP_COALESCED_PIO). Only
 * for a port whose writes need no answer and no immediate effect: the
 * UART's transmit register. A full ring makes the next write exit, so
 * nothing is lost. Without the capability, or if registering fails, the
 * writes exit one by one, as before: nothing else changes.
 */
#include <sys/ioctl.h>

#include "core/log.h"
#include "devices.h"

#define KVM_RUN_PAGE 4096	/* the unit of the vCPU mapping's page offsets (x86) */
#define RING_ENTRIES \
	((KVM_RUN_PAGE - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio))

/* KVM fills each entry and then advances LAST; we read LAST with acquire
 * ordering and hand slots back by advancing FIRST (KVM API 4.116). The
 * ring is the VM's, not a vCPU's: with several vCPUs, others may add to it
 * meanwhile (taken at the next exit), and the guest's bus lock keeps this
 * the only reader. */
static struct run_result replay(struct guest *g, void *arg) {
	struct kvm_coalesced_mmio_ring *ring = ((struct coalesced_port *)arg)->ring;
	struct run_result result = RUN_ON;
	uint32_t last = __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE);

	for (uint32_t i = ring->first; !result.ends && i != last;) {
		const struct kvm_coalesced_mmio *w;
		struct pio_access access = { .size = 1, .is_write = true };

		if (i >= RING_ENTRIES || last >= RING_ENTRIES)
			return run_ends(guest_crashed(g, "malformed coalesced ring (first %u, "
						      "last %u)", i, last));
		w = &ring->coalesced_mmio[i];
		if (!w->pio || w->len != 1 || w->phys_addr > UINT16_MAX)
			return run_ends(guest_crashed(g, "malformed coalesced write in slot %u", i));
		access.port = (uint16_t)w->phys_addr, access.value = w->data[0];
		log_verbose(g->name, "queued write: port 0x%04x, value 0x%02x (no exit)",
			    access.port, access.value);
		g->stats.coalesced_writes++;
		result = pio_dispatch(&g->pio, &access);
		i = (i + 1) % RING_ENTRIES;
		__atomic_store_n(&ring->first, i, __ATOMIC_RELEASE);
	}
	return result;
}

/* At set-up, before the seccomp filter (which forbids KVM_CHECK_EXTENSION):
 * can KVM queue port writes, and where does its ring lie in kvm_run? */
void coalesced_port_init(struct coalesced_port *c, struct guest *g) {
	int page = ioctl(g->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO);

	*c = (struct coalesced_port){ .vm_fd = g->vm.fd };
	if (ioctl(g->kvm->fd, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_PIO) > 0 && page > 0 &&
	    (size_t)(page + 1) * KVM_RUN_PAGE <= g->vm.run_size)
		c->ring = (struct kvm_coalesced_mmio_ring *)((uint8_t *)g->vm.vcpu[0].run +
							     (size_t)page * KVM_RUN_PAGE);
}

/* Called during an exit, when the ring is empty: the order of writes is kept. */
int coalesced_port_start(struct coalesced_port *c, struct guest *g, uint16_t port) {
	struct kvm_coalesced_mmio_zone zone = { .addr = port, .size = 1, .pio = 1 };

	if (!c->ring || c->started ||
	    KVM_IOCTL(g->vm.fd, KVM_REGISTER_COALESCED_MMIO, &zone, g->name) < 0)
		return -1;
	c->port = port, c->started = true;
	g->queued = (struct queued_writes){ .replay = replay, .arg = c };
	return 0;
}

/* Before the VM is closed. Measured here: closing a VM with a coalesced
 * zone took 12-24 ms, unregistering it first 7 ms and the close then 0.2 ms. */
void coalesced_port_stop(struct coalesced_port *c) {
	struct kvm_coalesced_mmio_zone zone = { .addr = c->port, .size = 1, .pio = 1 };

	if (c->started)
		ioctl(c->vm_fd, KVM_UNREGISTER_COALESCED_MMIO, &zone);
	c->started = false;
}
