/* fuzz_gdb: any bytes from a "gdb" -- in pieces of any size, as a socket
 * delivers them -- through the remote protocol's framing, and every packet
 * that comes out through the command handlers, on a guest whose vCPU does
 * not exist (register and memory packets then fail, as they must: never
 * crash, never read or write out of bounds, never hang). */
#include "fuzz.h"
#include "gdb/gdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static struct board_devices dev;
	static struct guest g;
	static struct gdb d;
	static const struct kvm no_kvm = { .fd = -1 };	/* every probe fails: "cannot" */
	static char payload[GDB_PACKET_MAX + 1], reply[2 * GDB_PACKET_MAX + 1];
	size_t at = 0;

	fake_guest(&g, &dev, 1 << 16);
	d = (struct gdb){ .fd = -1, .listen_fd = -1 };
	d.hook.state = &d;
	g.debug = &d.hook;
	g.kvm = &no_kvm;
	g.cpu = size ? (enum cpu_mode)(data[0] % (CPU_LONG + 1)) : CPU_REAL;
	while (at < size) {
		/* the first byte of each piece says how long it is */
		size_t piece = 1 + data[at] % 64, len;
		enum gdb_in in;

		piece = piece < size - at ? piece : size - at;
		piece = piece < sizeof(d.rx.buf) - d.rx.len ? piece : sizeof(d.rx.buf) - d.rx.len;
		memcpy(d.rx.buf + d.rx.len, data + at, piece);
		d.rx.len += piece, at += piece;
		while ((in = gdb_rx_next(&d.rx, payload, sizeof(payload), &len)) != GDB_IN_NONE)
			if (in == GDB_IN_PACKET)
				gdb_command(&g, payload, reply, sizeof(reply));
		if (d.rx.len == sizeof(d.rx.buf))
			abort();	/* a full buffer must have been emptied (TOO_LONG) */
	}
	fake_guest_free(&g, &dev);
	return 0;
}
