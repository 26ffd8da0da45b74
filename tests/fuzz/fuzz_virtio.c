/* fuzz_virtio: a guest that is all driver -- any bytes as the virtqueues'
 * memory (descriptor tables, rings, buffers), then any sequence of port
 * accesses to the PCI configuration space and the BARs of a virtio-blk, a
 * virtio-balloon and a virtio-net device (status, queue set-up, notify,
 * ISR, their configuration; the net card's tap is a socket pair). ASan watches
 * that nothing is touched outside guest memory; the device may only end
 * in DEVICE_NEEDS_RESET, never a crash. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>
#include <sys/socket.h>

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
	static const uint16_t ports[] = { 0xcf8, 0xcfc, 0xcfd, 0xcfe, BAR, BAR + 0x100,
					  BAR + 0x200 };
	static const uint8_t widths[] = { 1, 2, 4, 4 };
	struct pio_access a = { .size = widths[in[1] & 3], .is_write = in[1] & 0x80 };
	unsigned which = in[0] % 7;

	a.port = (uint16_t)(ports[which] + (which >= 4 ? in[2] : 0));
	memcpy(&a.value, in + 4, 4);
	if (which == 0 && a.is_write)	/* mostly the enabled address of slots 0 to 3 */
		a.value = 0x80000000u | (a.value & 0x18fc);
	pio_dispatch(&g->pio, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static struct board_devices dev;
	static struct pci_bus bus;
	static struct virtio_blk blk;
	static struct virtio_balloon balloon;
	static struct virtio_net net;
	struct guest g;
	int disk = memfd_create("disk", MFD_CLOEXEC), tap[2];

	if (disk < 0 || ftruncate(disk, 16 * VIRTIO_BLK_SECTOR) < 0 ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, tap) < 0)
		abort();
	fake_guest(&g, &dev, MEMORY);
	memcpy(g.mem.host + 0x1000, data, size < MEMORY_BYTES ? size : MEMORY_BYTES);
	if (pci_bus_attach(&bus, &g.pio) < 0)
		abort();
	virtio_blk_init(&blk, 0, disk, 16, false, &g.mem, "fuzz");
	virtio_balloon_init(&balloon, &g.mem, "fuzz");
	virtio_net_init(&net, tap[0], NULL, &g.mem, "fuzz");
	if (virtio_attach(&blk.virtio, &bus, &g.pio, BAR, 10, no_irq, NULL) < 0 ||
	    virtio_attach(&balloon.virtio, &bus, &g.pio, BAR + 0x100, 11, no_irq, NULL) < 0 ||
	    virtio_attach(&net.virtio, &bus, &g.pio, BAR + 0x200, 5, no_irq, NULL) < 0)
		abort();
	for (size_t at = MEMORY_BYTES; at + 8 <= size; at += 8)
		one_access(&g, data + at);
	virtio_stop(&blk.virtio);
	virtio_stop(&balloon.virtio);
	virtio_net_stop(&net);
	virtio_stop(&net.virtio);
	close(disk), close(tap[0]), close(tap[1]);
	fake_guest_free(&g, &dev);
	return 0;
}
