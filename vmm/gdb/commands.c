/*
 * gdb_commands: the answer to each packet gdb sends while the guest is
 * stopped (GDB manual, "Remote Protocol": "Packets", "General Query
 * Packets"). One function per packet; an unknown packet gets the empty
 * reply, which tells gdb "not supported". Numbers in packets are hex.
 */
#include <stdio.h>
#include <string.h>

#include "gdb.h"

#define GDB_EFAULT "E0e"	/* memory not there: EFAULT, in gdb's hex */
#define GDB_EINVAL "E16"	/* a malformed packet */

/* The target description: only the architecture, so gdb uses its own
 * register layout for it ("Target Descriptions" in the GDB manual). */
static void target_xml(const struct guest *g, char *xml, size_t size) {
	snprintf(xml, size, "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
		 "<target version=\"1.0\"><architecture>%s</architecture><osabi>none</osabi>"
		 "</target>",
		 gdb_cpu_arch(g));
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH -> "m"/"l" and the slice. */
static void read_features(const struct guest *g, const char *args, char *out, size_t cap) {
	char xml[256];
	uint64_t offset, length;
	size_t total;

	target_xml(g, xml, sizeof(xml));
	total = strlen(xml);
	if (strncmp(args, "target.xml:", 11) || (args += 11, gdb_parse_hex(&args, &offset)) < 0 ||
	    *args++ != ',' || gdb_parse_hex(&args, &length) < 0 || offset > total) {
		snprintf(out, cap, "%s", GDB_EINVAL);
		return;
	}
	length = length < cap - 2 ? length : cap - 2;
	length = length < total - offset ? length : total - offset;
	snprintf(out, cap, "%c%.*s", offset + length < total ? 'm' : 'l', (int)length,
		 xml + offset);
}

static enum gdb_next query(const struct guest *g, const char *p, char *out, size_t cap) {
	if (!strncmp(p, "qSupported", 10))
		snprintf(out, cap, "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;"
			 "vContSupported+;hwbreak+", GDB_PACKET_MAX);
	else if (!strncmp(p, "qXfer:features:read:", 20))
		read_features(g, p + 20, out, cap);
	else if (!strcmp(p, "qAttached"))
		snprintf(out, cap, "1");	/* stopping the debugger keeps the guest */
	else if (!strcmp(p, "qC"))
		snprintf(out, cap, "QC1");	/* one thread: the vCPU */
	else if (!strcmp(p, "qfThreadInfo"))
		snprintf(out, cap, "m1");
	else if (!strcmp(p, "qsThreadInfo"))
		snprintf(out, cap, "l");
	else if (!strncmp(p, "qSymbol", 7))
		snprintf(out, cap, "OK");
	else
		out[0] = '\0';
	return GDB_REPLY;
}

/* "ADDR,LEN" from P: false if malformed or LEN is more than MAX. */
static bool address_and_length(const char **p, uint64_t *addr, uint64_t *len, uint64_t max) {
	return gdb_parse_hex(p, addr) == 0 && *(*p)++ == ',' && gdb_parse_hex(p, len) == 0 &&
	       *len <= max;
}

/* m ADDR,LEN: guest memory as hex. */
static void read_memory(struct guest *g, const char *p, char *out, size_t cap) {
	uint8_t bytes[GDB_PACKET_MAX / 2];
	uint64_t addr, len;

	if (!address_and_length(&p, &addr, &len, (cap - 1) / 2 < sizeof(bytes) ? (cap - 1) / 2
										: sizeof(bytes)) || *p)
		snprintf(out, cap, "%s", GDB_EINVAL);
	else if (gdb_cpu_memory(g, addr, bytes, len, false) < 0)
		snprintf(out, cap, "%s", GDB_EFAULT);
	else
		gdb_hex_encode(bytes, len, out);
}

/* M ADDR,LEN:HEX: write guest memory. */
static void write_memory(struct guest *g, const char *p, char *out, size_t cap) {
	uint8_t bytes[GDB_PACKET_MAX / 2];
	uint64_t addr, len;

	if (!address_and_length(&p, &addr, &len, sizeof(bytes)) || *p++ != ':' ||
	    strlen(p) != 2 * len || gdb_hex_decode(p, bytes, len) < 0)
		snprintf(out, cap, "%s", GDB_EINVAL);
	else
		snprintf(out, cap, "%s", gdb_cpu_memory(g, addr, bytes, len, true) < 0 ? GDB_EFAULT
											: "OK");
}

/* g: every register as hex. G HEX: set them. */
static void registers(struct guest *g, const char *p, char *out, size_t cap) {
	uint8_t bytes[256];
	size_t len;

	if (p[0] == 'g') {
		int n = gdb_cpu_registers(g, bytes, sizeof(bytes));

		if (n < 0)
			snprintf(out, cap, "%s", GDB_EFAULT);	/* no registers to show */
		else
			gdb_hex_encode(bytes, (size_t)n, out);
		return;
	}
	len = strlen(p + 1) / 2;
	if (len > sizeof(bytes) || gdb_hex_decode(p + 1, bytes, len) < 0 ||
	    gdb_cpu_set_registers(g, bytes, len) < 0)
		snprintf(out, cap, "%s", GDB_EINVAL);
	else
		snprintf(out, cap, "OK");
}

/* p N: one register. P N=HEX: set it. */
static void one_register(struct guest *g, const char *p, char *out, size_t cap) {
	uint8_t bytes[8];
	uint64_t n;
	size_t size;

	p++;
	if (gdb_parse_hex(&p, &n) < 0 || n > 255) {
		snprintf(out, cap, "%s", GDB_EINVAL);
	} else if (*p == '\0') {	/* p N */
		if ((size = gdb_cpu_register(g, (unsigned)n, bytes)))
			gdb_hex_encode(bytes, size, out);
		else
			snprintf(out, cap, "E00");	/* a register we do not have */
	} else {			/* P N=HEX */
		size = strlen(p + 1) / 2;
		snprintf(out, cap, "%s", *p != '=' || size > sizeof(bytes) ||
			 gdb_hex_decode(p + 1, bytes, size) < 0 ||
			 gdb_cpu_set_register(g, (unsigned)n, bytes, size) < 0 ? GDB_EINVAL : "OK");
	}
}

/* c [ADDR], s [ADDR]: resume there (or where the guest is). */
static enum gdb_next resume(struct guest *g, const char *p, bool step, char *out, size_t cap) {
	const char *at = p + 1;
	uint64_t addr;

	if (step && !gdb_can(g, true)) {
		snprintf(out, cap, "E01");	/* rather than run on and never stop */
		return GDB_REPLY;
	}
	if (*at && gdb_parse_hex(&at, &addr) == 0) {
		g->vm.vcpu[0].run->s.regs.regs.rip = addr;
		g->vm.vcpu[0].run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
	}
	return step ? GDB_STEP : GDB_CONTINUE;
}

/* vCont;ACTION[:THREAD]...: one vCPU, so the first action is the one. */
static enum gdb_next v_packet(struct guest *g, const char *p, char *out, size_t cap) {
	if (!strcmp(p, "vCont?")) {
		snprintf(out, cap, "vCont;c;C;s;S");
		return GDB_REPLY;
	}
	if (!strncmp(p, "vCont;", 6) && strchr("cCsS", p[6]))
		return resume(g, "c", p[6] == 's' || p[6] == 'S', out, cap);
	if (!strncmp(p, "vKill", 5))
		return GDB_KILL;
	out[0] = '\0';		/* vMustReplyEmpty and the rest */
	return GDB_REPLY;
}

/* Z/z TYPE,ADDR,KIND: breakpoints 0 (software) and 1 (hardware) both use
 * the debug registers (gdb_cpu.c says why); watchpoints are not supported. */
static void breakpoint(struct guest *g, const char *p, char *out, size_t cap) {
	struct gdb *d = gdb_of(g);
	bool insert = p[0] == 'Z';
	uint64_t addr;
	int free = -1, found = -1;

	if ((p[1] != '0' && p[1] != '1') || p[2] != ',') {
		out[0] = '\0';
		return;
	}
	p += 3;
	if (gdb_parse_hex(&p, &addr) < 0 || *p != ',') {
		snprintf(out, cap, "%s", GDB_EINVAL);
		return;
	}
	for (int i = GDB_BREAKPOINTS - 1; i >= 0; i--) {
		if (!d->used[i])
			free = i;
		else if (d->breakpoint[i] == addr)
			found = i;
	}
	if (insert && found < 0 && !gdb_can(g, false)) {
		snprintf(out, cap, "E01");
	} else if (insert && found < 0) {
		if (free >= 0)
			d->used[free] = true, d->breakpoint[free] = addr;
		snprintf(out, cap, free >= 0 ? "OK" : "E01");	/* all four in use */
	} else {
		if (!insert && found >= 0)
			d->used[found] = false;
		snprintf(out, cap, "OK");
	}
}

enum gdb_next gdb_command(struct guest *g, const char *p, char *out, size_t cap) {
	out[0] = '\0';
	switch (p[0]) {
	case '?': snprintf(out, cap, "T%02xthread:01;", gdb_of(g)->last_signal); break;
	case 'g': case 'G': registers(g, p, out, cap); break;
	case 'p': case 'P': one_register(g, p, out, cap); break;
	case 'm': read_memory(g, p + 1, out, cap); break;
	case 'M': write_memory(g, p + 1, out, cap); break;
	case 'Z': case 'z': breakpoint(g, p, out, cap); break;
	case 'c': case 'C': return resume(g, p[0] == 'c' ? p : "c", false, out, cap);
	case 's': case 'S': return resume(g, p[0] == 's' ? p : "s", true, out, cap);
	case 'v': return v_packet(g, p, out, cap);
	case 'q': return query(g, p, out, cap);
	case 'Q':
		if (strcmp(p, "QStartNoAckMode"))
			break;
		snprintf(out, cap, "OK");
		return GDB_NO_ACK;
	case 'H': case 'T': snprintf(out, cap, "OK"); break;	/* one thread */
	case 'D': snprintf(out, cap, "OK"); return GDB_DETACH;
	case 'k': return GDB_KILL;
	}
	return GDB_REPLY;
}
