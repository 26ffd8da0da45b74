/*
 * blk: a virtio block device (VIRTIO 1.2, 5.2) on a disk-image file. One
 * request queue; each request is a chain: a header the device reads (type,
 * sector), data, and a status byte the device writes last. Read, write,
 * flush (fsync) and get-id; a read-only disk answers writes with an I/O
 * error. Requests run in the vCPU thread that notified us, at once.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "virtio.h"
#include "blk.h"

#define TYPE_BLOCK 2
#define CLASS_STORAGE_OTHER 0x018000
#define F_SEG_MAX (1ull << 2)		/* features (5.2.3) */
#define F_RO (1ull << 5)
#define F_FLUSH (1ull << 9)
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };	/* request types (5.2.6) */
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
#define ID_BYTES 20
#define HEADER_BYTES 16			/* le32 type, le32 reserved, le64 sector */

/* SIZE bytes at byte OFFSET of the disk, straight between the file and the
 * chain's buffers from stream position AT on, in one preadv or pwritev:
 * the readable ones written to the disk (OUT), or the writable ones read
 * into. 0, or -1 if the file said no (a short count: it shrank under us). */
static int transfer(struct virtio_blk *b, const struct virtq_chain *c, bool out, size_t at,
		    uint64_t offset, uint64_t size) {
	int first = out ? 0 : c->readable, end = out ? c->readable : c->readable + c->writable;
	struct iovec data[VIRTQ_MAX];
	int count = 0;
	uint64_t left = size;

	for (int i = first; i < end && left > 0; i++) {
		size_t seg = c->iov[i].iov_len;

		if (at >= seg) {
			at -= seg;
			continue;
		}
		data[count].iov_base = (uint8_t *)c->iov[i].iov_base + at;
		data[count].iov_len = seg - at < left ? seg - at : (size_t)left;
		left -= data[count++].iov_len, at = 0;
	}
	if (left)
		return -1;
	return (out ? pwritev(b->fd, data, count, (off_t)offset)
		    : preadv(b->fd, data, count, (off_t)offset)) == (ssize_t)size ? 0 : -1;
}

/* One request; its status, and the bytes written into the chain in *DATA. */
static uint8_t request(struct virtio_blk *b, const struct virtq_chain *c, uint32_t *data) {
	uint8_t h[HEADER_BYTES];
	uint32_t type;
	uint64_t sector, bytes;
	char id[ID_BYTES] = { 0 };

	if (virtq_read(c, 0, h, sizeof(h)) != sizeof(h))
		return S_IOERR;
	memcpy(&type, h, 4), memcpy(&sector, h + 8, 8);
	switch (type) {
	case T_IN:
	case T_OUT:
		bytes = type == T_IN ? c->write_bytes - 1 : c->read_bytes - HEADER_BYTES;
		if (bytes % VIRTIO_BLK_SECTOR || sector > b->sectors ||
		    bytes / VIRTIO_BLK_SECTOR > b->sectors - sector || (type == T_OUT && b->readonly))
			return S_IOERR;
		if (transfer(b, c, type == T_OUT, type == T_IN ? 0 : HEADER_BYTES,
			     sector * VIRTIO_BLK_SECTOR, bytes) < 0)
			return S_IOERR;
		*data = type == T_IN ? (uint32_t)bytes : 0;
		return S_OK;
	case T_FLUSH:
		return fsync(b->fd) == 0 ? S_OK : S_IOERR;
	case T_GET_ID:
		snprintf(id, sizeof(id), "mini-kvm-vd%c", 'a' + b->index);
		*data = (uint32_t)virtq_write(c, 0, id, c->write_bytes - 1 < ID_BYTES ?
							 c->write_bytes - 1 : ID_BYTES);
		return S_OK;
	default:
		return S_UNSUPP;
	}
}

/* Every chain the driver made available: the status byte last. A chain
 * with no room for it cannot be answered: the driver broke the protocol. */
static void notify(struct virtio_dev *v, int q) {
	struct virtio_blk *b = v->device;
	struct virtq_chain c;
	int got;

	while ((got = virtq_pop(v, &v->vq[q], &c)) == 1) {
		uint32_t data = 0;
		uint8_t status;

		if (c.write_bytes == 0) {
			virtio_needs_reset(v, "a request without a writable status byte");
			return;
		}
		status = request(b, &c, &data);
		virtq_write(&c, c.write_bytes - 1, &status, 1);
		virtq_push(&v->vq[q], &c, data + 1);
		b->requests++;
	}
	virtio_interrupt(v, VIRTIO_ISR_QUEUE);
}

static const struct virtio_type blk_type = {
	.name = "virtio-blk", .id = TYPE_BLOCK, .class_code = CLASS_STORAGE_OTHER, .queues = 1,
	.notify = notify,
};

void virtio_blk_init(struct virtio_blk *b, int index, int fd, uint64_t sectors, bool readonly,
		     struct guest_memory *mem, const char *who) {
	*b = (struct virtio_blk){ .index = index, .fd = fd, .sectors = sectors,
				  .readonly = readonly };
	/* As many data buffers as a chain can hold besides its header and
	 * status: without F_SEG_MAX, Linux sends one page per request. */
	b->config.capacity = sectors, b->config.seg_max = VIRTQ_MAX - 2;
	virtio_init(&b->virtio, &blk_type, b,
		    F_FLUSH | F_SEG_MAX | (readonly ? F_RO : 0), &b->config,
		    sizeof(b->config), mem, who);
}
