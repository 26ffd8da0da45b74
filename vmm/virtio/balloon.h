/* balloon.h: a virtio memory balloon (balloon.c) that takes back the pages
 * a guest reports free. */
#ifndef VIRTIO_BALLOON_H
#define VIRTIO_BALLOON_H

#include "virtio.h"

struct virtio_balloon {
	struct virtio_dev virtio;
	uint64_t reported, inflated;	/* bytes given back to the host (--stats) */
	struct {			/* struct virtio_balloon_config (5.5.4) */
		uint32_t num_pages;	/* the device's: how many pages it asks for */
		uint32_t actual;	/* the driver's: how many it gave */
	} __attribute__((packed)) config;
};
void virtio_balloon_init(struct virtio_balloon *b, struct guest_memory *mem, const char *who);
/* Give guest RAM [HOST, HOST + LEN) back to the host: a later touch reads
 * zeroes. Only the whole pages inside are given back. */
void virtio_balloon_discard(void *host, uint64_t len);

#endif
