/* virtio-net on a socket pair standing in for the tap (a datagram is a
 * frame, as a tap's read and write are), and virtio-balloon's reports and
 * inflation giving guest RAM back: driven as a driver does (virtio_rig.h). */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "virtio_rig.h"

#define NET_HEADER 12
enum { RX = 0, TX = 1 };

struct net_rig {
	struct vrig v;
	struct virtio_net net;
	int host;		/* our end of the "tap" */
};

static void net_up(struct net_rig *r) {
	int pair[2];

	vrig_up(&r->v);
	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0, pair), 0);
	r->host = pair[1];
	virtio_net_init(&r->net, pair[0], NULL, &r->v.f.g.mem, "fake");
	vrig_attach(&r->v, &r->net.virtio);
	vrig_driver_up(&r->v, 1u << 5, 2);		/* F_MAC */
}

static void net_down(struct net_rig *r) {
	virtio_net_stop(&r->net);
	virtio_stop(&r->net.virtio);
	close(r->net.tap), close(r->host);
	vrig_down(&r->v);
}

static void net_sends_frames_to_the_tap(void **state) {
	struct net_rig *r = calloc(1, sizeof(*r));
	uint8_t *m, got[100];

	(void)state;
	net_up(r);
	m = r->v.f.g.mem.host;
	assert_int_equal(vrig_io(&r->v, VRIG_BAR + 0x80, 4, false, 0), 0x006b6d02);	/* the MAC */
	memset(m + VRIG_DATA, 0, NET_HEADER);
	memset(m + VRIG_DATA + 0x100, 'f', 60);
	vrig_desc(&r->v, TX, 0, VRIG_DATA, NET_HEADER, VIRTQ_DESC_F_NEXT, 1);
	vrig_desc(&r->v, TX, 1, VRIG_DATA + 0x100, 60, 0, 0);
	vrig_submit(&r->v, TX, 0, 0);
	assert_int_equal(recv(r->host, got, sizeof(got), 0), 60);	/* the frame, no header */
	assert_int_equal(got[59], 'f');
	vrig_desc(&r->v, TX, 0, VRIG_DATA, NET_HEADER + 8, 0, 0);	/* shorter than Ethernet's */
	vrig_submit(&r->v, TX, 1, 0);
	assert_int_equal(recv(r->host, got, sizeof(got), 0), -1);	/* dropped */
	assert_int_equal(r->net.sent, 1);
	assert_int_equal(r->net.dropped, 1);
	assert_int_equal(vrig_used_idx(&r->v, TX), 2);			/* both given back */
	net_down(r);
	free(r);
}

/* Until the used index reaches IDX, for at most two seconds. */
static bool used_reaches(struct vrig *v, int q, uint16_t idx) {
	for (int i = 0; i < 200 && vrig_used_idx(v, q) != idx; i++)
		poll(NULL, 0, 10);
	return vrig_used_idx(v, q) == idx;
}

static void net_receives_frames_into_the_drivers_buffers(void **state) {
	struct net_rig *r = calloc(1, sizeof(*r));
	uint8_t frame[64], *m;
	uint32_t len;
	uint16_t num_buffers;

	(void)state;
	net_up(r);
	m = r->v.f.g.mem.host;
	memset(frame, 'r', sizeof(frame));
	assert_int_equal(virtio_net_start(&r->net), 0);
	assert_int_equal(send(r->host, frame, sizeof(frame), 0), sizeof(frame));
	vrig_desc(&r->v, RX, 0, VRIG_DATA, 1526, VIRTQ_DESC_F_WRITE, 0);
	vrig_submit(&r->v, RX, 0, 0);		/* the frame waited for this buffer */
	assert_true(used_reaches(&r->v, RX, 1));
	memcpy(&len, m + VRIG_USED(RX) + 8, 4);
	assert_int_equal(len, NET_HEADER + sizeof(frame));
	memcpy(&num_buffers, m + VRIG_DATA + 10, 2);
	assert_int_equal(num_buffers, 1);
	assert_memory_equal(m + VRIG_DATA + NET_HEADER, frame, sizeof(frame));
	assert_int_equal(r->net.received, 1);
	net_down(r);
	free(r);
}

static void net_refuses_a_receive_buffer_it_cannot_write(void **state) {
	struct net_rig *r = calloc(1, sizeof(*r));
	uint8_t frame[64] = { 0 };
	struct capture c;

	(void)state;
	net_up(r);
	vrig_desc(&r->v, RX, 0, VRIG_DATA, 1526, 0, 0);	/* readable: wrong */
	vrig_submit(&r->v, RX, 0, 0);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(virtio_net_start(&r->net), 0);
	assert_int_equal(send(r->host, frame, sizeof(frame), 0), sizeof(frame));
	for (int i = 0; i < 200 && !(r->net.virtio.status & VIRTIO_STATUS_NEEDS_RESET); i++)
		poll(NULL, 0, 10);
	virtio_net_stop(&r->net);
	assert_non_null(strstr(capture_end(&c), "a receive buffer the device may only read"));
	assert_int_equal(vrig_used_idx(&r->v, RX), 0);
	net_down(r);
	free(r);
}

enum { INFLATE = 0, REPORTING = 2 };
#define PAGE 4096

static void balloon_gives_reported_and_inflated_pages_back(void **state) {
	struct vrig *r = calloc(1, sizeof(*r));
	struct virtio_balloon *b = calloc(1, sizeof(*b));
	uint8_t *m;
	uint32_t pfns[2] = { 0x1c, 0xfffff };	/* a page of RAM, and one far past it */
	struct capture c;

	(void)state;
	vrig_up(r);
	free(r->f.g.mem.host);		/* page-aligned RAM, as the VMM maps it */
	assert_int_equal(guest_memory_map(&r->f.g.mem, VRIG_MEM), 0);
	m = r->f.g.mem.host;
	virtio_balloon_init(b, &r->f.g.mem, "fake");
	vrig_attach(r, &b->virtio);
	vrig_driver_up(r, 1u << 5, 3);	/* F_REPORTING */
	memset(m + 0x10000, 'x', 0x10000);
	vrig_desc(r, REPORTING, 0, 0x10000, 0x8000, VIRTQ_DESC_F_WRITE, 0);	/* whole pages */
	vrig_desc(r, REPORTING, 1, 0x1a800, 0x1800, VIRTQ_DESC_F_WRITE, 0);	/* half, one, none */
	vrig_submit(r, REPORTING, 0, 0);
	vrig_submit(r, REPORTING, 1, 1);
	assert_int_equal(m[0x10000] | m[0x17fff] | m[0x1b000] | m[0x1bfff], 0);
	assert_int_equal(m[0x18000], 'x');	/* not reported */
	assert_int_equal(m[0x1a800], 'x');	/* in a page only half reported */
	memcpy(m + VRIG_DATA, pfns, sizeof(pfns));
	vrig_desc(r, INFLATE, 0, VRIG_DATA, sizeof(pfns), 0, 0);
	vrig_submit(r, INFLATE, 0, 0);
	assert_int_equal(m[0x1c000] | m[0x1cfff], 0);
	assert_int_equal(m[0x1d000], 'x');
	assert_int_equal(b->reported, 0x8000 + 0x1800);
	assert_int_equal(b->inflated, PAGE);
	assert_int_equal(vrig_used_idx(r, REPORTING), 2);
	vrig_desc(r, INFLATE, 0, VRIG_DATA, 2048, 0, 0);	/* 512 pages: more than a driver sends */
	capture_begin(&c, STDERR_FILENO);
	vrig_submit(r, INFLATE, 1, 0);
	assert_non_null(strstr(capture_end(&c), "an inflate list longer than 256 pages"));
	assert_int_equal(b->inflated, PAGE);
	virtio_stop(&b->virtio);
	guest_memory_unmap(&r->f.g.mem);
	r->f.g.mem.host = NULL;
	vrig_down(r);
	free(b), free(r);
}

int test_virtio_devices(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(net_sends_frames_to_the_tap),
		cmocka_unit_test(net_receives_frames_into_the_drivers_buffers),
		cmocka_unit_test(net_refuses_a_receive_buffer_it_cannot_write),
		cmocka_unit_test(balloon_gives_reported_and_inflated_pages_back),
	};
	return cmocka_run_group_tests_name("virtio devices", tests, NULL, NULL);
}
