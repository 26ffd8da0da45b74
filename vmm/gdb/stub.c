/*
 * stub: --gdb, a stub for GDB's remote serial protocol, so that gdb can
 * stop a guest, look at it and step it (docs/debugging.md; the packets:
 * GDB manual, "Remote Protocol", "Packets"). It is the guest's debug hook
 * (core/guest.h) and runs in the vCPU's own thread: whenever the guest is
 * stopped -- before its first instruction, at a breakpoint, after a step,
 * on Ctrl-C -- stopped() talks to gdb until gdb lets it go on.
 */
#include <signal.h>
#include <stdio.h>

#include "core/log.h"
#include "gdb.h"

/* gdb has gone or said "detach": no more debugging, the guest runs on. */
static struct run_result detach(struct guest *g) {
	struct gdb *d = gdb_of(g);

	for (int i = 0; i < GDB_BREAKPOINTS; i++)
		d->used[i] = false;
	gdb_cpu_set_debug(g, d, false);
	gdb_close(d);
	g->debug = NULL;
	log_error(g->name, "gdb detached: the guest runs on");
	return RUN_ON;
}

/* gdb let the guest go: on (a step, or free), off (detach), or to its end. */
static struct run_result go_on(struct guest *g, enum gdb_next next) {
	struct gdb *d = gdb_of(g);

	if (next == GDB_DETACH)
		return detach(g);
	if (next == GDB_KILL) {
		log_error(g->name, "stopped by gdb (kill)");
		gdb_close(d);
		g->debug = NULL;	/* nobody to tell how it ended */
		return run_ends(EXIT_SIGNAL_BASE + SIGKILL);
	}
	if (gdb_cpu_set_debug(g, d, next == GDB_STEP) < 0)
		return run_ends(EX_OSERR);
	gdb_set_running(d, true);
	return RUN_ON;
}

/*
 * The guest is stopped: tell gdb why (before the first instruction gdb
 * asks itself, with "?"), and answer its packets until one lets the guest
 * go on. A stop request of the supervisor ends the wait, and the guest.
 */
static struct run_result stopped(struct guest *g, enum debug_stop why) {
	struct gdb *d = gdb_of(g);
	char payload[GDB_PACKET_MAX + 1], reply[2 * GDB_PACKET_MAX + 1];
	enum gdb_receive got;

	gdb_set_running(d, false);
	atomic_store(&d->interrupted, false);
	d->last_signal = why == DEBUG_INTERRUPT ? GDB_SIGINT : GDB_SIGTRAP;
	if (why != DEBUG_START) {
		snprintf(reply, sizeof(reply), "T%02xthread:01;", d->last_signal);
		gdb_send(d, reply);
	}
	while ((got = gdb_receive(d, g, payload, sizeof(payload))) == GDB_RECEIVED) {
		enum gdb_next next = gdb_command(g, payload, reply, sizeof(reply));

		if (next == GDB_REPLY || next == GDB_DETACH || next == GDB_NO_ACK)
			gdb_send(d, reply);
		if (next == GDB_NO_ACK)
			d->no_ack = true;
		else if (next != GDB_REPLY)
			return go_on(g, next);
	}
	if (got == GDB_STOP_REQUESTED)
		return run_ends(guest_stopped(g));
	return detach(g);	/* gdb went away: the guest runs on untouched */
}

static bool interrupted(struct guest *g) {
	return atomic_load(&gdb_of(g)->interrupted);
}

/* Set-up is over: wait for gdb, then what needs a new thread or a new VM,
 * before the seccomp filter forbids both -- the watcher, and the probes of
 * what this host's KVM can do for the guest's mode (probe.c keeps the
 * answers). */
static int attach(struct guest *g) {
	struct gdb *d = gdb_of(g);
	int rc;

	d->guest = g;
	if ((rc = gdb_accept(d, g)))
		return rc;
	if (guest_add_file(g, d->fd, GUEST_FILE_DEBUGGER) < 0) {
		log_error(g->name, "--gdb: too many files for the seccomp filter");
		return EX_SOFTWARE;
	}
	d->probe_mode = gdb_probe_mode(g);
	gdb_host_can(g->kvm, d->probe_mode, true);
	gdb_host_can(g->kvm, d->probe_mode, false);
	return gdb_watch_start(d);
}

/* The guest ended (or never ran) while gdb watched: "W" and its status. */
static void ended(struct guest *g, int status) {
	struct gdb *d = gdb_of(g);
	char reply[8];

	if (d->fd >= 0) {
		gdb_set_running(d, false);
		snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
		gdb_send(d, reply);
	}
	gdb_close(d);
}

int gdb_listen(struct gdb *d, const char *where, const char *who) {
	*d = (struct gdb){ .listen_fd = -1, .fd = -1 };
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->resumed, NULL);
	d->hook = (struct debug_hook){ .state = d, .attach = attach, .stopped = stopped,
				       .interrupted = interrupted, .ended = ended };
	return gdb_bind(d, where, who);
}
