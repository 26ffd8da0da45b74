/*
 * packet.h: the framing of GDB's remote serial protocol (packet.c): bytes
 * in, bytes out, nothing of the VMM. A packet is "$" payload "#" and two
 * hex digits of checksum ("Remote Protocol", "Overview" in the GDB manual).
 */
#ifndef GDB_PACKET_H
#define GDB_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define GDB_PACKET_MAX 4096	/* the PacketSize we tell gdb */

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

#endif
