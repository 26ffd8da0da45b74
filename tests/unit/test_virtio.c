/* virtio: the PCI bus and a virtio-blk device driven the way a driver
 * does, through port accesses on fake guest memory, with a real disk file;
 * and every bad ring or descriptor the spec lets a guest write. */
#include "virtio_rig.h"

#include <string.h>
#include <unistd.h>

#define MEM VRIG_MEM
#define BAR VRIG_BAR
#define AVAIL VRIG_AVAIL(0)
#define DATA VRIG_DATA		/* request header at DATA, data at +0x100, status at +0x80 */
#define QSIZE VRIG_QSIZE

struct rig {
	struct vrig v;
	struct virtio_blk blk;
	char path[64];
	int fd;
};

static uint32_t io(struct rig *r, uint16_t port, uint8_t size, bool write, uint32_t value) {
	return vrig_io(&r->v, port, size, write, value);
}

static void rig_up(struct rig *r, bool readonly) {
	static char zeros[8 * 512];

	memset(r, 0, sizeof(*r));
	vrig_up(&r->v);
	temp_file(r->path, zeros, sizeof(zeros));
	assert_int_equal(disk_open(&r->v.f.dev.disk[1], r->path, readonly, "t"), 0);
	r->fd = r->v.f.dev.disk[1].fd;
	virtio_blk_init(&r->blk, 0, r->fd, 8, readonly, &r->v.f.g.mem, "fake");
	vrig_attach(&r->v, &r->blk.virtio);
	vrig_driver_up(&r->v, 0, 1);
}

static void rig_down(struct rig *r) {
	virtio_stop(&r->blk.virtio);
	disk_close(&r->v.f.dev.disk[1]);
	unlink(r->path);
	vrig_down(&r->v);
}

static void desc(struct rig *r, unsigned i, uint64_t addr, uint32_t len, uint16_t flags,
		 uint16_t next) {
	vrig_desc(&r->v, 0, i, addr, len, flags, next);
}

static uint32_t submit(struct rig *r, uint16_t n) {
	return vrig_submit(&r->v, 0, n, 0);
}

/* A request of TYPE on SECTOR with LEN data bytes at DATA + 0x100. */
static uint8_t request(struct rig *r, uint16_t n, uint32_t type, uint64_t sector, uint32_t len) {
	uint8_t *m = r->v.f.g.mem.host;

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
	assert_int_equal(vrig_config_read(&r.v, 0, 0x08) >> 8, 0x060000);	/* a host bridge */
	assert_int_equal(vrig_config_read(&r.v, 1, 0x00), 0x10421af4);	/* virtio-blk, modern */
	assert_int_equal(vrig_config_read(&r.v, 2, 0x00), 0xffffffff);	/* nobody */
	io(&r, 0xcf8, 4, true, 0x80000000u | 1 << 11 | 0x10);
	io(&r, 0xcfc, 4, true, 0xffffffff);				/* BAR sizing */
	assert_int_equal(io(&r, 0xcfc, 4, false, 0), 0xffffff01);
	io(&r, 0xcfc, 4, true, BAR | 1);
	assert_int_equal(io(&r, 0xcfc, 4, false, 0), BAR | 1);
	assert_int_equal(vrig_config_read(&r.v, 1, 0x3c) & 0xffff, 0x010a);	/* INTA#, line 10 */
	rig_down(&r);
}

static void blk_writes_reads_flushes_and_names_itself(void **state) {
	struct rig r;
	char sector[512];

	(void)state;
	rig_up(&r, false);
	memset(r.v.f.g.mem.host + DATA + 0x100, 'w', 512);
	assert_int_equal(request(&r, 0, 1, 3, 512), 0);		/* OUT, sector 3 */
	assert_int_equal(pread(r.fd, sector, 512, 3 * 512), 512);
	assert_int_equal(sector[0], 'w');
	assert_int_equal(sector[511], 'w');
	memset(r.v.f.g.mem.host + DATA + 0x100, 0, 512);
	assert_int_equal(request(&r, 1, 0, 3, 512), 0);		/* IN */
	assert_int_equal(r.v.f.g.mem.host[DATA + 0x100], 'w');
	assert_int_equal(request(&r, 2, 4, 0, 0), 0);			/* FLUSH */
	assert_int_equal(request(&r, 3, 8, 0, 20), 0);			/* GET_ID */
	assert_string_equal((char *)r.v.f.g.mem.host + DATA + 0x100, "mini-kvm-vda");
	assert_int_equal(request(&r, 4, 0, 7, 1024), 1);		/* past the end */
	assert_int_equal(request(&r, 5, 0, 0, 100), 1);			/* not whole sectors */
	assert_int_equal(request(&r, 6, 99, 0, 0), 2);			/* unsupported */
	assert_true(r.v.irq_raised > 0);
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
			memcpy(r.v.f.g.mem.host + AVAIL + 4, &head, 2);	/* head 9 of 8 */
		if (k == 4)
			desc(&r, 0, DATA, 16, VIRTQ_DESC_F_INDIRECT, 0);
		capture_begin(&c, STDERR_FILENO);
		if (k == 3) {
			memcpy(r.v.f.g.mem.host + AVAIL + 2, &idx, 2);
			io(&r, BAR + 0x40, 2, true, 0);
		} else if (k == 2) {
			idx = 1;
			memcpy(r.v.f.g.mem.host + AVAIL + 2, &idx, 2);
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
