/*
 * gdb: --gdb, a stub for GDB's remote serial protocol, so that gdb can stop
 * a guest, look at it and step it (docs/debugging.md; the packets: GDB
 * manual, "Remote Protocol", "Packets"). It runs in the vCPU's own thread:
 * whenever the guest is stopped -- before its first instruction, at a
 * breakpoint, after a step, on Ctrl-C -- gdb_stopped() talks to gdb until
 * gdb lets it go on. While the guest runs, a small thread watches the socket
 * for Ctrl-C and kicks the vCPU. gdb_cpu.c does what touches the vCPU.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "gdb.h"

#define WATCH_POLL_MS 50
#define REGS_MAX 256		/* bytes of the 'g' packet, all registers */

/* "1234" (127.0.0.1 only) or a path (a Unix socket): listen there. */
int gdb_listen(struct gdb *d, const char *where, const char *who) {
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	bool tcp = where[0] && strspn(where, "0123456789") == strlen(where);
	unsigned long port = tcp && strlen(where) <= 5 ? strtoul(where, NULL, 10) : 0;
	int one = 1;

	*d = (struct gdb){ .listen_fd = -1, .fd = -1 };
	pthread_mutex_init(&d->lock, NULL);
	pthread_cond_init(&d->resumed, NULL);
	if (tcp && (port == 0 || port > 65535)) {
		log_error(who, "--gdb: '%s' is not a TCP port (1-65535)", where);
		return EX_USAGE;
	}
	if (!tcp && strlen(where) >= sizeof(un.sun_path)) {
		log_error(who, "--gdb: the socket path '%s' is too long", where);
		return EX_USAGE;
	}
	in.sin_port = htons((uint16_t)port);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", where);
	snprintf(d->where, sizeof(d->where), tcp ? "127.0.0.1:%s" : "%s", where);
	d->listen_fd = socket(tcp ? AF_INET : AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (d->listen_fd < 0 ||
	    (tcp && setsockopt(d->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    bind(d->listen_fd, tcp ? (struct sockaddr *)&in : (struct sockaddr *)&un,
		 tcp ? sizeof(in) : sizeof(un)) < 0 || listen(d->listen_fd, 1) < 0) {
		log_error(who, "--gdb: cannot listen on %s: %s", d->where, strerror(errno));
		gdb_close(d);
		return EX_OSERR;
	}
	return 0;
}

/* Wait for gdb: one connection, then no more listening. */
int gdb_accept(struct gdb *d, const char *who) {
	log_error(who, "waiting for gdb on %s (in gdb: target remote %s)", d->where, d->where);
	d->fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	close(d->listen_fd);
	d->listen_fd = -1;
	if (d->fd < 0) {
		log_error(who, "--gdb: accept failed: %s", strerror(errno));
		return EX_OSERR;
	}
	log_error(who, "gdb attached");
	return 0;
}

void gdb_close(struct gdb *d) {
	gdb_watch_stop(d);
	if (d->fd >= 0)
		close(d->fd);
	if (d->listen_fd >= 0)
		close(d->listen_fd);
	d->fd = d->listen_fd = -1;
}

/* Send one packet (and nothing if gdb has gone: the next read says so). */
static void send_packet(struct gdb *d, const char *payload) {
	char frame[2 * GDB_PACKET_MAX + 8];
	size_t n = gdb_frame(payload, strlen(payload), frame, sizeof(frame));

	for (size_t done = 0; n && done < n;) {
		ssize_t w = write(d->fd, frame + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		done += (size_t)w;
	}
}

/* The next packet from gdb into PAYLOAD; false when gdb has gone. Bad
 * packets are answered here: a wrong checksum with "-" (gdb sends it
 * again), one too long with an error; Ctrl-C while stopped is nothing. */
static bool receive_packet(struct gdb *d, char *payload, size_t cap) {
	for (;;) {
		size_t len;
		ssize_t n;

		switch (gdb_rx_next(&d->rx, payload, cap, &len)) {
		case GDB_IN_PACKET:
			if (!d->no_ack && write(d->fd, "+", 1) < 0)
				return false;
			return true;
		case GDB_IN_BAD_CHECKSUM:
			if (write(d->fd, "-", 1) < 0)
				return false;
			continue;
		case GDB_IN_TOO_LONG:
			send_packet(d, "E01");
			continue;
		case GDB_IN_INTERRUPT:
			continue;	/* already stopped */
		case GDB_IN_NONE:
			break;
		}
		n = read(d->fd, d->rx.buf + d->rx.len, sizeof(d->rx.buf) - d->rx.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;	/* gdb closed the connection, or it failed */
		d->rx.len += (size_t)n;
	}
}

/*
 * The watcher: while the guest runs, it looks at the socket in the vCPU
 * thread's place. A late "+" is taken away; anything else -- Ctrl-C
 * (0x03), a packet, gdb hanging up -- stops the guest: a kick makes
 * KVM_RUN return, and the vCPU thread reads what came. Bytes are only
 * peeked at, and taken under the lock while the guest is marked running,
 * so the two threads never read the socket at once. Started before the
 * seccomp filter (which forbids new threads); sleeps while stopped.
 */
static void *watch(void *arg) {
	struct guest *g = arg;
	struct gdb *d = g->gdb;
	struct pollfd p = { .fd = d->fd, .events = POLLIN };
	char byte;

	if (!g->config->no_seccomp && seccomp_confine(-1, d->fd, g->name))
		return NULL;	/* said why; Ctrl-C will not stop the guest */
	pthread_mutex_lock(&d->lock);
	while (!d->quit) {
		ssize_t n;

		if (!d->running) {
			pthread_cond_wait(&d->resumed, &d->lock);
			continue;
		}
		pthread_mutex_unlock(&d->lock);
		n = poll(&p, 1, WATCH_POLL_MS) == 1 ? recv(d->fd, &byte, 1, MSG_PEEK) : -1;
		pthread_mutex_lock(&d->lock);
		if (!d->running || n < 0)
			continue;	/* stopped meanwhile, or nothing yet */
		if (n == 1 && (byte == '+' || byte == 0x03) && recv(d->fd, &byte, 1, 0) == 1 &&
		    byte == '+')
			continue;	/* an acknowledgement, late */
		d->running = false;
		atomic_store(&d->interrupted, true);
		vcpu_kick(g->thread);
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* What needs a new thread or a new VM, before the seccomp filter forbids
 * both: the watcher, and the probes of what this host's KVM can do for
 * the guest's mode (host_probe.c keeps the answers). */
int gdb_prepare(struct guest *g) {
	host_can_debug(g->kvm, g->mode, true);
	host_can_debug(g->kvm, g->mode, false);
	g->gdb->watching = pthread_create(&g->gdb->watcher, NULL, watch, g) == 0;
	if (!g->gdb->watching)
		log_error(g->name, "--gdb: cannot start the thread that watches for Ctrl-C");
	return g->gdb->watching ? 0 : EX_OSERR;
}

void gdb_watch_stop(struct gdb *d) {
	if (!d->watching)
		return;
	pthread_mutex_lock(&d->lock);
	d->quit = true;
	pthread_cond_signal(&d->resumed);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->watcher, NULL);
	d->watching = false;
}

/* The guest goes on (or stops): the watcher takes over the socket (or
 * gives it back). */
static void set_running(struct gdb *d, bool running) {
	pthread_mutex_lock(&d->lock);
	d->running = running;
	if (running)
		pthread_cond_signal(&d->resumed);
	pthread_mutex_unlock(&d->lock);
}

/* gdb has gone or said "detach": no more debugging, the guest runs on. */
static int detach(struct guest *g) {
	struct gdb *d = g->gdb;

	for (int i = 0; i < GDB_BREAKPOINTS; i++)
		d->used[i] = false;
	gdb_cpu_set_debug(g, d, false);
	gdb_close(d);
	g->gdb = NULL;
	log_error(g->name, "gdb detached: the guest runs on");
	return GUEST_RUNNING;
}

/*
 * The guest is stopped (SIGNAL: 5 for a breakpoint or a step, 2 for
 * Ctrl-C; GDB_ATTACHED before its first instruction, when gdb asks why
 * with "?"): tell gdb, and answer its packets until one lets the guest go
 * on. GUEST_RUNNING to resume, or the guest's exit status ("k").
 */
int gdb_stopped(struct guest *g, int signal) {
	struct gdb *d = g->gdb;
	char payload[GDB_PACKET_MAX + 1], reply[2 * GDB_PACKET_MAX + 1];

	set_running(d, false);
	atomic_store(&d->interrupted, false);
	d->last_signal = signal == GDB_ATTACHED ? GDB_SIGTRAP : signal;
	if (signal != GDB_ATTACHED) {
		snprintf(reply, sizeof(reply), "T%02xthread:01;", signal);
		send_packet(d, reply);
	}
	while (receive_packet(d, payload, sizeof(payload))) {
		enum gdb_next next = gdb_command(g, payload, reply, sizeof(reply));

		if (next == GDB_REPLY || next == GDB_DETACH || next == GDB_NO_ACK)
			send_packet(d, reply);
		if (next == GDB_STEP || next == GDB_CONTINUE) {
			if (gdb_cpu_set_debug(g, d, next == GDB_STEP) < 0)
				return EX_OSERR;
			set_running(d, true);
			return GUEST_RUNNING;
		}
		if (next == GDB_DETACH)
			return detach(g);
		if (next == GDB_KILL) {
			log_error(g->name, "stopped by gdb (kill)");
			gdb_close(d);
			g->gdb = NULL;	/* nobody to tell how it ended */
			return EXIT_SIGNAL_BASE + SIGKILL;
		}
		if (next == GDB_NO_ACK)
			d->no_ack = true;
	}
	return detach(g);	/* gdb went away: the guest runs on untouched */
}

/* Whether this host's KVM can single-step this guest (STEP) or stop it at
 * a breakpoint: a probe VM in the guest's CPU mode tells (host_probe.c).
 * Where it cannot, say so once, in one line; gdb gets an error reply. */
bool gdb_can(struct guest *g, bool step) {
	if (host_can_debug(g->kvm, g->mode, step))
		return true;
	if (!g->gdb->said_cannot[step])
		log_error(g->name, "gdb: this host's KVM cannot %s in %s (see "
			  "docs/debugging.md)", step ? "single-step a guest" :
			  "stop a guest at breakpoints", g->mode == MODE_REAL ? "real mode" :
			  gdb_cpu_is64(g) ? "64-bit mode" : "protected mode");
	g->gdb->said_cannot[step] = true;
	return false;
}

/* The guest ended while gdb watched: "W" and its exit status. */
void gdb_exited(struct guest *g, int status) {
	char reply[8];

	if (!g->gdb)
		return;
	set_running(g->gdb, false);
	snprintf(reply, sizeof(reply), "W%02x", status & 0xff);
	send_packet(g->gdb, reply);
	gdb_close(g->gdb);
}
