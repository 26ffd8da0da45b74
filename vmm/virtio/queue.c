/*
 * queue: split virtqueues (VIRTIO 1.2, 2.7). The driver puts chains of
 * descriptors in a table, their heads in the available ring, and moves its
 * index; the device takes them, uses them, and puts their heads in the used
 * ring. Everything here comes from guest memory, which the guest can change
 * at any time: each descriptor is copied before it is checked, each index
 * is checked against the queue size, each buffer goes through guest_ptr(),
 * and a chain longer than the queue is a loop. Any fault: DEVICE_NEEDS_RESET.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "virtio.h"

/* The driver's data is bad: the device needs a reset (transport.c). */
static int __attribute__((format(printf, 2, 3))) bad(struct virtio_dev *v, const char *fmt, ...) {
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	virtio_needs_reset(v, why);
	return -1;
}

/* One descriptor into C, checked. */
static int take(struct virtio_dev *v, const struct virtq_desc *d, unsigned i,
		struct virtq_chain *c) {
	int n = c->readable + c->writable;
	void *p = guest_ptr(v->mem, d->addr, d->len);

	if (d->flags & VIRTQ_DESC_F_INDIRECT)
		return bad(v, "descriptor %u is indirect, a feature not offered", i);
	if (!p)
		return bad(v, "descriptor %u: %u bytes at 0x%llx, outside guest memory", i, d->len,
			   (unsigned long long)d->addr);
	if (!(d->flags & VIRTQ_DESC_F_WRITE) && c->writable)
		return bad(v, "descriptor %u: readable after writable ones", i);
	c->iov[n] = (struct iovec){ .iov_base = p, .iov_len = d->len };
	if (d->flags & VIRTQ_DESC_F_WRITE)
		c->writable++, c->write_bytes += d->len;
	else
		c->readable++, c->read_bytes += d->len;
	return 0;
}

/* The chain that starts at HEAD: at most the queue's size of descriptors,
 * every NEXT inside the table. */
static int walk(struct virtio_dev *v, struct virtq *q, uint16_t head, struct virtq_chain *c) {
	uint16_t i = head;

	*c = (struct virtq_chain){ .head = head };
	for (unsigned n = 0;; n++) {
		struct virtq_desc d;

		if (n == q->size)
			return bad(v, "the chain at %u is longer than the queue (%u): a loop",
				   head, q->size);
		memcpy(&d, (const void *)&q->desc[i], sizeof(d));	/* once: it may change */
		if (take(v, &d, i, c) < 0)
			return -1;
		if (!(d.flags & VIRTQ_DESC_F_NEXT))
			return 0;
		if (d.next >= q->size)
			return bad(v, "descriptor %u: next %u is past the table", i, d.next);
		i = d.next;
	}
}

int virtq_pop(struct virtio_dev *v, struct virtq *q, struct virtq_chain *c) {
	uint16_t idx, waiting, head;

	if (!q->enabled)
		return 0;
	idx = __atomic_load_n(&q->avail->idx, __ATOMIC_ACQUIRE);	/* then the ring */
	waiting = (uint16_t)(idx - q->last_avail);
	if (waiting == 0)
		return 0;
	if (waiting > q->size)
		return bad(v, "the available index moved %u entries, the queue has %u",
			   waiting, q->size);
	head = __atomic_load_n(&q->avail->ring[q->last_avail % q->size], __ATOMIC_RELAXED);
	if (head >= q->size)
		return bad(v, "available head %u is past the table (%u)", head, q->size);
	if (walk(v, q, head, c) < 0)
		return -1;
	q->last_avail++;
	return 1;
}

/* The element first, then the index the driver reads (release: spec 2.7.8). */
void virtq_push(struct virtq *q, const struct virtq_chain *c, uint32_t written) {
	struct virtq_used_elem e = { .id = c->head, .len = written };

	memcpy((void *)&q->used->ring[q->used_idx % q->size], &e, sizeof(e));
	q->used_idx++;
	__atomic_store_n(&q->used->idx, q->used_idx, __ATOMIC_RELEASE);
}

/* Between the chain's readable (WRITE false) or writable buffers, seen as
 * one stream from byte AT, and BUF: the bytes copied. */
static size_t copy(const struct virtq_chain *c, bool write, size_t at, void *buf, size_t len) {
	int first = write ? c->readable : 0, end = write ? c->readable + c->writable : c->readable;
	size_t done = 0;

	for (int i = first; i < end && done < len; i++) {
		size_t seg = c->iov[i].iov_len, n;

		if (at >= seg) {
			at -= seg;
			continue;
		}
		n = seg - at < len - done ? seg - at : len - done;
		if (write)
			memcpy((uint8_t *)c->iov[i].iov_base + at, (uint8_t *)buf + done, n);
		else
			memcpy((uint8_t *)buf + done, (uint8_t *)c->iov[i].iov_base + at, n);
		done += n, at = 0;
	}
	return done;
}

size_t virtq_read(const struct virtq_chain *c, size_t at, void *dst, size_t len) {
	return copy(c, false, at, dst, len);
}

size_t virtq_write(const struct virtq_chain *c, size_t at, const void *src, size_t len) {
	return copy(c, true, at, (void *)src, len);
}
