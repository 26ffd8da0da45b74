/* net.h: a virtio network card (net.c) on a host tap device. */
#ifndef VIRTIO_NET_H
#define VIRTIO_NET_H

#include <stdatomic.h>

#include "devices/devices.h"
#include "virtio.h"

#define VIRTIO_NET_FRAME_MAX 65536	/* the largest frame a tap passes, and more */

struct virtio_net {
	struct virtio_dev virtio;
	int tap;			/* devices/tap.c; not ours to close */
	confine_fn *confine;		/* the receive thread's filter */
	pthread_t receiver;		/* tap -> the receive queue */
	bool started;
	atomic_bool stop;
	pthread_cond_t room;		/* the driver gave receive buffers */
	uint8_t frame[VIRTIO_NET_FRAME_MAX];	/* the one the thread received */
	uint64_t sent, received, dropped;	/* frames (--stats) */
	struct {			/* struct virtio_net_config (5.1.4), its start */
		uint8_t mac[6];
	} __attribute__((packed)) config;
};
void virtio_net_init(struct virtio_net *n, int tap, confine_fn *confine,
		     struct guest_memory *mem, const char *who);
/* The receive thread, once the device is on the bus: 0 or -1. */
int virtio_net_start(struct virtio_net *n);
void virtio_net_stop(struct virtio_net *n);	/* before virtio_stop */

#endif
