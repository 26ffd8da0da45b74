/*
 * net: a virtio network card (VIRTIO 1.2, 5.1) on a host tap device.
 * Queue 0 receives, queue 1 transmits. Every buffer starts with a 12-byte
 * struct virtio_net_hdr (5.1.6; 12 with VERSION_1). We offer no checksum
 * or segmentation offload, so the header says nothing: what follows it is
 * a whole Ethernet frame, as the tap passes them.
 *
 * Transmit runs in the vCPU thread that notified us: each chain, after its
 * header, goes to the tap in one writev. Receive needs a thread of its own,
 * because frames come when the host sends them: it reads a frame, then
 * copies it into the next buffer the driver gave, waiting for one if the
 * driver has none free. The frame goes through our own buffer first: once
 * the driver resets the device it may reuse its buffers, and a frame must
 * never land in memory the driver no longer gave us.
 */
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

#define TYPE_NET 1
#define CLASS_NETWORK_ETHERNET 0x020000
#define F_MAC (1ull << 5)		/* features (5.1.3) */
#define HEADER_BYTES 12
#define NUM_BUFFERS_AT 10		/* le16 num_buffers: always 1 here */
#define ETHERNET_HEADER 14		/* a frame is at least its header */
#define POLL_MS 50			/* how soon the thread sees a stop */
enum { RX = 0, TX = 1 };

/* A transmit chain's frame: its readable buffers after the header. */
static int frame_of(const struct virtq_chain *c, struct iovec *frame) {
	size_t skip = HEADER_BYTES;
	int count = 0;

	for (int i = 0; i < c->readable; i++) {
		size_t len = c->iov[i].iov_len;

		if (skip >= len) {
			skip -= len;
			continue;
		}
		frame[count++] = (struct iovec){ (uint8_t *)c->iov[i].iov_base + skip, len - skip };
		skip = 0;
	}
	return count;
}

/* A frame too short or too long for Ethernet is the guest's mistake, not
 * a broken ring: dropped and counted, as a real card would. */
static void transmit(struct virtio_net *n, const struct virtq_chain *c) {
	struct iovec frame[VIRTQ_MAX];
	int count = frame_of(c, frame);

	if (c->read_bytes < HEADER_BYTES + ETHERNET_HEADER ||
	    c->read_bytes - HEADER_BYTES > VIRTIO_NET_FRAME_MAX || writev(n->tap, frame, count) < 0)
		n->dropped++;
	else
		n->sent++;
}

/* Queue RX: new buffers for the receive thread. Queue TX: frames to send. */
static void notify(struct virtio_dev *v, int q) {
	struct virtio_net *n = v->device;
	struct virtq_chain c;

	if (q == RX) {
		pthread_cond_signal(&n->room);
		return;
	}
	while (virtq_pop(v, &v->vq[TX], &c) == 1) {
		transmit(n, &c);
		virtq_push(&v->vq[TX], &c, 0);
	}
	virtio_interrupt(v, VIRTIO_ISR_QUEUE);
}

/* The next frame from the tap into n->frame: its length, or 0 if none
 * came within POLL_MS. */
static size_t read_frame(struct virtio_net *n) {
	struct pollfd p = { .fd = n->tap, .events = POLLIN };
	ssize_t got;

	if (poll(&p, 1, POLL_MS) != 1)
		return 0;
	got = read(n->tap, n->frame, sizeof(n->frame));
	return got > 0 ? (size_t)got : 0;
}

static void wait_for_room(struct virtio_net *n) {
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += POLL_MS * 1000000L;
	if (until.tv_nsec >= 1000000000L)
		until.tv_sec++, until.tv_nsec -= 1000000000L;
	pthread_cond_timedwait(&n->room, &n->virtio.lock, &until);
}

/* The frame into chain C, after its header; too small a buffer loses it. */
static void fill(struct virtio_net *n, const struct virtq_chain *c, size_t len) {
	struct virtio_dev *v = &n->virtio;
	uint8_t header[HEADER_BYTES] = { [NUM_BUFFERS_AT] = 1 };

	if (c->readable) {
		virtio_needs_reset(v, "a receive buffer the device may only read");
		return;
	}
	if (c->write_bytes < HEADER_BYTES + len) {
		n->dropped++;
		virtq_push(&v->vq[RX], c, 0);
	} else {
		virtq_write(c, 0, header, HEADER_BYTES);
		virtq_write(c, HEADER_BYTES, n->frame, len);
		virtq_push(&v->vq[RX], c, (uint32_t)(HEADER_BYTES + len));
		n->received++;
	}
	virtio_interrupt(v, VIRTIO_ISR_QUEUE);
}

/* The frame into the next receive buffer. A driver that is not running
 * drops it, as a card that is down; a running one with no buffer free
 * makes us wait (the tap queues what comes meanwhile). */
static void deliver(struct virtio_net *n, size_t len) {
	struct virtio_dev *v = &n->virtio;
	struct virtq_chain c;
	int got = 0;

	pthread_mutex_lock(&v->lock);
	while (!atomic_load(&n->stop) && virtio_running(v) &&
	       (got = virtq_pop(v, &v->vq[RX], &c)) == 0)
		wait_for_room(n);
	if (got == 1)
		fill(n, &c, len);
	else
		n->dropped++;
	pthread_mutex_unlock(&v->lock);
}

static void *receiver(void *arg) {
	struct virtio_net *n = arg;
	struct guest_files tap = { .file = { { n->tap, GUEST_FILE_NETWORK } }, .count = 1 };
	size_t len;

	if (n->confine && n->confine(&tap, n->virtio.who))
		return NULL;	/* said why; the guest runs on, receiving nothing */
	while (!atomic_load(&n->stop))
		if ((len = read_frame(n)) > 0)
			deliver(n, len);
	return NULL;
}

static const struct virtio_type net_type = {
	.name = "virtio-net", .id = TYPE_NET, .class_code = CLASS_NETWORK_ETHERNET, .queues = 2,
	.notify = notify,
};

void virtio_net_init(struct virtio_net *n, int tap, confine_fn *confine,
		     struct guest_memory *mem, const char *who) {
	pthread_condattr_t attr;

	n->tap = tap, n->confine = confine, n->started = false, n->sent = n->received = 0;
	n->dropped = 0;
	atomic_init(&n->stop, false);
	/* A locally administered address (bit 1 of the first byte): "mk", 1. */
	memcpy(n->config.mac, (const uint8_t[]){ 0x02, 'm', 'k', 0, 0, 1 }, 6);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->room, &attr);
	pthread_condattr_destroy(&attr);
	virtio_init(&n->virtio, &net_type, n, F_MAC, &n->config, sizeof(n->config), mem, who);
}

int virtio_net_start(struct virtio_net *n) {
	n->started = pthread_create(&n->receiver, NULL, receiver, n) == 0;
	return n->started ? 0 : -1;
}

void virtio_net_stop(struct virtio_net *n) {
	if (!n->virtio.type)
		return;		/* never initialised */
	if (n->started) {
		atomic_store(&n->stop, true);
		pthread_cond_signal(&n->room);
		pthread_join(n->receiver, NULL);
		n->started = false;
	}
	pthread_cond_destroy(&n->room);
}
