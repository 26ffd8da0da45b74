/*
 * probe: what this host's KVM lets a debugger do. Hardware KVMs single-step
 * a guest and stop it at hardware breakpoints in every mode; others do not
 * (measured below). A VM of three instructions in the guest's mode tells,
 * once per process (host/memo.h), before the seccomp filter forbids VMs.
 */
#include <string.h>
#include <sys/ioctl.h>

#include <mini-kvm/boot.h>

#include "core/log.h"
#include "gdb.h"
#include "host/host.h"
#include "long/long.h"

#define PROBE_CODE 0x100	/* protected mode: in the boot area, as host/probe.c */

/*
 * Can this host's KVM single-step a guest, and stop it at a hardware
 * breakpoint (KVM_SET_GUEST_DEBUG, KVM_EXIT_DEBUG), in the guest's CPU mode?
 * A VM of three instructions -- NOP, NOP, OUT -- in that mode, run once:
 * asked to step, or with DR0 on the second NOP, it must stop on that NOP,
 * not reach the OUT. Measured: hardware KVMs do both; PVM does
 * both in real and protected mode but neither for 64-bit code in ring 3
 * (which it runs natively); QEMU 7.2's emulation of AMD SVM (the real-KVM
 * tier) steps but never stops at a breakpoint (docs/debugging.md).
 */
#define DEBUG_PROBE_MEMORY (64u << 10)	/* 64-bit code must lie above the boot area */

/* Silent (no WHO): a probe's failure is its answer. */
static int debug_probe_setup(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem,
			     enum cpu_mode mode, uint64_t *code) {
	static const uint8_t nop_nop_out[] = { 0x90, 0x90, 0xee, 0xf4 };

	*code = mode == CPU_REAL ? 0 : mode == CPU_PROTECTED ? PROBE_CODE : BOOT_AREA_END;
	memcpy(mem->host + *code, nop_nop_out, sizeof(nop_nop_out));
	if (vm_create(kvm, vm, mem, NULL) || vcpu_create(vm, NULL))
		return -1;
	if (mode == CPU_REAL)
		return cpu_setup_real(vm, mem->size, NULL);
	if (mode == CPU_PROTECTED)
		return cpu_setup_protected(vm, mem, (uint32_t)*code, NULL);
	return vm_set_cpuid(kvm, vm, true, NULL) ?: cpu_setup_long(vm, mem, *code, NULL);
}

static bool probe_debug(const struct kvm *kvm, enum cpu_mode mode, bool step) {
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE };
	struct vm vm = { .fd = -1 };
	struct guest_memory mem;
	bool stopped = false;
	uint64_t code;

	if (guest_memory_map(&mem, DEBUG_PROBE_MEMORY) < 0)
		return false;
	if (debug_probe_setup(kvm, &vm, &mem, mode, &code) == 0) {
		dbg.control |= step ? KVM_GUESTDBG_SINGLESTEP : KVM_GUESTDBG_USE_HW_BP;
		dbg.arch.debugreg[0] = code + 1;
		dbg.arch.debugreg[7] = DR7_FIXED | (step ? 0 : DR7_LOCAL_ENABLE(0));
		stopped = gdb_sync_regs_now(&vm, NULL) == 0 &&
			  ioctl(vm.vcpu[0].fd, KVM_SET_GUEST_DEBUG, &dbg) == 0 &&
			  vcpu_run_uninterrupted(&vm.vcpu[0]) == 0 &&
			  vm.vcpu[0].run->exit_reason == KVM_EXIT_DEBUG &&
			  vm.vcpu[0].run->s.regs.regs.rip == code + 1;
	}
	vm_destroy(&vm);
	guest_memory_unmap(&mem);
	return stopped;
}

struct question { const struct kvm *kvm; enum cpu_mode mode; bool step; };
static bool can[CPU_LONG + 1][2];

static bool find_out(void *arg) {
	const struct question *q = arg;

	can[q->mode][q->step] = probe_debug(q->kvm, q->mode, q->step);
	return true;
}

bool gdb_host_can(const struct kvm *kvm, enum cpu_mode mode, bool step) {
	static struct memo memo[CPU_LONG + 1][2] = {
		{ MEMO_INIT, MEMO_INIT }, { MEMO_INIT, MEMO_INIT }, { MEMO_INIT, MEMO_INIT } };

	memo_find(&memo[mode][step], find_out, &(struct question){ kvm, mode, step });
	return can[mode][step];
}

/* The probe that answers for G. What differs between KVMs is whether they
 * emulate the guest's code or run it natively: PVM runs 64-bit ring-3 code
 * natively, everything else it emulates. So ring-3 long mode has a probe
 * of its own, and code in ring 0 -- a Linux kernel too, though it is in
 * long mode -- is asked about through the protected-mode probe. */
enum cpu_mode gdb_probe_mode(const struct guest *g) {
	struct kvm_sregs s;

	if (g->cpu != CPU_LONG)
		return g->cpu;
	return ioctl(g->vm.vcpu[0].fd, KVM_GET_SREGS, &s) == 0 && s.cs.dpl == 0 ? CPU_PROTECTED
									       : CPU_LONG;
}

/* Whether this host's KVM can single-step this guest (STEP) or stop it at
 * a breakpoint: a probe VM in the guest's CPU mode tells (probe.c). Where
 * it cannot, say so once, in one line; gdb gets an error reply. */
bool gdb_can(struct guest *g, bool step) {
	struct gdb *d = gdb_of(g);

	if (gdb_host_can(g->kvm, d->probe_mode, step))
		return true;
	if (!d->said_cannot[step])
		log_error(g->name, "gdb: this host's KVM cannot %s in %s (see "
			  "docs/debugging.md)", step ? "single-step a guest" :
			  "stop a guest at breakpoints", g->cpu == CPU_REAL ? "real mode" :
			  gdb_cpu_is64(g) ? "64-bit mode" : "protected mode");
	d->said_cannot[step] = true;
	return false;
}
