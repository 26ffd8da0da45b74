/*
 * pm-virtio-hostile: a protected-mode guest that drives mini-kvm's
 * virtio-blk device (--disk) as a broken or malicious driver would. For
 * each attack it brings the device up, writes the bad ring, notifies, and
 * reports whether the device now says DEVICE_NEEDS_RESET; then it resets
 * the device and makes one good request (sector 0), to show the device
 * still works. mini-kvm must survive all of it and name each fault on
 * stderr (tests/integration/protected.bats). Register offsets are those of
 * mini-kvm's BAR (docs/virtio.md): common configuration at 0, notify at
 * 0x40, the PCI capabilities are not walked.
 */
#include "guest.h"

#define QSIZE 8
#define F_NEXT 1
#define F_WRITE 2
#define STATUS 20
#define NEEDS_RESET 0x40

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags, next;
};

static struct desc table[QSIZE] __attribute__((aligned(4096)));
static struct { uint16_t flags, idx, ring[QSIZE]; } avail __attribute__((aligned(4096)));
static struct { uint16_t flags, idx; uint32_t ring[2 * QSIZE]; } used __attribute__((aligned(4096)));
static uint8_t header[16], data[512], status;
static uint16_t bar;

static inline void outw(uint16_t port, uint16_t v) {
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(uint16_t port, uint32_t v) {
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port) {
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static uint32_t pci_read(uint32_t slot, uint32_t reg) {
	outl(0xcf8, 0x80000000u | slot << 11 | reg);
	return inl(0xcfc);
}

/* Up, with queue 0 at the arrays above, or at DESC_AT if not 0. */
static void device_up(uint32_t desc_at) {
	outb(bar + STATUS, 0);
	outb(bar + STATUS, 3);				/* ACKNOWLEDGE, DRIVER */
	outl(bar + 8, 1), outl(bar + 12, 1);		/* VERSION_1 */
	outb(bar + STATUS, 0x0b);			/* FEATURES_OK */
	outw(bar + 22, 0), outw(bar + 24, QSIZE);
	outl(bar + 32, desc_at ? desc_at : (uint32_t)(uintptr_t)table), outl(bar + 36, 0);
	outl(bar + 40, (uint32_t)(uintptr_t)&avail), outl(bar + 44, 0);
	outl(bar + 48, (uint32_t)(uintptr_t)&used), outl(bar + 52, 0);
	outw(bar + 28, 1);				/* enable */
	outb(bar + STATUS, 0x0f);			/* DRIVER_OK */
	avail.idx = 0;
}

static void set(unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next) {
	table[i] = (struct desc){ addr, len, flags, next };
}

/* A read of sector 0: header, data, status. */
static void good_chain(void) {
	for (unsigned i = 0; i < sizeof(header); i++)
		header[i] = 0;
	set(0, (uint32_t)(uintptr_t)header, 16, F_NEXT, 1);
	set(1, (uint32_t)(uintptr_t)data, 512, F_NEXT | F_WRITE, 2);
	set(2, (uint32_t)(uintptr_t)&status, 1, F_WRITE, 0);
}

static void submit(uint16_t head, uint16_t new_idx) {
	avail.ring[0] = head;
	__atomic_store_n(&avail.idx, new_idx, __ATOMIC_RELEASE);
	outw(bar + 0x40, 0);
}

/* The device may run the queue in a thread of its own (KVM_IOEVENTFD), after
 * the notify has returned: wait for its verdict, a while. */
#define SPINS 100000000

static void report(const char *what) {
	int i = 0;

	while (!(inb(bar + STATUS) & NEEDS_RESET) && i < SPINS / 1000)
		i++;
	puts32(what);
	puts32(inb(bar + STATUS) & NEEDS_RESET ? ": needs reset\n" : ": NOT REFUSED\n");
}

int main(void) {
	uint32_t id = pci_read(1, 0);

	if (id != 0x10421af4u) {
		puts32("no virtio-blk in slot 1\n");
		return 1;
	}
	outl(0xcf8, 0x80000000u | 1 << 11 | 4), outl(0xcfc, 1);	/* I/O decoding on */
	bar = (uint16_t)(pci_read(1, 0x10) & ~3u);
	device_up(0), good_chain(), set(1, 0xfffff000u, 4096, F_NEXT | F_WRITE, 2);
	submit(0, 1), report("a buffer past RAM");
	device_up(0), good_chain(), set(1, 0x1000, 0x10000000u, F_NEXT | F_WRITE, 2);
	submit(0, 1), report("a length past RAM");
	device_up(0), good_chain(), set(1, (uint32_t)(uintptr_t)data, 512, F_NEXT | F_WRITE, 1);
	submit(0, 1), report("a loop");
	device_up(0), good_chain(), set(2, (uint32_t)(uintptr_t)&status, 1, F_WRITE | F_NEXT, 9);
	submit(0, 1), report("a next past the table");
	device_up(0), good_chain(), submit(200, 1), report("a head past the table");
	device_up(0), good_chain(), submit(0, 100), report("an index that jumps");
	device_up(0xfffff000u), report("a queue outside RAM");
	device_up(0), good_chain(), status = 0xee, submit(0, 1);
	for (int i = 0; i < SPINS && __atomic_load_n(&used.idx, __ATOMIC_ACQUIRE) != 1; i++)
		;
	puts32(status == 0 && used.idx == 1 ? "after a reset, a good request: ok\n"
					     : "after a reset, a good request: FAILED\n");
	return 0;
}
