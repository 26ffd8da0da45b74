/*
 * vcpu: the exit loop. KVM_RUN returns whenever the guest does something the
 * kernel leaves to us, and vcpu_handle_exit() is the whole list of answers.
 * KVM API 5, "The kvm_run structure", describes each exit.
 */
#define _GNU_SOURCE	/* sigabbrev_np */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "gdb.h"

#define NAME(reason) [KVM_EXIT_##reason] = #reason
static const char *const exit_names[] = {
	NAME(UNKNOWN), NAME(EXCEPTION), NAME(IO), NAME(HYPERCALL), NAME(DEBUG), NAME(HLT),
	NAME(MMIO), NAME(IRQ_WINDOW_OPEN), NAME(SHUTDOWN), NAME(FAIL_ENTRY), NAME(INTR),
	NAME(SET_TPR), NAME(TPR_ACCESS), NAME(NMI), NAME(INTERNAL_ERROR), NAME(SYSTEM_EVENT),
	NAME(IOAPIC_EOI), NAME(HYPERV), NAME(X86_RDMSR), NAME(X86_WRMSR),
	NAME(DIRTY_RING_FULL), NAME(AP_RESET_HOLD), NAME(X86_BUS_LOCK), NAME(XEN), NAME(NOTIFY),
};

const char *exit_reason_name(uint32_t reason) {
	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	return "unknown";
}

/* --verbose: one line per exit, in plain words. */
static void describe_exit(struct guest *g, const struct kvm_run *run) {
	const struct pio_device *dev = pio_find(&g->pio, run->io.port);
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	uint32_t value = 0;
	char data[48] = "";

	if (run->exit_reason != KVM_EXIT_IO) {
		log_error(g->name, "exit: %s", run->exit_reason == KVM_EXIT_HLT ?
			  "the guest executed HLT" : exit_reason_name(run->exit_reason));
		return;
	}
	memcpy(&value, (const uint8_t *)run + run->io.data_offset,
	       run->io.size < 4 ? run->io.size : 4);
	if (out)
		snprintf(data, sizeof(data), ", value 0x%x%s%s", value,
			 run->io.port == HC_PORT ? ": " : "",
			 run->io.port == HC_PORT ? (hypercall_name(value) ?: "unknown") : "");
	log_error(g->name, "exit: port %s 0x%04x (%s), %u byte(s) x %u%s", out ? "write" : "read",
		  run->io.port, dev ? dev->name : "no device", run->io.size, run->io.count, data);
}

/* Port I/O, string I/O (REP INS/OUTS) included: COUNT items of SIZE bytes
 * at DATA_OFFSET inside kvm_run. */
static int handle_io(struct guest *g, struct kvm_run *run) {
	uint8_t size = run->io.size, *data = (uint8_t *)run + run->io.data_offset;
	uint64_t bytes = (uint64_t)size * run->io.count;

	/* KVM fills these in; still, a wrong value must not make us write
	 * past kvm_run. */
	if ((size != 1 && size != 2 && size != 4) || run->io.data_offset > g->vm.run_size ||
	    bytes > g->vm.run_size - run->io.data_offset)
		return guest_crashed(g, "malformed I/O exit (size %u, count %u)", size,
				     run->io.count);
	for (uint32_t i = 0; i < run->io.count; i++, data += size) {
		struct pio_access access = { .port = run->io.port, .size = size,
					     .is_write = run->io.direction == KVM_EXIT_IO_OUT };
		int status;

		if (access.is_write)
			memcpy(&access.value, data, size);
		status = pio_dispatch(&g->pio, &access);
		if (!access.is_write)
			memcpy(data, &access.value, size);
		if (status != GUEST_RUNNING)
			return status;
	}
	return GUEST_RUNNING;
}

/*
 * Replay the port writes KVM queued instead of exiting (vm_coalesce_port),
 * oldest first: called after every KVM_RUN, before the exit itself is
 * handled, so devices see the guest's accesses in the order it made them.
 * KVM fills each entry and then advances LAST; we read LAST with acquire
 * ordering and hand slots back by advancing FIRST (KVM API 4.116).
 */
static int replay_coalesced(struct guest *g) {
	struct kvm_coalesced_mmio_ring *ring = g->vm.ring;
	int status = GUEST_RUNNING;
	uint32_t last;

	if (!ring)
		return GUEST_RUNNING;
	last = __atomic_load_n(&ring->last, __ATOMIC_ACQUIRE);	/* the vCPU is stopped */
	for (uint32_t i = ring->first; status == GUEST_RUNNING && i != last;) {
		const struct kvm_coalesced_mmio *w;
		struct pio_access access = { .size = 1, .is_write = true };

		if (i >= COALESCED_RING_ENTRIES || last >= COALESCED_RING_ENTRIES)
			return guest_crashed(g, "malformed coalesced ring (first %u, last %u)", i, last);
		w = &ring->coalesced_mmio[i];
		if (!w->pio || w->len != 1 || w->phys_addr > UINT16_MAX)
			return guest_crashed(g, "malformed coalesced write in slot %u", i);
		access.port = (uint16_t)w->phys_addr, access.value = w->data[0];
		if (log_verbose_enabled)
			log_error(g->name, "queued write: port 0x%04x, value 0x%02x (no exit)",
				  access.port, access.value);
		g->stats.coalesced_writes++;
		status = pio_dispatch(&g->pio, &access);
		i = (i + 1) % COALESCED_RING_ENTRIES;
		__atomic_store_n(&ring->first, i, __ATOMIC_RELEASE);
	}
	return status;
}

/* The guest cannot go on. If a probe shows that the host's KVM cannot do
 * what the guest was doing, say that instead of blaming the guest. */
static int handle_failure(struct guest *g, struct kvm_run *run) {
	const char *needs = host_cannot_run(g);

	if (needs)
		return guest_crashed(g, "needs %s, which this host's KVM cannot do (VT-x or "
				     "AMD-V hosts can): %s", needs,
				     exit_reason_name(run->exit_reason));
	switch (run->exit_reason) {
	case KVM_EXIT_SHUTDOWN:
		return guest_crashed(g, "triple fault (KVM_EXIT_SHUTDOWN)");
	case KVM_EXIT_FAIL_ENTRY:
		return guest_crashed(g, "the CPU refused to enter the guest (KVM_EXIT_FAIL_ENTRY, "
				     "hardware reason 0x%llx)", (unsigned long long)
				     run->fail_entry.hardware_entry_failure_reason);
	case KVM_EXIT_INTERNAL_ERROR:
		return guest_crashed(g, "%s (KVM_EXIT_INTERNAL_ERROR, suberror %u)",
				     run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ?
				     "emulation failure: KVM could not emulate an instruction" :
				     "KVM internal error", run->internal.suberror);
	default:
		return guest_crashed(g, "unhandled exit %s (KVM_EXIT number %u)",
				     exit_reason_name(run->exit_reason), run->exit_reason);
	}
}

int vcpu_handle_exit(struct guest *g) {
	struct kvm_run *run = g->vm.run;

	g->stats.exits[run->exit_reason < STATS_EXIT_REASONS ? run->exit_reason : 0]++;
	if (log_verbose_enabled)
		describe_exit(g, run);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(g, run);
	case KVM_EXIT_MMIO:	/* no RAM there: the empty-bus policy, as for ports */
		g->stats.unclaimed_memory++;
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return GUEST_RUNNING;
	case KVM_EXIT_HLT:	/* without an irqchip nothing can wake it: done */
		return 0;
	case KVM_EXIT_DEBUG:	/* a breakpoint or a step that gdb asked for */
		if (g->gdb)
			return gdb_stopped(g, GDB_SIGTRAP);
		break;
	}
	return handle_failure(g, run);
}

/*
 * Stopping a vCPU from another thread: send it VCPU_KICK_SIGNAL. Inside
 * KVM_RUN, KVM returns EINTR; about to enter, the handler's immediate_exit
 * makes KVM_RUN return at once (KVM API 5, "immediate_exit"), so a kick
 * cannot be lost between the stop check and the ioctl.
 */
#define VCPU_KICK_SIGNAL SIGUSR1
static _Thread_local struct kvm_run *running;

static void on_kick(int signo) {
	(void)signo;
	if (running)
		running->immediate_exit = 1;
}

void vcpu_kick_setup(void) {
	struct sigaction sa = { .sa_handler = on_kick };	/* no SA_RESTART: a blocked
								   read(2) returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
}

void vcpu_kick(pthread_t thread) {
	pthread_kill(thread, VCPU_KICK_SIGNAL);
}

static int stopped(struct guest *g) {
	if (g->stop_signal) {
		log_error(g->name, "stopped by SIG%s", sigabbrev_np(g->stop_signal));
		return EXIT_SIGNAL_BASE + g->stop_signal;
	}
	log_error(g->name, "stopped: still running after the %g s timeout (--timeout)",
		  g->config->timeout);
	return EXIT_TIMEOUT;
}

int vcpu_run(struct guest *g) {
	int status = GUEST_RUNNING;

	running = g->vm.run;
	if (g->gdb)	/* stopped before the first instruction, for gdb */
		status = gdb_stopped(g, GDB_ATTACHED);
	while (status == GUEST_RUNNING) {
		if (atomic_load(&g->stop_requested)) {
			status = stopped(g);
		} else if (g->console.write_error) {
			log_error(g->name, "stopped: cannot write its output: %s",
				  strerror(g->console.write_error));
			status = EX_IOERR;
		} else if (ioctl(g->vm.vcpu_fd, KVM_RUN, 0) == 0) {
			status = replay_coalesced(g);
			if (status == GUEST_RUNNING)
				status = vcpu_handle_exit(g);
		} else if (errno == EINTR || errno == EAGAIN) {
			g->vm.run->immediate_exit = 0;	/* kicked: the loop checks why */
			status = replay_coalesced(g);
			if (status == GUEST_RUNNING && g->gdb && atomic_load(&g->gdb->interrupted))
				status = gdb_stopped(g, GDB_SIGINT);	/* Ctrl-C in gdb */
		} else {
			log_error(g->name, "KVM_RUN failed: %s", strerror(errno));
			status = EX_OSERR;
		}
	}
	running = NULL;
	if (g->gdb)
		gdb_exited(g, status);
	return status;
}
