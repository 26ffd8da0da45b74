/*
 * connection: the stub's socket. One debugger connects, on 127.0.0.1:PORT
 * or a Unix socket file; packets go both ways through it (packet.c frames
 * them). While the guest runs, a small thread watches the socket for
 * Ctrl-C and kicks the vCPU. Every wait here ends when the supervisor asks
 * the guest to stop (--timeout, SIGINT, SIGTERM): its kick interrupts it.
 * A socket file is removed once gdb has connected, or when mini-kvm ends
 * without it; one left by a killed mini-kvm is refused ("Address already
 * in use"), not taken over: it might be another's, still listening.
 */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "core/log.h"
#include "gdb.h"

#define WATCH_POLL_MS 50

int gdb_bind(struct gdb *d, const char *where, const char *who) {
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	bool tcp = where[0] && strspn(where, "0123456789") == strlen(where);
	unsigned long port = tcp && strlen(where) <= 5 ? strtoul(where, NULL, 10) : 0;
	int one = 1;

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
		 tcp ? sizeof(in) : sizeof(un)) < 0)
		goto fail;
	d->socket_file = !tcp;	/* bound: the file is ours to remove */
	if (listen(d->listen_fd, 1) == 0)
		return 0;
fail:
	log_error(who, "--gdb: cannot listen on %s: %s", d->where, strerror(errno));
	gdb_close(d);
	return EX_OSERR;
}

/* No more listening: close the socket, and remove its file if ours. */
static void stop_listening(struct gdb *d) {
	if (d->listen_fd >= 0)
		close(d->listen_fd);
	if (d->socket_file)
		unlink(d->where);
	d->listen_fd = -1, d->socket_file = false;
}

/* Wait for gdb: one connection, then no more listening. */
int gdb_accept(struct gdb *d, struct guest *g) {
	log_error(g->name, "waiting for gdb on %s (in gdb: target remote %s)", d->where, d->where);
	while ((d->fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC)) < 0 && errno == EINTR)
		if (atomic_load(&g->stop_requested)) {
			stop_listening(d);
			return guest_stopped(g);
		}
	stop_listening(d);
	if (d->fd < 0) {
		log_error(g->name, "--gdb: accept failed: %s", strerror(errno));
		return EX_OSERR;
	}
	log_error(g->name, "gdb attached");
	return 0;
}

static void watch_stop(struct gdb *d) {
	if (!d->watching)
		return;
	pthread_mutex_lock(&d->lock);
	d->quit = true;
	pthread_cond_signal(&d->resumed);
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->watcher, NULL);
	d->watching = false;
}

void gdb_close(struct gdb *d) {
	watch_stop(d);
	stop_listening(d);
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

/* Send one packet (and nothing if gdb has gone: the next read says so). */
void gdb_send(struct gdb *d, const char *payload) {
	char frame[2 * GDB_PACKET_MAX + 8];
	size_t n = gdb_frame(payload, strlen(payload), frame, sizeof(frame));

	if (n)
		write_all(d->fd, frame, n);
}

/* The next packet from gdb into PAYLOAD. Bad packets are answered here: a
 * wrong checksum with "-" (gdb sends it again), one too long with an
 * error; Ctrl-C while stopped is nothing. GONE: gdb closed the connection. */
enum gdb_receive gdb_receive(struct gdb *d, const struct guest *g, char *payload, size_t cap) {
	for (;;) {
		size_t len;
		ssize_t n;

		switch (gdb_rx_next(&d->rx, payload, cap, &len)) {
		case GDB_IN_PACKET:
			return d->no_ack || write_all(d->fd, "+", 1) == 0 ? GDB_RECEIVED : GDB_GONE;
		case GDB_IN_BAD_CHECKSUM:
			if (write_all(d->fd, "-", 1))
				return GDB_GONE;
			continue;
		case GDB_IN_TOO_LONG:
			gdb_send(d, "E01");
			continue;
		case GDB_IN_INTERRUPT:
			continue;	/* already stopped */
		case GDB_IN_NONE:
			break;
		}
		n = read(d->fd, d->rx.buf + d->rx.len, sizeof(d->rx.buf) - d->rx.len);
		if (n < 0 && errno == EINTR && atomic_load(&g->stop_requested))
			return GDB_STOP_REQUESTED;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return GDB_GONE;	/* gdb closed the connection, or it failed */
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
	struct gdb *d = arg;
	struct guest *g = d->guest;
	struct guest_files socket = { .file = { { d->fd, GUEST_FILE_DEBUGGER } }, .count = 1 };
	struct pollfd p = { .fd = d->fd, .events = POLLIN };
	char byte;

	if (g->hooks && g->hooks->confine && g->hooks->confine(&socket, g->name))
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

int gdb_watch_start(struct gdb *d) {
	d->watching = pthread_create(&d->watcher, NULL, watch, d) == 0;
	if (!d->watching)
		log_error(d->guest->name, "--gdb: cannot start the thread that watches for Ctrl-C");
	return d->watching ? 0 : EX_OSERR;
}

/* The guest goes on (or stops): the watcher takes over the socket (or
 * gives it back). */
void gdb_set_running(struct gdb *d, bool running) {
	pthread_mutex_lock(&d->lock);
	d->running = running;
	if (running)
		pthread_cond_signal(&d->resumed);
	pthread_mutex_unlock(&d->lock);
}
