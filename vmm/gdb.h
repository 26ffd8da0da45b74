/*
 * gdb.h: --gdb, a stub for GDB's remote serial protocol: the packet
 * framing (gdb_packet.c), the connection and the conversation while the
 * guest is stopped (gdb.c), one function per packet (gdb_commands.c), and
 * what touches the vCPU (gdb_cpu.c). docs/debugging.md is the lesson.
 */
#ifndef VMM_GDB_H
#define VMM_GDB_H

#include "vmm.h"

/* gdb_packet.c, gdb.c, gdb_commands.c, gdb_cpu.c: --gdb, a GDB remote stub */
#define GDB_PACKET_MAX 4096	/* the PacketSize we tell gdb */
#define GDB_SIGINT 2		/* gdb's signal numbers, in stop replies */
#define GDB_SIGTRAP 5
#define GDB_ATTACHED (-1)	/* the first stop: gdb asks why itself */
#define GDB_BREAKPOINTS 4	/* the debug registers DR0-DR3 */
struct gdb_rx {			/* bytes from gdb, not yet taken */
	char buf[GDB_PACKET_MAX + 64];
	size_t len;
};
enum gdb_in { GDB_IN_NONE, GDB_IN_PACKET, GDB_IN_INTERRUPT, GDB_IN_BAD_CHECKSUM,
	      GDB_IN_TOO_LONG };
enum gdb_in gdb_rx_next(struct gdb_rx *rx, char *payload, size_t cap, size_t *len);
size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap);
int gdb_hex_decode(const char *hex, uint8_t *out, size_t n);
void gdb_hex_encode(const uint8_t *in, size_t n, char *out);
int gdb_parse_hex(const char **s, uint64_t *value);
struct gdb {
	int listen_fd, fd;		/* -1: none */
	char where[120];		/* "127.0.0.1:PORT" or the socket's path */
	struct gdb_rx rx;
	bool no_ack, said_cannot[2];	/* [true]: single-step, [false]: breakpoints */
	int last_signal;		/* why the guest last stopped (5, 2) */
	uint64_t breakpoint[GDB_BREAKPOINTS];
	bool used[GDB_BREAKPOINTS];
	pthread_t watcher;		/* Ctrl-C while the guest runs */
	pthread_mutex_t lock;
	pthread_cond_t resumed;
	bool watching, running, quit;	/* running: the watcher has the socket */
	atomic_bool interrupted;
};
enum gdb_next { GDB_REPLY, GDB_CONTINUE, GDB_STEP, GDB_DETACH, GDB_KILL, GDB_NO_ACK };
int gdb_listen(struct gdb *d, const char *where, const char *who);
int gdb_accept(struct gdb *d, const char *who);
int gdb_prepare(struct guest *g);
void gdb_watch_stop(struct gdb *d);
void gdb_close(struct gdb *d);
int gdb_stopped(struct guest *g, int signal);	/* GUEST_RUNNING, or a status */
void gdb_exited(struct guest *g, int status);
bool gdb_can(struct guest *g, bool step);
enum gdb_next gdb_command(struct guest *g, const char *p, char *out, size_t cap);
bool gdb_cpu_is64(const struct guest *g);
const char *gdb_cpu_arch(const struct guest *g);
size_t gdb_cpu_registers(struct guest *g, uint8_t *out, size_t cap);
size_t gdb_cpu_register(struct guest *g, unsigned n, uint8_t out[8]);
int gdb_cpu_set_register(struct guest *g, unsigned n, const uint8_t *in, size_t size);
int gdb_cpu_set_registers(struct guest *g, const uint8_t *in, size_t len);
int gdb_cpu_memory(struct guest *g, uint64_t addr, uint8_t *buf, size_t len, bool write);
int gdb_cpu_set_debug(struct guest *g, const struct gdb *d, bool step);

#endif
