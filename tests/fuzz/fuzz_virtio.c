/* fuzz_virtio: a guest that is all driver -- any bytes as the virtqueue's
 * memory (descriptor table, rings, buffers), then any sequence of port
 * accesses to the PCI configuration space and the virtio-blk device's BAR
 * (status, queue set-up, notify, ISR, its configuration). ASan watches
 * that nothing is touched outside guest memory; the device may only end
 * in DEVICE_NEEDS_RESET, never a crash. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>

#include "fuzz.h"

#define MEMORY (64u << 10)
#define BAR 0xc000
#define MEMORY_BYTES 0x4000	/* the input's first bytes: guest memory from 0x1000 */

static int no_irq(void *arg, bool level) {
	(void)arg, (void)level;
	return 0;
}

/* Each access: 4 bytes of port and width, 4 of value. */
static void one_access(struct guest *g, const uint8_t *in) {
	static const uint16_t ports[] = { 0xcf8, 0xcfc, 0xcfd, 0xcfe, BAR };
	static const uint8_t widths[] = { 1, 2, 4, 4 };
	struct pio_access a = { .size = widths[in[1] & 3], .is_write = in[1] & 0x80 };
	unsigned which = in[0] % 5;

	a.port = (uint16_t)(ports[which] + (which == 4 ? in[2] : 0));
	memcpy(&a.value, in + 4, 4);
	if (which == 0 && a.is_write)	/* mostly the enabled address of slot 0 or 1 */
		a.value = 0x80000000u | (a.value & 0x8fc);
	pio_dispatch(&g->pio, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static struct board_devices dev;
	static struct pci_bus bus;
	static struct virtio_blk blk;
	struct guest g;
	int disk = memfd_create("disk", MFD_CLOEXEC);

	if (disk < 0 || ftruncate(disk, 16 * VIRTIO_BLK_SECTOR) < 0)
		abort();
	fake_guest(&g, &dev, MEMORY);
	memcpy(g.mem.host + 0x1000, data, size < MEMORY_BYTES ? size : MEMORY_BYTES);
	if (pci_bus_attach(&bus, &g.pio) < 0)
		abort();
	virtio_blk_init(&blk, 0, disk, 16, false, &g.mem, "fuzz");
	if (virtio_attach(&blk.virtio, &bus, &g.pio, BAR, 10, no_irq, NULL) < 0)
		abort();
	for (size_t at = MEMORY_BYTES; at + 8 <= size; at += 8)
		one_access(&g, data + at);
	virtio_stop(&blk.virtio);
	close(disk);
	fake_guest_free(&g, &dev);
	return 0;
}
