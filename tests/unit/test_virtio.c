/* virtio: the PCI bus and a virtio-blk device driven the way a driver
 * does, through port accesses on fake guest memory, with a real disk file;
 * and every bad ring or descriptor the spec lets a guest write. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>

#define MEM (64 << 10)
#define BAR 0xc000
#define DESC 0x1000		/* the queue's three areas in guest memory */
#define AVAIL 0x2000
#define USED 0x3000
#define DATA 0x4000		/* request header at DATA, data at +0x100, status at +0x80 */
#define QSIZE 8

struct rig {
	struct fake_guest f;
	struct pci_bus bus;
	struct virtio_blk blk;
	char path[64];
	int fd, irq_raised;
};

static int record_irq(void *arg, bool level) {
	struct rig *r = arg;

	r->irq_raised += level;
	return 0;
}

static uint32_t io(struct rig *r, uint16_t port, uint8_t size, bool write, uint32_t value) {
	struct pio_access a = { .port = port, .size = size, .is_write = write, .value = value };

	RUNS_ON(pio_dispatch(&r->f.g.pio, &a));
	return a.value;
}

static uint32_t config_read(struct rig *r, unsigned slot, unsigned reg) {
	io(r, 0xcf8, 4, true, 0x80000000u | slot << 11 | (reg & 0xfc));
	return io(r, 0xcfc, 4, false, 0);
}

/* A driver: reset, features (VERSION_1 only), one queue at the areas
 * above, DRIVER_OK. */
static void driver_up(struct rig *r) {
	io(r, 0xcf8, 4, true, 0x80000000u | 1 << 11 | 0x04);
	io(r, 0xcfc, 2, true, PCI_COMMAND_IO);
	io(r, BAR + 20, 1, true, 0);					/* reset */
	io(r, BAR + 20, 1, true, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	io(r, BAR + 8, 4, true, 1), io(r, BAR + 12, 4, true, 1);	/* VERSION_1 */
	io(r, BAR + 20, 1, true, 0x0b);				/* FEATURES_OK */
	assert_int_equal(io(r, BAR + 20, 1, false, 0) & VIRTIO_STATUS_FEATURES_OK, 0x08);
	io(r, BAR + 22, 2, true, 0);
	assert_int_equal(io(r, BAR + 24, 2, false, 0), VIRTQ_MAX);	/* the largest offered */
	io(r, BAR + 24, 2, true, QSIZE);
	io(r, BAR + 32, 4, true, DESC), io(r, BAR + 40, 4, true, AVAIL);
	io(r, BAR + 48, 4, true, USED);
	io(r, BAR + 28, 2, true, 1);					/* enable */
	io(r, BAR + 20, 1, true, 0x0f);				/* DRIVER_OK */
}

static void rig_up(struct rig *r, bool readonly) {
	static char zeros[8 * 512];

	memset(r, 0, sizeof(*r));
	fake_guest_init(&r->f, MEM);
	temp_file(r->path, zeros, sizeof(zeros));
	assert_int_equal(disk_open(&r->f.dev.disk[1], r->path, readonly, "t"), 0);
	r->fd = r->f.dev.disk[1].fd;
	assert_int_equal(pci_bus_attach(&r->bus, &r->f.g.pio), 0);
	virtio_blk_init(&r->blk, 0, r->fd, 8, readonly, &r->f.g.mem, "fake");
	assert_int_equal(virtio_attach(&r->blk.virtio, &r->bus, &r->f.g.pio, BAR, 10, record_irq,
				       r), 0);
	driver_up(r);
}

static void rig_down(struct rig *r) {
	virtio_stop(&r->blk.virtio);
	disk_close(&r->f.dev.disk[1]);
	unlink(r->path);
	fake_guest_free(&r->f);
}

static void desc(struct rig *r, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next) {
	struct virtq_desc d = { addr, len, flags, next };

	memcpy(r->f.g.mem.host + DESC + 16 * i, &d, sizeof(d));
}

/* Make head 0 available as entry N, notify: the used entry's length. */
static uint32_t submit(struct rig *r, uint16_t n) {
	uint16_t head = 0, idx = (uint16_t)(n + 1);
	uint32_t used_len;

	memcpy(r->f.g.mem.host + AVAIL + 4 + 2 * (n % QSIZE), &head, 2);
	memcpy(r->f.g.mem.host + AVAIL + 2, &idx, 2);
	io(r, BAR + 0x40, 2, true, 0);
	memcpy(&used_len, r->f.g.mem.host + USED + 4 + 8 * (n % QSIZE) + 4, 4);
	return used_len;
}

/* A request of TYPE on SECTOR with LEN data bytes at DATA + 0x100. */
static uint8_t request(struct rig *r, uint16_t n, uint32_t type, uint64_t sector, uint32_t len) {
	uint8_t *m = r->f.g.mem.host;

	memcpy(m + DATA, &type, 4), memset(m + DATA + 4, 0, 4), memcpy(m + DATA + 8, &sector, 8);
	m[DATA + 0x80] = 0xee;
	desc(r, 0, DATA, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(r, 1, DATA + 0x100, len, VIRTQ_DESC_F_NEXT | (type == 1 ? 0 : VIRTQ_DESC_F_WRITE), 2);
	desc(r, 2, DATA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(r, n);
	return m[DATA + 0x80];
}

static void pci_sees_host_bridge_and_device(void **state) {
	struct rig r;

	(void)state;
	rig_up(&r, false);
	assert_int_equal(config_read(&r, 0, 0x08) >> 8, 0x060000);	/* a host bridge */
	assert_int_equal(config_read(&r, 1, 0x00), 0x10421af4);	/* virtio-blk, modern */
	assert_int_equal(config_read(&r, 2, 0x00), 0xffffffff);	/* nobody */
	io(&r, 0xcf8, 4, true, 0x80000000u | 1 << 11 | 0x10);
	io(&r, 0xcfc, 4, true, 0xffffffff);				/* BAR sizing */
	assert_int_equal(io(&r, 0xcfc, 4, false, 0), 0xffffff01);
	io(&r, 0xcfc, 4, true, BAR | 1);
	assert_int_equal(io(&r, 0xcfc, 4, false, 0), BAR | 1);
	assert_int_equal(config_read(&r, 1, 0x3c) & 0xffff, 0x010a);	/* INTA#, line 10 */
	rig_down(&r);
}

static void blk_writes_reads_flushes_and_names_itself(void **state) {
	struct rig r;
	char sector[512];

	(void)state;
	rig_up(&r, false);
	memset(r.f.g.mem.host + DATA + 0x100, 'w', 512);
	assert_int_equal(request(&r, 0, 1, 3, 512), 0);		/* OUT, sector 3 */
	assert_int_equal(pread(r.fd, sector, 512, 3 * 512), 512);
	assert_int_equal(sector[0], 'w');
	assert_int_equal(sector[511], 'w');
	memset(r.f.g.mem.host + DATA + 0x100, 0, 512);
	assert_int_equal(request(&r, 1, 0, 3, 512), 0);		/* IN */
	assert_int_equal(r.f.g.mem.host[DATA + 0x100], 'w');
	assert_int_equal(request(&r, 2, 4, 0, 0), 0);			/* FLUSH */
	assert_int_equal(request(&r, 3, 8, 0, 20), 0);			/* GET_ID */
	assert_string_equal((char *)r.f.g.mem.host + DATA + 0x100, "mini-kvm-vda");
	assert_int_equal(request(&r, 4, 0, 7, 1024), 1);		/* past the end */
	assert_int_equal(request(&r, 5, 0, 0, 100), 1);			/* not whole sectors */
	assert_int_equal(request(&r, 6, 99, 0, 0), 2);			/* unsupported */
	assert_true(r.irq_raised > 0);
	assert_int_equal(io(&r, BAR + 0x44, 1, false, 0), VIRTIO_ISR_QUEUE);
	assert_int_equal(io(&r, BAR + 0x44, 1, false, 0), 0);		/* read: cleared */
	rig_down(&r);
}

static void readonly_disk_refuses_writes(void **state) {
	struct rig r;

	(void)state;
	rig_up(&r, true);
	assert_int_equal(io(&r, BAR + 4, 4, false, 0) & (1u << 5), 1u << 5);	/* F_RO */
	assert_int_equal(request(&r, 0, 1, 0, 512), 1);			/* IOERR */
	rig_down(&r);
}

/* Each bad thing a driver can write: the device needs a reset, says why,
 * and does nothing more -- no crash, no access outside guest memory. */
static void bad_rings_need_a_reset(void **state) {
	static const char *const expect[] = {
		"outside guest memory", "a loop", "past the table", "the available index moved",
		"indirect",
	};
	struct capture c;

	(void)state;
	for (int k = 0; k < 5; k++) {
		struct rig r;
		uint16_t idx = 100, head = 9;
		const char *err;

		rig_up(&r, false);
		desc(&r, 0, DATA, 16, VIRTQ_DESC_F_NEXT, 1);
		desc(&r, 1, DATA + 0x80, 1, VIRTQ_DESC_F_WRITE, 0);
		if (k == 0)
			desc(&r, 1, MEM - 4, 8, VIRTQ_DESC_F_WRITE, 0);	/* past RAM */
		if (k == 1)
			desc(&r, 1, DATA, 1, VIRTQ_DESC_F_NEXT, 0);		/* back to 0 */
		if (k == 2)
			memcpy(r.f.g.mem.host + AVAIL + 4, &head, 2);	/* head 9 of 8 */
		if (k == 4)
			desc(&r, 0, DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
		capture_begin(&c, STDERR_FILENO);
		if (k == 3) {
			memcpy(r.f.g.mem.host + AVAIL + 2, &idx, 2);
			io(&r, BAR + 0x40, 2, true, 0);
		} else if (k == 2) {
			idx = 1;
			memcpy(r.f.g.mem.host + AVAIL + 2, &idx, 2);
			io(&r, BAR + 0x40, 2, true, 0);
		} else {
			submit(&r, 0);
		}
		err = capture_end(&c);
		assert_non_null(strstr(err, expect[k]));
		assert_non_null(strstr(err, "the device needs a reset"));
		assert_int_equal(io(&r, BAR + 20, 1, false, 0) & VIRTIO_STATUS_NEEDS_RESET,
				 VIRTIO_STATUS_NEEDS_RESET);
		io(&r, BAR + 20, 1, true, 0);					/* reset */
		assert_int_equal(io(&r, BAR + 20, 1, false, 0), 0);
		rig_down(&r);
	}
}

static void a_queue_outside_memory_is_refused(void **state) {
	struct rig r;
	struct capture c;

	(void)state;
	rig_up(&r, false);
	io(&r, BAR + 20, 1, true, 0);
	io(&r, BAR + 20, 1, true, 0x0b);
	io(&r, BAR + 24, 2, true, QSIZE);
	io(&r, BAR + 32, 4, true, MEM - 16);		/* the table runs past RAM */
	capture_begin(&c, STDERR_FILENO);
	io(&r, BAR + 28, 2, true, 1);
	assert_non_null(strstr(capture_end(&c), "outside guest memory"));
	assert_int_equal(io(&r, BAR + 28, 2, false, 0), 0);	/* not enabled */
	rig_down(&r);
}

int test_virtio(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pci_sees_host_bridge_and_device),
		cmocka_unit_test(blk_writes_reads_flushes_and_names_itself),
		cmocka_unit_test(readonly_disk_refuses_writes),
		cmocka_unit_test(bad_rings_need_a_reset),
		cmocka_unit_test(a_queue_outside_memory_is_refused),
	};
	return cmocka_run_group_tests_name("virtio", tests, NULL, NULL);
}
