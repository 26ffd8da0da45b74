/*
 * gdb.h: --gdb, a stub for GDB's remote serial protocol, plugged into the
 * exit loop as its debug hook (core/guest.h: struct debug_hook). The
 * connection and the watch for Ctrl-C (connection.c), the conversation
 * while the guest is stopped (stub.c), one function per packet
 * (commands.c), what touches the vCPU (cpu.c), and what this host's KVM
 * lets a debugger do (probe.c). packet.h is the pure framing.
 * docs/debugging.md is the lesson.
 */
#ifndef GDB_GDB_H
#define GDB_GDB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/guest.h"
#include "packet.h"

#define GDB_SIGINT 2		/* gdb's signal numbers, in stop replies */
#define GDB_SIGTRAP 5
#define GDB_BREAKPOINTS 4	/* the debug registers DR0-DR3 */

struct gdb {
	struct debug_hook hook;		/* g->debug: what the exit loop calls */
	struct guest *guest;		/* the one it debugs, once attached */
	int listen_fd, fd;		/* -1: none */
	char where[120];		/* "127.0.0.1:PORT" or the socket's path */
	bool socket_file;		/* WHERE is a socket file of ours: removed */
	struct gdb_rx rx;
	bool no_ack, said_cannot[2];	/* [true]: single-step, [false]: breakpoints */
	int last_signal;		/* why the guest last stopped (5, 2) */
	enum cpu_mode probe_mode;	/* the probe VM's mode for this guest (probe.c) */
	uint64_t breakpoint[GDB_BREAKPOINTS];
	bool used[GDB_BREAKPOINTS];
	pthread_t watcher;		/* Ctrl-C while the guest runs */
	pthread_mutex_t lock;
	pthread_cond_t resumed;
	bool watching, running, quit;	/* running: the watcher has the socket */
	atomic_bool interrupted;
};

/* stub.c: for the program. Listen on WHERE ("1234": 127.0.0.1:1234; else
 * a Unix socket's path); D->hook is then the first guest's debug hook. */
int gdb_listen(struct gdb *d, const char *where, const char *who);

/* connection.c */
int gdb_bind(struct gdb *d, const char *where, const char *who);
int gdb_accept(struct gdb *d, struct guest *g);	/* 0, or an exit status */
void gdb_close(struct gdb *d);
void gdb_send(struct gdb *d, const char *payload);
enum gdb_receive { GDB_RECEIVED, GDB_GONE, GDB_STOP_REQUESTED };
enum gdb_receive gdb_receive(struct gdb *d, const struct guest *g, char *payload, size_t cap);
int gdb_watch_start(struct gdb *d);
void gdb_set_running(struct gdb *d, bool running);

/* commands.c */
enum gdb_next { GDB_REPLY, GDB_CONTINUE, GDB_STEP, GDB_DETACH, GDB_KILL, GDB_NO_ACK };
enum gdb_next gdb_command(struct guest *g, const char *p, char *out, size_t cap);

/* cpu.c */
static inline struct gdb *gdb_of(const struct guest *g) {
	return g->debug->state;
}
bool gdb_cpu_is64(const struct guest *g);
const char *gdb_cpu_arch(const struct guest *g);
int gdb_cpu_registers(struct guest *g, uint8_t *out, size_t cap);	/* bytes, or -1 */
size_t gdb_cpu_register(struct guest *g, unsigned n, uint8_t out[8]);
int gdb_cpu_set_register(struct guest *g, unsigned n, const uint8_t *in, size_t size);
int gdb_cpu_set_registers(struct guest *g, const uint8_t *in, size_t len);
int gdb_cpu_memory(struct guest *g, uint64_t addr, uint8_t *buf, size_t len, bool write);
int gdb_cpu_set_debug(struct guest *g, const struct gdb *d, bool step);
int gdb_sync_regs_now(struct vm *vm, const char *who);

/* probe.c: can this host's KVM single-step (STEP) a guest in MODE, or
 * stop it at a hardware breakpoint? Asked before the seccomp filter. */
bool gdb_host_can(const struct kvm *kvm, enum cpu_mode mode, bool step);
enum cpu_mode gdb_probe_mode(const struct guest *g);	/* the mode to probe for G */
bool gdb_can(struct guest *g, bool step);	/* for G; says once, in one line, if not */

#endif
