/*
 * vcpu: the exit loop. KVM_RUN returns each time the guest does something
 * the kernel leaves to us; vcpu_handle_exit() is the whole list of answers.
 * KVM API document, section 5 "The kvm_run structure", describes each exit.
 */
#include "vcpu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "guest.h"
#include "hypercall.h"
#include "log.h"

#define NAME(reason) [KVM_EXIT_##reason] = #reason
static const char *const exit_names[] = {
	NAME(UNKNOWN), NAME(EXCEPTION), NAME(IO), NAME(HYPERCALL), NAME(DEBUG),
	NAME(HLT), NAME(MMIO), NAME(IRQ_WINDOW_OPEN), NAME(SHUTDOWN),
	NAME(FAIL_ENTRY), NAME(INTR), NAME(SET_TPR), NAME(TPR_ACCESS), NAME(NMI),
	NAME(INTERNAL_ERROR), NAME(SYSTEM_EVENT), NAME(IOAPIC_EOI), NAME(HYPERV),
	NAME(X86_RDMSR), NAME(X86_WRMSR), NAME(DIRTY_RING_FULL),
	NAME(AP_RESET_HOLD), NAME(X86_BUS_LOCK), NAME(XEN), NAME(NOTIFY),
};
#undef NAME

const char *exit_reason_name(uint32_t reason)
{
	static _Thread_local char unknown[24];

	if (reason < sizeof(exit_names) / sizeof(exit_names[0]) && exit_names[reason])
		return exit_names[reason];
	snprintf(unknown, sizeof(unknown), "exit %u", reason);
	return unknown;
}

/* KVM_INTERNAL_ERROR_* suberrors, for the crash message. */
static const char *internal_error_name(uint32_t suberror)
{
	switch (suberror) {
	case KVM_INTERNAL_ERROR_EMULATION:
		return "emulation failure: KVM could not emulate an instruction";
	case KVM_INTERNAL_ERROR_SIMUL_EX:
		return "exception while delivering an exception";
	case KVM_INTERNAL_ERROR_DELIVERY_EV:
		return "exit while delivering an event";
	default:
		return "internal error";
	}
}

static void describe_io(struct guest *g, const struct kvm_run *run)
{
	const struct pio_device *dev = pio_find(&g->pio, run->io.port);
	const uint8_t *data = (const uint8_t *)run + run->io.data_offset;
	uint32_t value = 0;

	if (run->io.direction == KVM_EXIT_IO_IN) {
		log_error(g->name, "exit: port read 0x%04x (%s), %u byte(s) x %u",
			  run->io.port, dev ? dev->name : "no device",
			  run->io.size, run->io.count);
		return;
	}
	memcpy(&value, data, run->io.size <= 4 ? run->io.size : 4);
	log_error(g->name, "exit: port write 0x%04x (%s), %u byte(s) x %u, "
		  "value 0x%x%s%s", run->io.port, dev ? dev->name : "no device",
		  run->io.size, run->io.count, value,
		  run->io.port == HC_PORT ? ": " : "",
		  run->io.port == HC_PORT ? (hypercall_name(value) ?: "unknown") : "");
}

/* --verbose: one line per exit, in plain words. */
static void describe_exit(struct guest *g, const struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		describe_io(g, run);
		break;
	case KVM_EXIT_MMIO:
		log_error(g->name, "exit: memory %s at 0x%llx outside guest RAM, "
			  "%u byte(s)", run->mmio.is_write ? "write" : "read",
			  (unsigned long long)run->mmio.phys_addr, run->mmio.len);
		break;
	case KVM_EXIT_HLT:
		log_error(g->name, "exit: the guest executed HLT");
		break;
	default:
		log_error(g->name, "exit: %s", exit_reason_name(run->exit_reason));
	}
}

/* Port I/O, including string I/O (REP INS/OUTS): COUNT items of SIZE bytes
 * each, at DATA_OFFSET inside kvm_run. */
static int handle_io(struct guest *g, struct kvm_run *run)
{
	uint8_t size = run->io.size;
	uint64_t bytes = (uint64_t)size * run->io.count;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;

	/* KVM fills these, but a wrong value would make us write past kvm_run. */
	if ((size != 1 && size != 2 && size != 4) ||
	    run->io.data_offset > g->vm.run_size ||
	    bytes > g->vm.run_size - run->io.data_offset)
		return guest_crashed(g, "malformed I/O exit (size %u, count %u)",
				     size, run->io.count);
	for (uint32_t i = 0; i < run->io.count; i++, data += size) {
		struct pio_access access = {
			.port = run->io.port, .size = size,
			.is_write = run->io.direction == KVM_EXIT_IO_OUT,
		};
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

/* An access to guest-physical memory with no RAM behind it: the same
 * empty-bus policy as unclaimed ports (reads all ones, writes dropped). */
static int handle_mmio(struct guest *g, struct kvm_run *run)
{
	g->stats.unclaimed_memory++;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	return GUEST_RUNNING;
}

int vcpu_handle_exit(struct guest *g)
{
	struct kvm_run *run = g->vm.run;
	uint32_t reason = run->exit_reason;

	g->stats.exits[reason < STATS_EXIT_REASONS ? reason : 0]++;
	if (log_verbose_enabled)
		describe_exit(g, run);
	switch (reason) {
	case KVM_EXIT_IO:
		return handle_io(g, run);
	case KVM_EXIT_MMIO:
		return handle_mmio(g, run);
	case KVM_EXIT_HLT:
		/* Without an irqchip nothing can wake the vCPU: the guest is done. */
		return 0;
	case KVM_EXIT_SHUTDOWN:
		return guest_crashed(g, "triple fault (KVM_EXIT_SHUTDOWN)");
	case KVM_EXIT_FAIL_ENTRY:
		return guest_crashed(g, "the CPU refused to enter the guest "
				     "(KVM_EXIT_FAIL_ENTRY, hardware reason 0x%llx)",
				     (unsigned long long)run->fail_entry
				     .hardware_entry_failure_reason);
	case KVM_EXIT_INTERNAL_ERROR:
		return guest_crashed(g, "%s (KVM_EXIT_INTERNAL_ERROR, suberror %u)",
				     internal_error_name(run->internal.suberror),
				     run->internal.suberror);
	default:
		return guest_crashed(g, "unhandled exit KVM_EXIT_%s",
				     exit_reason_name(reason));
	}
}

/*
 * Stopping a vCPU from another thread: the supervisor sends VCPU_KICK_SIGNAL.
 * If the thread is inside KVM_RUN, KVM returns EINTR; if it is about to enter,
 * the handler's immediate_exit makes KVM_RUN return at once (KVM API 5,
 * "immediate_exit"), so no kick is ever lost between check and ioctl.
 */
static _Thread_local struct kvm_run *kicked_run;

static void on_kick(int signo)
{
	(void)signo;
	if (kicked_run)
		kicked_run->immediate_exit = 1;
}

void vcpu_kick_setup(void)
{
	/* No SA_RESTART: a blocking read of stdin must return EINTR too. */
	struct sigaction sa = { .sa_handler = on_kick };

	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
}

void vcpu_kick(pthread_t thread)
{
	pthread_kill(thread, VCPU_KICK_SIGNAL);
}

int vcpu_run(struct guest *g)
{
	int status = GUEST_RUNNING;

	kicked_run = g->vm.run;
	while (status == GUEST_RUNNING) {
		if (atomic_load(&g->stop_requested)) {
			log_error(g->name, "stopped: still running after the "
				  "%g s timeout (--timeout)", g->config->timeout);
			status = EXIT_TIMEOUT;
			break;
		}
		if (ioctl(g->vm.vcpu_fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				g->vm.run->immediate_exit = 0;
				continue;
			}
			log_error(g->name, "KVM_RUN failed: %s", strerror(errno));
			status = EX_OSERR;
			break;
		}
		status = vcpu_handle_exit(g);
	}
	kicked_run = NULL;
	return status;
}
