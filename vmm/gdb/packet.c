/*
 * gdb_packet: the framing of GDB's remote serial protocol ("Remote Protocol",
 * "Overview" in the GDB manual), apart from what the packets mean (commands.c).
 * A packet is "$" payload "#" and two hex digits: the payload's bytes
 * summed modulo 256. In the payload, "}" escapes the next byte (XOR 0x20).
 * Between packets come acknowledgements ("+", "-") and Ctrl-C (0x03),
 * gdb's interrupt. Everything here is pure: bytes in, bytes out; every
 * length is checked, because the other end of the socket may be anything.
 */
#include <string.h>

#include <stdbool.h>

#include "packet.h"

#define INTERRUPT 0x03
#define ESCAPE '}'
#define ESCAPE_XOR 0x20

static int hex_digit(char c) {
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* N bytes from 2N hex digits; -1 if a digit is not hex. */
int gdb_hex_decode(const char *hex, uint8_t *out, size_t n) {
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit(hex[2 * i]), lo = hi < 0 ? -1 : hex_digit(hex[2 * i + 1]);

		if (lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* 2N hex digits and a NUL into OUT (room for 2N + 1). */
void gdb_hex_encode(const uint8_t *in, size_t n, char *out) {
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * n] = '\0';
}

/* A hex number at *S, at most 16 digits; *S moves past it. -1 if none. */
int gdb_parse_hex(const char **s, uint64_t *value) {
	int digits = 0, d;

	*value = 0;
	for (; (d = hex_digit(**s)) >= 0; (*s)++) {
		if (++digits > 16)
			return -1;
		*value = *value << 4 | (uint64_t)d;
	}
	return digits ? 0 : -1;
}

/* Drop the first N bytes of RX. */
static void consume(struct gdb_rx *rx, size_t n) {
	memmove(rx->buf, rx->buf + n, rx->len - n);
	rx->len -= n;
}

/* The end of the packet that starts RX (its "#" and checksum included),
 * or 0 if it is not all there yet. */
static size_t packet_end(const struct gdb_rx *rx) {
	const char *hash = memchr(rx->buf + 1, '#', rx->len - 1);

	if (!hash || (size_t)(hash - rx->buf) + 3 > rx->len)
		return 0;
	return (size_t)(hash - rx->buf) + 3;
}

/*
 * The next thing RX holds: a packet (its payload unescaped into PAYLOAD,
 * CAP bytes with the NUL, its length in *LEN), an interrupt, or NONE while
 * what is there is incomplete. Acknowledgements and stray bytes are
 * skipped. A packet that does not fit in CAP, or whose length would not
 * fit in RX, is TOO_LONG; one whose checksum is wrong, BAD_CHECKSUM.
 */
enum gdb_in gdb_rx_next(struct gdb_rx *rx, char *payload, size_t cap, size_t *len) {
	size_t end, n = 0;
	unsigned sum = 0;
	uint8_t checksum;

	while (rx->len > 0 && rx->buf[0] != '$' && rx->buf[0] != INTERRUPT)
		consume(rx, 1);		/* '+', '-' and anything unexpected */
	if (rx->len == 0)
		return GDB_IN_NONE;
	if (rx->buf[0] == INTERRUPT) {
		consume(rx, 1);
		return GDB_IN_INTERRUPT;
	}
	if (!(end = packet_end(rx))) {
		if (rx->len < sizeof(rx->buf))
			return GDB_IN_NONE;
		rx->len = 0;		/* a "packet" longer than our buffer */
		return GDB_IN_TOO_LONG;
	}
	for (size_t i = 1; i < end - 3; i++)	/* the checksum: the bytes as sent */
		sum += (uint8_t)rx->buf[i];
	for (size_t i = 1; i < end - 3; i++) {
		if (n + 1 >= cap) {
			consume(rx, end);
			return GDB_IN_TOO_LONG;
		}
		if (rx->buf[i] == ESCAPE && i + 1 < end - 3)
			payload[n++] = (char)(rx->buf[++i] ^ ESCAPE_XOR);
		else
			payload[n++] = rx->buf[i];
	}
	payload[n] = '\0';
	*len = n;
	if (gdb_hex_decode(rx->buf + end - 2, &checksum, 1) < 0 || checksum != (sum & 0xff)) {
		consume(rx, end);
		return GDB_IN_BAD_CHECKSUM;
	}
	consume(rx, end);
	return GDB_IN_PACKET;
}

/* "$" PAYLOAD "#" checksum into OUT (CAP bytes): its length, or 0 if it
 * does not fit. "$", "#", "}" and "*" in the payload are escaped. */
size_t gdb_frame(const char *payload, size_t len, char *out, size_t cap) {
	size_t n = 0;
	unsigned sum = 0;

	if (cap < 4)
		return 0;
	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		char c = payload[i];
		bool special = c == '$' || c == '#' || c == ESCAPE || c == '*';

		if (n + (special ? 2 : 1) + 3 > cap)
			return 0;
		if (special) {
			out[n++] = ESCAPE, sum += ESCAPE;
			c ^= ESCAPE_XOR;
		}
		out[n++] = c, sum += (uint8_t)c;
	}
	out[n++] = '#';
	gdb_hex_encode((const uint8_t[]){ (uint8_t)sum }, 1, out + n);
	return n + 2;
}
