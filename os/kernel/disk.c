/*
 * disk.c: 512-byte sectors, three ways, the first that finds a disk:
 *   - a virtio-blk device on the PCI bus (virtio.c): mini-kvm's --disk and
 *     QEMU's -device virtio-blk-pci, one driver for both;
 *   - on mini-kvm without one: HC_DISK_READ/WRITE, one exit per sector;
 *   - elsewhere: the primary IDE disk in ATA PIO mode -- program the
 *     task-file registers, then move 256 words through the data port
 *     (ATA/ATAPI-6, 9.* READ/WRITE SECTORS).
 */
#include <mini-kvm/hypercall.h>

#include "kernel.h"

#define ATA_DATA 0x1f0
#define ATA_COUNT 0x1f2
#define ATA_LBA0 0x1f3
#define ATA_LBA1 0x1f4
#define ATA_LBA2 0x1f5
#define ATA_DRIVE 0x1f6
#define ATA_STATUS 0x1f7	/* read: status; write: command */
#define ATA_LBA_MASTER 0xe0
#define ATA_BSY 0x80
#define ATA_FAULT 0x20
#define ATA_DRQ 0x08
#define ATA_ERR 0x01
#define ATA_READ 0x20
#define ATA_WRITE 0x30
#define ATA_FLUSH 0xe7
#define ATA_IDENTIFY 0xec
#define ATA_SPINS 1000000	/* status polls before we give up on the disk */

static enum { NONE, VIRTIO, HYPERCALL, ATA } disk;

/* Wait for the drive to be idle and, if WANT_DATA, to have data ready. */
static int ata_wait(bool want_data) {
	for (int i = 0; i < ATA_SPINS; i++) {
		uint8_t s = inb(ATA_STATUS);

		if (s == 0xff)		/* a floating bus: no controller */
			return -1;
		if (s & ATA_BSY)
			continue;
		if (s & (ATA_ERR | ATA_FAULT))
			return -1;
		if (!want_data || (s & ATA_DRQ))
			return 0;
	}
	return -1;
}

static int ata_command(uint32_t lba, uint8_t command) {
	if (ata_wait(false) < 0)
		return -1;
	outb(ATA_DRIVE, (uint8_t)(ATA_LBA_MASTER | (lba >> 24 & 0x0f)));
	outb(ATA_COUNT, 1);
	outb(ATA_LBA0, (uint8_t)lba), outb(ATA_LBA1, (uint8_t)(lba >> 8));
	outb(ATA_LBA2, (uint8_t)(lba >> 16));
	outb(ATA_STATUS, command);
	return ata_wait(true);
}

bool disk_init(void) {
	uint16_t identify[256];

	if (virtio_blk_init()) {
		disk = VIRTIO;
		return true;
	}
	if (console_on_mini_kvm()) {	/* a probe read: HC_ERR_NODEV without --disk */
		disk = hypercall(HC_DISK_READ, (uint32_t)identify, 0) == 1 ? HYPERCALL : NONE;
		return disk != NONE;
	}
	outb(ATA_DRIVE, ATA_LBA_MASTER);
	outb(ATA_STATUS, ATA_IDENTIFY);
	if (inb(ATA_STATUS) == 0 || ata_wait(true) < 0)	/* 0: no drive there */
		return false;
	__asm__ volatile("rep insw" : : "D"(identify), "c"(256), "d"(ATA_DATA) : "memory");
	disk = ATA;
	return true;
}

int disk_read(uint32_t sector, void *buf) {
	if (disk == NONE)
		return -1;
	if (disk == VIRTIO)
		return virtio_blk_read(sector, buf);
	if (disk == HYPERCALL)
		return hypercall(HC_DISK_READ, (uint32_t)buf, sector) == 1 ? 0 : -1;
	if (ata_command(sector, ATA_READ) < 0)
		return -1;
	__asm__ volatile("rep insw" : : "D"(buf), "c"(256), "d"(ATA_DATA) : "memory");
	return 0;
}

int disk_write(uint32_t sector, const void *buf) {
	if (disk == NONE)
		return -1;
	if (disk == VIRTIO)
		return virtio_blk_write(sector, buf);
	if (disk == HYPERCALL)
		return hypercall(HC_DISK_WRITE, (uint32_t)buf, sector) == 1 ? 0 : -1;
	if (ata_command(sector, ATA_WRITE) < 0)
		return -1;
	__asm__ volatile("rep outsw" : : "S"(buf), "c"(256), "d"(ATA_DATA) : "memory");
	if (ata_wait(false) < 0)
		return -1;
	outb(ATA_STATUS, ATA_FLUSH);	/* out of the drive's cache, onto the disk */
	return ata_wait(false);
}
