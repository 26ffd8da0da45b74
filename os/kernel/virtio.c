/*
 * virtio.c: a virtio-blk driver (OASIS VIRTIO 1.2, 4.1 and 5.2), as the
 * original "Operating System in 1,000 Lines" has one (there on virtio-mmio).
 * The same code drives mini-kvm's device (--disk) and QEMU's
 * (-device virtio-blk-pci):
 *   1. find the device on PCI bus 0 (vendor 0x1AF4, device 0x1042, or the
 *      transitional 0x1001), through configuration mechanism #1;
 *   2. walk its vendor capabilities to find where its register blocks are
 *      (common configuration, notify, ISR, device configuration): a BAR and
 *      an offset each. mini-kvm puts them in an I/O BAR, QEMU in a memory
 *      BAR, which we map uncached;
 *   3. reset, negotiate VERSION_1 only, set up one queue of 8, DRIVER_OK;
 *   4. each sector: a chain of three descriptors (the request header, the
 *      512 bytes, the status byte), its head in the available ring, a
 *      notify; then poll the used ring. One request at a time, so
 *      descriptors 0-2 are always the chain, and no interrupt is needed.
 */
#include "kernel.h"

#define VIRTIO_VENDOR 0x1af4
#define CAP_VENDOR 0x09			/* PCI capability ID */
enum { CAP_COMMON = 1, CAP_NOTIFY = 2, CAP_ISR = 3, CAP_DEVICE = 4 };
enum {	/* struct virtio_pci_common_cfg (4.1.4.3) */
	DFSELECT = 0, DF = 4, GFSELECT = 8, GF = 12, STATUS = 20, Q_SELECT = 22, Q_SIZE = 24,
	Q_ENABLE = 28, Q_NOTIFY_OFF = 30, Q_DESC = 32, Q_DRIVER = 40, Q_DEVICE = 48,
};
enum { ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8 };
#define QSIZE 8
#define F_NEXT 1
#define F_WRITE 2
enum { T_IN = 0, T_OUT = 1 };
#define SPINS 1000000000		/* used-ring polls before we give up (seconds) */

/* A register block: in I/O space or memory, at BASE. */
struct regs {
	bool io;
	uint32_t base;
};

static struct regs common, notify, isr, device;
static uint32_t notify_at;		/* queue 0's notify address, in NOTIFY */
static uint64_t capacity;		/* sectors */
static struct { uint64_t addr; uint32_t len; uint16_t flags, next; } desc[QSIZE]
	__attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSIZE]; } avail __attribute__((aligned(2)));
static volatile struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; } used
	__attribute__((aligned(4)));
static struct { uint32_t type, reserved; uint64_t sector; } header;
static volatile uint8_t status;
static uint16_t answered;		/* requests the device has completed: ours to count */
static bool broken;			/* a request never came back: the disk is off */

static uint32_t rd(const struct regs *r, uint32_t at, int size) {
	uint16_t port = (uint16_t)(r->base + at);
	volatile void *p = (volatile void *)(r->base + at);

	if (size == 1)
		return r->io ? inb(port) : *(volatile uint8_t *)p;
	if (size == 2)
		return r->io ? inw(port) : *(volatile uint16_t *)p;
	return r->io ? inl(port) : *(volatile uint32_t *)p;
}

static void wr(const struct regs *r, uint32_t at, int size, uint32_t v) {
	uint16_t port = (uint16_t)(r->base + at);
	volatile void *p = (volatile void *)(r->base + at);

	if (size == 1)
		r->io ? outb(port, (uint8_t)v) : (void)(*(volatile uint8_t *)p = (uint8_t)v);
	else if (size == 2)
		r->io ? outw(port, (uint16_t)v) : (void)(*(volatile uint16_t *)p = (uint16_t)v);
	else
		r->io ? outl(port, v) : (void)(*(volatile uint32_t *)p = v);
}

static uint32_t pci_read(uint32_t slot, uint32_t reg) {
	outl(0xcf8, 0x80000000u | slot << 11 | (reg & 0xfc));
	return inl(0xcfc) >> 8 * (reg & 3);
}

/* A memory BAR's 4 MB page, mapped 1:1 in the kernel's page directory
 * (the one in CR3 now, before any process copies it), cache disabled:
 * these are registers, not RAM (Intel SDM Vol. 3A, 4.9: PCD). */
static void map_registers(uint32_t phys) {
	uint32_t *dir;

	__asm__ volatile("mov %%cr3, %0" : "=r"(dir));
	dir[phys >> 22] = (phys & ~(PAGE_4MB - 1)) | 0x80 | 0x10 | 0x2 | 0x1;	/* PS PCD RW P */
	__asm__ volatile("mov %0, %%cr3" : : "r"(dir) : "memory");
}

/* Where capability AT of SLOT points: its BAR's base plus its offset. */
static bool locate(uint32_t slot, uint32_t at, struct regs *r) {
	uint32_t bar = pci_read(slot, 0x10 + 4 * (pci_read(slot, at + 4) & 0xff));
	uint32_t offset = pci_read(slot, at + 8);

	r->io = bar & 1;
	r->base = (bar & (r->io ? ~3u : ~15u)) + offset;
	if ((bar & 7) == 4 && pci_read(slot, 0x14 + 4 * (pci_read(slot, at + 4) & 0xff)))
		return false;		/* a 64-bit BAR above 4 GB: out of our reach */
	if (!r->io)
		map_registers(r->base);
	return true;
}

/* The four blocks, from the capability list (4.1.4). */
static bool find_registers(uint32_t slot) {
	bool found[5] = { false };

	for (uint32_t at = pci_read(slot, 0x34) & 0xfc; at; at = pci_read(slot, at + 1) & 0xfc) {
		uint32_t type = pci_read(slot, at + 3) & 0xff;
		struct regs *r = type == CAP_COMMON ? &common : type == CAP_NOTIFY ? &notify
			       : type == CAP_ISR ? &isr : type == CAP_DEVICE ? &device : NULL;

		if ((pci_read(slot, at) & 0xff) != CAP_VENDOR || !r || found[type])
			continue;
		if (!locate(slot, at, r))
			return false;
		if (type == CAP_NOTIFY)
			notify_at = pci_read(slot, at + 16);	/* the multiplier, for now */
		found[type] = true;
	}
	return found[CAP_COMMON] && found[CAP_NOTIFY] && found[CAP_ISR] && found[CAP_DEVICE];
}

/* Reset, features, queue 0, DRIVER_OK (3.1.1). */
static bool start(void) {
	wr(&common, STATUS, 1, 0);
	while (rd(&common, STATUS, 1) != 0)
		;
	wr(&common, STATUS, 1, ACKNOWLEDGE | DRIVER);
	wr(&common, DFSELECT, 4, 1);
	if (!(rd(&common, DF, 4) & 1))		/* VERSION_1: a modern device */
		return false;
	wr(&common, GFSELECT, 4, 0), wr(&common, GF, 4, 0);
	wr(&common, GFSELECT, 4, 1), wr(&common, GF, 4, 1);
	wr(&common, STATUS, 1, ACKNOWLEDGE | DRIVER | FEATURES_OK);
	if (!(rd(&common, STATUS, 1) & FEATURES_OK))
		return false;
	wr(&common, Q_SELECT, 2, 0);
	if (rd(&common, Q_SIZE, 2) < QSIZE)
		return false;
	wr(&common, Q_SIZE, 2, QSIZE);
	wr(&common, Q_DESC, 4, (uint32_t)desc), wr(&common, Q_DESC + 4, 4, 0);
	wr(&common, Q_DRIVER, 4, (uint32_t)&avail), wr(&common, Q_DRIVER + 4, 4, 0);
	wr(&common, Q_DEVICE, 4, (uint32_t)&used), wr(&common, Q_DEVICE + 4, 4, 0);
	notify_at *= rd(&common, Q_NOTIFY_OFF, 2);
	wr(&common, Q_ENABLE, 2, 1);
	wr(&common, STATUS, 1, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
	capacity = rd(&device, 0, 4) | (uint64_t)rd(&device, 4, 4) << 32;
	return true;
}

bool virtio_blk_init(void) {
	for (uint32_t slot = 0; slot < 32; slot++) {
		uint32_t id = pci_read(slot, 0);

		if ((id & 0xffff) != VIRTIO_VENDOR || (id >> 16 != 0x1042 && id >> 16 != 0x1001))
			continue;
		outl(0xcf8, 0x80000000u | slot << 11 | 4);
		outl(0xcfc, (pci_read(slot, 4) & 0xffff) | 0x7);	/* I/O, memory, bus master */
		return find_registers(slot) && start();
	}
	return false;
}

/* One sector: the three-descriptor chain, a notify, the used ring polled.
 * The device may run the queue after the notify has returned (mini-kvm's
 * KVM_IOEVENTFD thread, QEMU's I/O thread), so we wait for our own count
 * of answers. One that never comes: the device is reset, which stops it
 * writing to our buffers (spec 2.4), and the disk is off from then on. */
static int request(uint32_t type, uint32_t sector, void *buf) {
	uint16_t done = (uint16_t)(answered + 1);

	if (broken || sector >= capacity)
		return -1;
	header = (typeof(header)){ .type = type, .sector = sector };
	status = 0xff;
	desc[0] = (typeof(desc[0])){ (uint32_t)&header, sizeof(header), F_NEXT, 1 };
	desc[1] = (typeof(desc[1])){ (uint32_t)buf, 512, F_NEXT | (type == T_IN ? F_WRITE : 0), 2 };
	desc[2] = (typeof(desc[2])){ (uint32_t)&status, 1, F_WRITE, 0 };
	avail.ring[avail.idx % QSIZE] = 0;
	__atomic_store_n(&avail.idx, (uint16_t)(avail.idx + 1), __ATOMIC_RELEASE);
	wr(&notify, notify_at, 2, 0);
	for (int i = 0; i < SPINS && __atomic_load_n(&used.idx, __ATOMIC_ACQUIRE) != done; i++)
		;
	rd(&isr, 0, 1);		/* acknowledge: the interrupt line drops */
	if (used.idx != done) {
		wr(&common, STATUS, 1, 0);
		broken = true;
		return -1;
	}
	answered = done;
	return status == 0 ? 0 : -1;
}

int virtio_blk_read(uint32_t sector, void *buf) {
	return request(T_IN, sector, buf);
}

int virtio_blk_write(uint32_t sector, const void *buf) {
	return request(T_OUT, sector, (void *)buf);
}
