/*
 * vcpu: the exit loop. KVM_RUN returns whenever the guest does something the
 * kernel leaves to us, and vcpu_handle_exit() is the whole list of answers.
 * KVM API 5, "The kvm_run structure", describes each exit.
 */
#define _GNU_SOURCE	/* sigabbrev_np */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "guest.h"
#include "log.h"

/* The state a vCPU powers on in (SDM Vol. 3A, 9.1.4): CS base FFFF0000,
 * IP FFF0. No guest of ours is ever there (flat binaries start at 0000:0000
 * with base 0), but KVM on AMD SVM puts the vCPU back there after a
 * triple fault: "the VMCB is undefined after a SHUTDOWN intercept", so
 * svm.c resets it, and where the guest was is lost. */
static bool at_reset_vector(const struct kvm_sregs *sregs, uint64_t rip) {
	return sregs->cs.base == 0xffff0000 && sregs->cs.selector == 0xf000 && rip == 0xfff0;
}

/* The vCPU this thread runs, NULL outside an exit loop: its kick handler
 * stops it, and a crash is reported at its registers. */
static _Thread_local struct vcpu *running;

int guest_crashed(struct guest *g, const char *fmt, ...) {
	const struct vcpu *v = running ? running : &g->vm.vcpu[0];
	unsigned long long rip = v->run ? v->run->s.regs.regs.rip : 0;	/* synced on each exit */
	struct kvm_sregs sregs;
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (g->vm.vcpus > 1)	/* which of them */
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " on vCPU %u", v->id);
	if (g->vm.vcpus == 0 || ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		log_error(g->name, "guest crashed: %s at rip %llx", what, rip);
	else if (at_reset_vector(&sregs, rip))
		log_error(g->name, "guest crashed: %s; where is unknown: KVM reset the vCPU "
			  "(it does on AMD SVM)", what);
	else
		log_error(g->name, "guest crashed: %s at cs:rip %04x:%llx", what,
			  sregs.cs.selector, rip);
	return EXIT_GUEST_CRASHED;
}

/* Port I/O, string I/O (REP INS/OUTS) included: COUNT items of SIZE bytes
 * at DATA_OFFSET inside kvm_run. */
static struct run_result handle_io(struct guest *g, struct kvm_run *run) {
	uint8_t size = run->io.size, *data = (uint8_t *)run + run->io.data_offset;
	uint64_t bytes = (uint64_t)size * run->io.count;

	/* KVM fills these in; still, a wrong value must not make us write
	 * past kvm_run. */
	if ((size != 1 && size != 2 && size != 4) || run->io.data_offset > g->vm.run_size ||
	    bytes > g->vm.run_size - run->io.data_offset)
		return run_ends(guest_crashed(g, "malformed I/O exit (size %u, count %u)", size,
					      run->io.count));
	g->hc.run = run;	/* the hypercall device reads the exiting vCPU's registers */
	for (uint32_t i = 0; i < run->io.count; i++, data += size) {
		struct pio_access access = { .port = run->io.port, .size = size,
					     .is_write = run->io.direction == KVM_EXIT_IO_OUT };
		struct run_result result;

		if (access.is_write)
			memcpy(&access.value, data, size);
		result = pio_dispatch(&g->pio, &access);
		if (!access.is_write)
			memcpy(data, &access.value, size);
		if (result.ends)
			return result;
	}
	return RUN_ON;
}

/* Port writes that KVM queued instead of exiting (a layer's coalesced
 * I/O: struct queued_writes) reach their devices first, oldest first: a
 * device must see the guest's accesses in the order it made them. */
static struct run_result replay_queued(struct guest *g) {
	return g->queued.replay ? g->queued.replay(g, g->queued.arg) : RUN_ON;
}

/* The guest cannot go on. If the program's diagnosis (a probe VM) shows
 * that the host's KVM cannot do what the guest was doing, say that instead
 * of blaming the guest. */
static int handle_failure(struct guest *g, const struct vcpu *v) {
	const char *needs = g->hooks && g->hooks->diagnose ? g->hooks->diagnose(g, v) : NULL;
	const struct kvm_run *run = v->run;

	if (needs)
		return guest_crashed(g, "needs %s, which this host's KVM cannot do (VT-x or AMD-V "
				     "hosts can): %s", needs, kvm_exit_name(run->exit_reason));
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
				     kvm_exit_name(run->exit_reason), run->exit_reason);
	}
}

struct run_result vcpu_handle_exit(struct guest *g, struct vcpu *v) {
	struct kvm_run *run = v->run;

	g->stats.exits[run->exit_reason < STATS_EXIT_REASONS ? run->exit_reason : 0]++;
	v->exits++;
	if (g->hooks && g->hooks->trace)
		g->hooks->trace(g, v);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		return handle_io(g, run);
	case KVM_EXIT_MMIO:	/* no RAM there: the empty-bus policy, as for ports */
		g->stats.unclaimed_memory++;
		if (!run->mmio.is_write)
			memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
		return RUN_ON;
	case KVM_EXIT_HLT:	/* without an irqchip nothing can wake it: done */
		return run_ends(0);
	case KVM_EXIT_DEBUG:	/* a breakpoint or a step that the debugger asked for */
		if (g->debug)
			return g->debug->stopped(g, DEBUG_TRAP);
		break;
	}
	return run_ends(handle_failure(g, v));
}

/*
 * Stopping a vCPU from another thread: send it VCPU_KICK_SIGNAL. Inside
 * KVM_RUN, KVM returns EINTR; about to enter, the handler's immediate_exit
 * makes KVM_RUN return at once (KVM API 5, "immediate_exit"), so a kick
 * cannot be lost between the stop check and the ioctl. Any other blocking
 * call of the thread (a read of stdin, a wait for the debugger) returns
 * EINTR too: the handler is installed without SA_RESTART.
 */
#define VCPU_KICK_SIGNAL SIGRTMIN	/* SIGUSR1 is the user's: GUEST_SAVE_SIGNAL */

static void on_kick(int signo) {
	(void)signo;
	if (running)
		running->run->immediate_exit = 1;
}

void vcpu_kick_setup(void) {
	struct sigaction sa = { .sa_handler = on_kick };

	sigemptyset(&sa.sa_mask);
	sigaction(VCPU_KICK_SIGNAL, &sa, NULL);
}

void vcpu_kick(pthread_t thread) {
	pthread_kill(thread, VCPU_KICK_SIGNAL);
}

int guest_stopped(struct guest *g) {
	int signo = atomic_load(&g->stop_signal);

	if (signo == GUEST_SAVE_SIGNAL && g->hooks && g->hooks->save)
		return g->hooks->save(g);
	if (signo) {
		log_error(g->name, "stopped by SIG%s", sigabbrev_np(signo));
		return EXIT_SIGNAL_BASE + signo;
	}
	log_error(g->name, "stopped: still running after the %g s timeout (--timeout)",
		  g->config->timeout);
	return EXIT_TIMEOUT;
}

/* One KVM_RUN and what came of it. The devices answer one exit at a time,
 * whichever vCPU made it: the guest's bus lock. */
static struct run_result run_once(struct guest *g, struct vcpu *v) {
	struct run_result result;
	int r = ioctl(v->fd, KVM_RUN, 0), err = errno;

	if (r < 0 && err != EINTR && err != EAGAIN) {
		log_error(g->name, "KVM_RUN failed: %s", strerror(err));
		return run_ends(EX_OSERR);
	}
	pthread_mutex_lock(&g->bus_lock);
	result = replay_queued(g);
	if (r == 0 && !result.ends)
		result = vcpu_handle_exit(g, v);
	else if (r < 0 && !result.ends && g->debug && g->debug->interrupted(g))
		result = g->debug->stopped(g, DEBUG_INTERRUPT);	/* Ctrl-C in gdb */
	pthread_mutex_unlock(&g->bus_lock);
	if (r < 0)
		v->run->immediate_exit = 0;	/* kicked: the loop checks why */
	return result;
}

/* The exit loop of vCPU V, on its own thread, until the guest ends, the
 * supervisor stops it, or another vCPU's loop has ended (end_status). */
int vcpu_run(struct guest *g, struct vcpu *v) {
	struct run_result result = RUN_ON;
	int ended;

	running = v;
	if (g->debug)	/* stopped before the first instruction, for the debugger */
		result = g->debug->stopped(g, DEBUG_START);
	while (!result.ends) {
		if (v->id == 0 && atomic_load(&g->stop_requested)) {	/* the others follow it */
			result = run_ends(guest_stopped(g));
		} else if ((ended = atomic_load(&g->end_status)) != GUEST_RUNNING) {
			result = run_ends(ended);
		} else if (g->console.write_error) {
			log_error(g->name, "stopped: cannot write its output: %s",
				  strerror(g->console.write_error));
			result = run_ends(EX_IOERR);
		} else {
			result = run_once(g, v);
		}
	}
	running = NULL;
	return result.status;
}
