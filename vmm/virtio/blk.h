/* blk.h: a virtio block device (blk.c) on a disk-image file. */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio.h"

#define VIRTIO_BLK_SECTOR 512

struct virtio_blk {
	struct virtio_dev virtio;
	int index;			/* 0: vda, 1: vdb, ... (its get-id) */
	int fd;
	uint64_t sectors;
	bool readonly;
	uint64_t requests;		/* answered (--stats) */
	struct {			/* struct virtio_blk_config (5.2.4), its start */
		uint64_t capacity;	/* in 512-byte sectors */
		uint32_t size_max;	/* (not offered: no F_SIZE_MAX) */
		uint32_t seg_max;	/* data buffers in one request (F_SEG_MAX) */
	} __attribute__((packed)) config;
};
void virtio_blk_init(struct virtio_blk *b, int index, int fd, uint64_t sectors, bool readonly,
		     struct guest_memory *mem, const char *who);

#endif
