/* gdb: the remote protocol's framing, and the packets that need no vCPU. */
#include <string.h>

#include "helpers.h"
#include "gdb/gdb.h"

/* Put TEXT into RX as if it came from the socket. */
static void arrive(struct gdb_rx *rx, const char *text)
{
	size_t n = strlen(text);

	memcpy(rx->buf + rx->len, text, n);
	rx->len += n;
}

static void frames_and_escapes(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(gdb_frame("OK", 2, out, sizeof(out)), 6);
	assert_memory_equal(out, "$OK#9a", 6);
	/* '#', '$', '}', '*' are escaped: } then the byte XOR 0x20 */
	assert_int_equal(gdb_frame("a#b", 3, out, sizeof(out)), 8);
	assert_memory_equal(out, "$a}\x03" "b#", 6);
	assert_int_equal(gdb_frame("OK", 2, out, 5), 0);	/* does not fit */
}

static void reads_packets_acks_and_interrupts(void **state)
{
	struct gdb_rx rx = { .len = 0 };
	char payload[64];
	size_t len;

	(void)state;
	arrive(&rx, "+$qSupported:multiprocess+#c6\x03$m1");
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_PACKET);
	assert_string_equal(payload, "qSupported:multiprocess+");
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_INTERRUPT);
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_NONE);
	arrive(&rx, "0,4#2e");	/* the rest of "$m10,4" arrives */
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_PACKET);
	assert_string_equal(payload, "m10,4");
	assert_int_equal(rx.len, 0);
}

static void refuses_bad_checksums_and_long_packets(void **state)
{
	struct gdb_rx rx = { .len = 0 };
	char payload[8], big[sizeof(rx.buf) + 1];
	size_t len;

	(void)state;
	arrive(&rx, "$?#00$?#3f");
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_BAD_CHECKSUM);
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_PACKET);
	arrive(&rx, "$0123456789#1d");	/* more than PAYLOAD holds */
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_TOO_LONG);
	assert_int_equal(rx.len, 0);
	memset(big, 'a', sizeof(big) - 1);	/* no '#' in the whole buffer */
	big[0] = '$', big[sizeof(big) - 1] = '\0';
	arrive(&rx, big);
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_TOO_LONG);
	assert_int_equal(rx.len, 0);
	arrive(&rx, "$}]#xz");	/* a checksum that is not hex */
	assert_int_equal(gdb_rx_next(&rx, payload, sizeof(payload), &len), GDB_IN_BAD_CHECKSUM);
}

static void hex_numbers(void **state)
{
	const char *p = "1f,ffffffffffffffff:x", *q = "12345678901234567";
	uint8_t bytes[2];
	uint64_t v;
	char hex[5];

	(void)state;
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(*p++, ',');
	assert_int_equal(gdb_parse_hex(&p, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(gdb_parse_hex(&p, &v), -1);		/* ':' is no digit */
	assert_int_equal(gdb_parse_hex(&q, &v), -1);		/* 17 digits overflow */
	assert_int_equal(gdb_hex_decode("a0Fz", bytes, 2), -1);
	assert_int_equal(gdb_hex_decode("a0F1", bytes, 2), 0);
	gdb_hex_encode(bytes, 2, hex);
	assert_string_equal(hex, "a0f1");
}

/* Packets answered without touching the vCPU, on a guest without one. */
static void answers_without_a_vcpu(void **state)
{
	struct fake_guest f;
	struct gdb d = { .fd = -1, .listen_fd = -1 };
	char out[512];

	(void)state;
	fake_guest_init(&f, 4096);
	d.hook.state = &d;
	f.g.debug = &d.hook;
	f.g.cpu = CPU_PROTECTED;
	assert_int_equal(gdb_command(&f.g, "qXfer:features:read:target.xml:0,400", out,
				     sizeof(out)), GDB_REPLY);
	assert_non_null(strstr(out, "<architecture>i386</architecture>"));
	assert_int_equal(out[0], 'l');		/* all of it */
	gdb_command(&f.g, "qXfer:features:read:target.xml:0,10", out, sizeof(out));
	assert_int_equal(out[0], 'm');		/* more to come */
	gdb_command(&f.g, "m1000,zz", out, sizeof(out));
	assert_string_equal(out, "E16");	/* malformed */
	gdb_command(&f.g, "m0,100000", out, sizeof(out));
	assert_string_equal(out, "E16");	/* longer than a reply can hold */
	gdb_command(&f.g, "Z2,1000,4", out, sizeof(out));
	assert_string_equal(out, "");		/* watchpoints: not supported */
	assert_int_equal(gdb_command(&f.g, "vCont?", out, sizeof(out)), GDB_REPLY);
	assert_string_equal(out, "vCont;c;C;s;S");
	assert_int_equal(gdb_command(&f.g, "D", out, sizeof(out)), GDB_DETACH);
	assert_int_equal(gdb_command(&f.g, "k", out, sizeof(out)), GDB_KILL);
	assert_int_equal(gdb_command(&f.g, "QStartNoAckMode", out, sizeof(out)), GDB_NO_ACK);
	assert_int_equal(gdb_command(&f.g, "c", out, sizeof(out)), GDB_CONTINUE);
	gdb_command(&f.g, "X1000,0:", out, sizeof(out));
	assert_string_equal(out, "");		/* unknown: the empty reply */
	gdb_command(&f.g, "g", out, sizeof(out));
	assert_string_equal(out, "E0e");	/* no vCPU to read: an error, not "" */
	fake_guest_free(&f);
}

int test_gdb(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(frames_and_escapes),
		cmocka_unit_test(reads_packets_acks_and_interrupts),
		cmocka_unit_test(refuses_bad_checksums_and_long_packets),
		cmocka_unit_test(hex_numbers),
		cmocka_unit_test(answers_without_a_vcpu),
	};

	return cmocka_run_group_tests_name("gdb", tests, NULL, NULL);
}
