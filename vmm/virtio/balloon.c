/*
 * balloon: a virtio memory balloon (VIRTIO 1.2, 5.5) with free page
 * reporting (5.5.6.7). A guest holds on to every page it ever touched: to
 * the host, a page the guest has freed is as resident as one in use. With
 * VIRTIO_BALLOON_F_REPORTING, the guest's allocator tells us of free
 * blocks (Linux: 2 MB or more, mm/page_reporting.c) in the reporting
 * queue; we give their memory back to the host (MADV_DONTNEED: guest RAM
 * is a private anonymous mapping, so a later touch of it faults in a
 * zeroed page), and return the buffers once that is done, so the guest
 * does not reuse a block while we discard it.
 *
 * The queues: inflate (0) and deflate (1), then the reporting queue (2:
 * queues exist only for the features negotiated, in the order of 5.5.2,
 * and we offer neither the statistics nor the free-page-hint queue). We
 * never ask the guest to inflate (num_pages stays 0), but a driver may
 * inflate on its own: those pages are discarded too.
 */
#include <sys/mman.h>

#include "balloon.h"

#define TYPE_BALLOON 5
#define CLASS_OTHER 0x00ff00		/* as QEMU's virtio-balloon-pci */
#define F_REPORTING (1ull << 5)		/* features (5.5.3) */
#define PAGE 4096ull			/* the balloon's page, whatever the guest's (5.5.6) */
#define PFN_BYTES 4			/* inflate and deflate carry le32 page numbers */
#define PFNS_MAX 256			/* per buffer: Linux's VIRTIO_BALLOON_ARRAY_PFNS_MAX */
enum { INFLATE = 0, DEFLATE = 1, REPORTING = 2 };

void virtio_balloon_discard(void *host, uint64_t len) {
	uintptr_t start = ((uintptr_t)host + PAGE - 1) & ~(PAGE - 1);
	uintptr_t end = ((uintptr_t)host + len) & ~(PAGE - 1);

	if (end > start)
		madvise((void *)start, end - start, MADV_DONTNEED);
}

/* An inflate chain: page numbers, each page given back if it is RAM. A
 * longer list than a driver sends would keep the device (and its lock)
 * busy as long as the guest likes: the driver is broken. */
static void inflate(struct virtio_balloon *b, const struct virtq_chain *c) {
	uint32_t pfn;

	if (c->read_bytes > PFNS_MAX * PFN_BYTES) {
		virtio_needs_reset(&b->virtio, "an inflate list longer than 256 pages");
		return;
	}
	for (size_t at = 0; virtq_read(c, at, &pfn, PFN_BYTES) == PFN_BYTES; at += PFN_BYTES) {
		void *page = guest_ptr(b->virtio.mem, pfn * PAGE, PAGE);

		if (page) {
			virtio_balloon_discard(page, PAGE);
			b->inflated += PAGE;
		}
	}
}

/* A report: each writable buffer is a free block (queue.c checked that
 * it lies in guest RAM). */
static void report(struct virtio_balloon *b, const struct virtq_chain *c) {
	for (int i = c->readable; i < c->readable + c->writable; i++) {
		virtio_balloon_discard(c->iov[i].iov_base, c->iov[i].iov_len);
		b->reported += c->iov[i].iov_len;
	}
}

/* Deflating needs nothing: a page given back comes again on its first touch. */
static void notify(struct virtio_dev *v, int q) {
	struct virtio_balloon *b = v->device;
	struct virtq_chain c;

	while (virtio_running(v) && virtq_pop(v, &v->vq[q], &c) == 1) {
		if (q == INFLATE)
			inflate(b, &c);
		else if (q == REPORTING)
			report(b, &c);
		virtq_push(&v->vq[q], &c, 0);
	}
	virtio_interrupt(v, VIRTIO_ISR_QUEUE);
}

/* The driver may write only "actual"; num_pages is ours, and stays 0. */
static void config_written(struct virtio_dev *v) {
	struct virtio_balloon *b = v->device;

	b->config.num_pages = 0;
}

static const struct virtio_type balloon_type = {
	.name = "virtio-balloon", .id = TYPE_BALLOON, .class_code = CLASS_OTHER, .queues = 3,
	.notify = notify, .config_written = config_written,
};

void virtio_balloon_init(struct virtio_balloon *b, struct guest_memory *mem, const char *who) {
	*b = (struct virtio_balloon){ 0 };
	virtio_init(&b->virtio, &balloon_type, b, F_REPORTING, &b->config, sizeof(b->config), mem,
		    who);
}
