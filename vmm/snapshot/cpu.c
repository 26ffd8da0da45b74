/*
 * cpu: the processor's part of a snapshot -- the vCPU's registers and
 * everything KVM keeps for it, and the VM's interrupt controllers and
 * clocks. Each is one KVM_GET_* ioctl to save and its KVM_SET_* to
 * restore (the KVM API document: each ioctl's section), in an order that matters
 * (snapshot_restore_cpu says why).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "core/log.h"
#include "snapshot.h"

#define CPUID_MAX 256

/* A kvm_cpuid2 with room for CPUID_MAX entries (a union: a struct that
 * ends in a flexible array cannot be followed by more members). */
union cpuid {
	struct kvm_cpuid2 header;
	uint8_t room[sizeof(struct kvm_cpuid2) + CPUID_MAX * sizeof(struct kvm_cpuid_entry2)];
};

/* One fixed-size state: GET it with REQUEST into a section. */
static int save_one(struct snapshot *s, int fd, unsigned long request, const char *name,
		    enum snapshot_type type, uint32_t instance, void *buf, size_t size,
		    const char *who) {
	if (kvm_ioctl(fd, request, buf, name, who) < 0)
		return EX_OSERR;
	return snapshot_add(s, type, instance, buf, size) < 0 ? EX_OSERR : 0;
}
#define SAVE(s, fd, req, type, inst, buf, who) \
	save_one(s, fd, req, #req, type, inst, buf, sizeof(*(buf)), who)

/* KVM finishes an exit's instruction (an IN's data into a register, a
 * string I/O's next round) on the next KVM_RUN: the KVM API's note under
 * KVM_EXIT_IO says its operations "are complete (and guest state is
 * consistent) only after userspace has re-entered the kernel with KVM_RUN.
 * The kernel side will first finish incomplete operations and then check
 * for pending signals". A KVM_RUN with immediate_exit set (KVM API 5,
 * "immediate_exit") finishes it and returns at once. A string I/O may need
 * another exit: handled like any other. */
static int finish_exit(struct guest *g) {
	struct kvm_run *run = g->vm.vcpu[0].run;
	int rc;

	for (;;) {
		run->immediate_exit = 1;
		rc = ioctl(g->vm.vcpu[0].fd, KVM_RUN, 0);
		run->immediate_exit = 0;
		if (g->queued.replay && g->queued.replay(g, g->queued.arg).ends)
			return EX_SOFTWARE;
		if (rc < 0)
			return errno == EINTR ? 0 : (log_error(g->name, "snapshot: KVM_RUN failed"),
						     EX_OSERR);
		if (vcpu_handle_exit(g, &g->vm.vcpu[0]).ends)
			return log_error(g->name, "snapshot: the guest ended while being saved"),
			       EX_SOFTWARE;
	}
}

static int save_cpuid(struct snapshot *s, struct guest *g) {
	union cpuid c = { .header.nent = CPUID_MAX };

	if (KVM_IOCTL(g->vm.vcpu[0].fd, KVM_GET_CPUID2, &c, g->name) < 0)
		return EX_OSERR;
	return snapshot_add(s, SNAP_CPUID, 0, c.header.entries,
			    c.header.nent * sizeof(c.header.entries[0])) < 0 ? EX_OSERR : 0;
}

static int save_irqchip(struct snapshot *s, struct guest *g) {
	static const enum snapshot_type types[] = { SNAP_PIC_MASTER, SNAP_PIC_SLAVE, SNAP_IOAPIC };
	struct kvm_pit_state2 pit;
	struct kvm_lapic_state lapic;
	struct kvm_mp_state mp;
	int rc = 0;

	for (uint32_t chip = 0; !rc && chip < 3; chip++) {
		struct kvm_irqchip c = { .chip_id = chip };

		rc = SAVE(s, g->vm.fd, KVM_GET_IRQCHIP, types[chip], 0, &c, g->name);
	}
	return rc ?: SAVE(s, g->vm.fd, KVM_GET_PIT2, SNAP_PIT, 0, &pit, g->name) ?:
	       SAVE(s, g->vm.vcpu[0].fd, KVM_GET_LAPIC, SNAP_LAPIC, 0, &lapic, g->name) ?:
	       SAVE(s, g->vm.vcpu[0].fd, KVM_GET_MP_STATE, SNAP_MP_STATE, 0, &mp, g->name);
}

/* The registers. A hypercall that a save interrupted while it waited for
 * input (HC_GETCHAR, HC_READ) was not answered: the guest is saved at its
 * OUT, with the call's number still in EAX, to make it again when resumed.
 * KVM steps past an OUT only on the next KVM_RUN (finish_exit's), so RIP
 * at the exit is the OUT's (arch/x86/kvm/x86.c, complete_fast_pio_out).
 * A KVM that stepped past it before the exit leaves no trace of where it
 * was: then the save is refused rather than resumed wrong. */
static int save_regs(struct snapshot *s, struct guest *g, uint64_t exit_rip, bool redo) {
	struct kvm_regs regs;

	if (KVM_IOCTL(g->vm.vcpu[0].fd, KVM_GET_REGS, &regs, g->name) < 0)
		return EX_OSERR;
	if (redo && regs.rip == exit_rip) {	/* (PVM does; where the OUT was is lost) */
		log_error(g->name, "snapshot: not saved: this host's KVM steps past an OUT before "
			  "its exit, so the input call the save interrupted could not be made again");
		return EX_SOFTWARE;
	}
	if (redo)
		regs.rip = exit_rip;
	return snapshot_add(s, SNAP_REGS, 0, &regs, sizeof(regs)) < 0 ? EX_OSERR : 0;
}

/* The vCPU's TSC rate: a guest calibrated its clocks against it. */
static int save_tsc_khz(struct snapshot *s, struct guest *g) {
	int khz = ioctl(g->vm.vcpu[0].fd, KVM_GET_TSC_KHZ, 0);
	uint32_t saved = khz > 0 ? (uint32_t)khz : 0;

	return snapshot_add(s, SNAP_TSC_KHZ, 0, &saved, sizeof(saved)) < 0 ? EX_OSERR : 0;
}

/* The same TSC rate here, which KVM scales to where the CPU can
 * (KVM_CAP_TSC_CONTROL); a guest whose TSC ran at another rate would see
 * its time run fast or slow. */
static int load_tsc_khz(const struct snapshot *s, struct guest *g) {
	uint32_t saved;
	int rc = snapshot_get(s, SNAP_TSC_KHZ, 0, &saved, sizeof(saved), g->name), now;

	if (rc || saved == 0 || (now = ioctl(g->vm.vcpu[0].fd, KVM_GET_TSC_KHZ, 0)) == (int)saved)
		return rc;
	if (ioctl(g->vm.vcpu[0].fd, KVM_SET_TSC_KHZ, (unsigned long)saved) < 0) {
		log_error(g->name, "snapshot: saved on a CPU whose TSC runs at %u kHz; this host's "
			  "KVM runs it at %d kHz and cannot change that", saved, now);
		return EX_DATAERR;
	}
	return 0;
}

int snapshot_save_cpu(struct snapshot *s, struct guest *g) {
	uint64_t exit_rip = g->vm.vcpu[0].run->s.regs.regs.rip;
	bool redo = g->hc.interrupted;
	struct kvm_sregs sregs;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs;
	struct kvm_debugregs debug;
	struct kvm_vcpu_events events;
	struct kvm_clock_data clock;
	int fd = g->vm.vcpu[0].fd, rc = finish_exit(g);

	return rc ?: save_cpuid(s, g) ?: save_tsc_khz(s, g) ?: save_regs(s, g, exit_rip, redo) ?:
	       SAVE(s, fd, KVM_GET_SREGS, SNAP_SREGS, 0, &sregs, g->name) ?:
	       SAVE(s, fd, KVM_GET_XSAVE, SNAP_XSAVE, 0, &xsave, g->name) ?:
	       SAVE(s, fd, KVM_GET_XCRS, SNAP_XCRS, 0, &xcrs, g->name) ?:
	       SAVE(s, fd, KVM_GET_DEBUGREGS, SNAP_DEBUGREGS, 0, &debug, g->name) ?:
	       snapshot_save_msrs(s, g) ?:
	       SAVE(s, fd, KVM_GET_VCPU_EVENTS, SNAP_EVENTS, 0, &events, g->name) ?:
	       SAVE(s, g->vm.fd, KVM_GET_CLOCK, SNAP_CLOCK, 0, &clock, g->name) ?:
	       (g->vm.irqchip ? save_irqchip(s, g) : 0);
}

/* Restoring: each section into its KVM_SET_* ioctl. */
static int load_one(const struct snapshot *s, int fd, unsigned long request, const char *name,
		    enum snapshot_type type, void *buf, size_t size, const char *who) {
	int rc = snapshot_get(s, type, 0, buf, size, who);

	if (rc == 0 && kvm_ioctl(fd, request, buf, name, who) < 0)
		rc = EX_DATAERR;	/* KVM refused the saved state */
	return rc;
}
#define LOAD(s, fd, req, type, buf, who) load_one(s, fd, req, #req, type, buf, sizeof(*(buf)), who)

static int load_cpuid(const struct snapshot *s, struct guest *g) {
	union cpuid c;
	int rc = snapshot_table(s, SNAP_CPUID, c.header.entries, sizeof(c.header.entries[0]),
				CPUID_MAX, &c.header.nent, g->name);

	if (rc || c.header.nent == 0)	/* a real-mode guest: KVM's default CPU */
		return rc;
	return KVM_IOCTL(g->vm.vcpu[0].fd, KVM_SET_CPUID2, &c, g->name) < 0 ? EX_DATAERR : 0;
}

/* The VM: its PIT, and the PICs and IOAPIC, whose line levels include
 * the devices' (restored after). */
static int load_irqchip(const struct snapshot *s, struct guest *g) {
	static const enum snapshot_type types[] = { SNAP_PIC_MASTER, SNAP_PIC_SLAVE, SNAP_IOAPIC };
	struct kvm_pit_state2 pit;
	int rc = 0;

	for (uint32_t chip = 0; !rc && chip < 3; chip++) {
		struct kvm_irqchip c;

		rc = snapshot_get(s, types[chip], 0, &c, sizeof(c), g->name);
		if (!rc && (c.chip_id != chip || KVM_IOCTL(g->vm.fd, KVM_SET_IRQCHIP, &c,
							   g->name) < 0))
			rc = EX_DATAERR;
	}
	return rc ?: LOAD(s, g->vm.fd, KVM_SET_PIT2, SNAP_PIT, &pit, g->name);
}

/* The special registers, with one correction on AMD. KVM's SVM reports
 * TR as busy whatever the VMCB holds (arch/x86/kvm/svm/svm.c,
 * svm_get_segment: "the busy flag in the tr selector isn't exported"), and
 * the VMCB holds it as SVM hardware stores it after LTR, available (type
 * 9); AMD's VMRUN does not check it. Given back busy, QEMU's emulated SVM
 * (the tier) aborts at the guest's next interrupt from ring 3 ("invalid
 * tss type"). Intel's VM entry requires it busy: there it stays. */
#define SEG_TYPE_TSS_AVAILABLE 0x9
#define SEG_TYPE_TSS_BUSY 0xb
static int load_sregs(const struct snapshot *s, struct guest *g) {
	struct kvm_sregs sregs;
	char vendor[16];
	uint64_t xsave;
	int rc = snapshot_get(s, SNAP_SREGS, 0, &sregs, sizeof(sregs), g->name);

	if (rc)
		return rc;
	snapshot_host_cpu(vendor, &xsave);
	if (strcmp(vendor, "AuthenticAMD") == 0 && sregs.tr.type == SEG_TYPE_TSS_BUSY)
		sregs.tr.type = SEG_TYPE_TSS_AVAILABLE;
	return KVM_IOCTL(g->vm.vcpu[0].fd, KVM_SET_SREGS, &sregs, g->name) < 0 ? EX_DATAERR : 0;
}

/* Pending events. KVM_GET_VCPU_EVENTS fills in the pending NMI and the SIPI
 * vector but never says so in its flags, and KVM_SET_VCPU_EVENTS ignores
 * them unless told (KVM API, "KVM_SET_VCPU_EVENTS": "KVM_VCPUEVENT_VALID_
 * NMI_PENDING ... KVM_VCPUEVENT_VALID_SIPI_VECTOR"): without these two, an
 * NMI pending when saved would be lost. Of the file's own flags, only those
 * whose state every KVM saves are kept. */
static int load_events(const struct snapshot *s, struct guest *g) {
	struct kvm_vcpu_events events;
	int rc = snapshot_get(s, SNAP_EVENTS, 0, &events, sizeof(events), g->name);

	if (rc)
		return rc;
	events.flags = (events.flags & (KVM_VCPUEVENT_VALID_SHADOW | KVM_VCPUEVENT_VALID_SMM)) |
		       KVM_VCPUEVENT_VALID_NMI_PENDING | KVM_VCPUEVENT_VALID_SIPI_VECTOR;
	return KVM_IOCTL(g->vm.vcpu[0].fd, KVM_SET_VCPU_EVENTS, &events, g->name) < 0 ? EX_DATAERR
										  : 0;
}

/*
 * The order is KVM's, not ours to choose:
 *  - CPUID first: KVM checks the registers against it (KVM_SET_SREGS
 *    refuses CR4 bits, KVM_SET_XCRS XCR0 bits, KVM_SET_MSRS MSRs that the
 *    guest's CPUID does not have; KVM API, "KVM_SET_CPUID2").
 *  - SREGS before LAPIC: the APIC base register (in sregs) says whether
 *    the LAPIC is in xAPIC or x2APIC mode, which is how KVM_SET_LAPIC reads
 *    its ID (KVM API, "KVM_GET_LAPIC").
 *  - MSRs after the LAPIC: MSR_IA32_TSC_DEADLINE arms the LAPIC's timer,
 *    which KVM_SET_LAPIC would reset.
 *  - vCPU events last: a pending exception, interrupt or NMI (KVM API,
 *    "KVM_SET_VCPU_EVENTS") would be lost to an ioctl after them.
 * The clock before any of it: KVM_SET_CLOCK sets kvmclock's base, which
 * the guest reads through MSRs restored next; with it, guest time goes on
 * from where it was saved (KVM API, "KVM_SET_CLOCK").
 */
int snapshot_restore_cpu(const struct snapshot *s, struct guest *g) {
	struct kvm_regs regs;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs;
	struct kvm_debugregs debug;
	struct kvm_clock_data clock;
	struct kvm_lapic_state lapic;
	struct kvm_mp_state mp;
	int fd = g->vm.vcpu[0].fd, rc;

	if ((rc = snapshot_get(s, SNAP_CLOCK, 0, &clock, sizeof(clock), g->name)))
		return rc;
	clock.flags = 0;	/* (the saved flags are KVM's remarks, not requests) */
	if (KVM_IOCTL(g->vm.fd, KVM_SET_CLOCK, &clock, g->name) < 0)
		return EX_DATAERR;
	return (g->vm.irqchip ? load_irqchip(s, g) : 0) ?: load_cpuid(s, g) ?: load_tsc_khz(s, g) ?:
	       (g->vm.irqchip ? LOAD(s, fd, KVM_SET_MP_STATE, SNAP_MP_STATE, &mp, g->name) : 0) ?:
	       LOAD(s, fd, KVM_SET_REGS, SNAP_REGS, &regs, g->name) ?:
	       load_sregs(s, g) ?:
	       LOAD(s, fd, KVM_SET_XSAVE, SNAP_XSAVE, &xsave, g->name) ?:
	       LOAD(s, fd, KVM_SET_XCRS, SNAP_XCRS, &xcrs, g->name) ?:
	       LOAD(s, fd, KVM_SET_DEBUGREGS, SNAP_DEBUGREGS, &debug, g->name) ?:
	       (g->vm.irqchip ? LOAD(s, fd, KVM_SET_LAPIC, SNAP_LAPIC, &lapic, g->name) : 0) ?:
	       snapshot_load_msrs(s, g) ?: load_events(s, g);
}
