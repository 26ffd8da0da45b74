/*
 * board.h: the machines. A board (core/guest.h: struct board) assembles
 * the machine for one kind of guest: the core's or a layer's way to boot
 * it, the CPU it reports, and its devices. seed.c: the seed's real-mode
 * and protected-mode guests; long.c: 64-bit guests; linux.c: a Linux
 * kernel on the PC it expects. devices.c: the devices they share.
 */
#ifndef BOARDS_BOARD_H
#define BOARDS_BOARD_H

#include <stdbool.h>

#include "core/guest.h"
#include "devices/devices.h"
#include "pci/pci.h"
#include "virtio/balloon.h"
#include "virtio/blk.h"
#include "virtio/kick.h"
#include "virtio/net.h"

#define BOARD_DISKS_MAX 8
#define BOARD_VIRTIO_MAX 8		/* PCI devices: each its own IRQ line */

/* The command line's part for the boards, per guest (g->board_config). */
struct board_config {
	struct board_disk {		/* --disk FILE[,readonly]: the first guest's only */
		const char *path;
		bool readonly;
	} disks[BOARD_DISKS_MAX];
	int disk_count;
	const char *tap;		/* --net tap=IFNAME: the first guest's; NULL none */
	bool balloon;			/* --balloon: free page reporting */
	const char *initrd, *append;	/* a Linux kernel's */
	int cpus;			/* --cpus: a Linux kernel's vCPUs; 0: one */
};

/* In the order the program tries them: the first that claims an image
 * runs it, and the real-mode board claims whatever is not ELF. */
extern const struct board board_linux, board_long, board_protected, board_real;

/* devices.c: the devices a board may give its guest (g->board_state). */
struct board_devices {
	struct uart uart;
	struct coalesced_port uart_queue;	/* a busy UART's writes, without exits */
	struct kbd kbd;
	struct disk disk[BOARD_DISKS_MAX];	/* the first also for HC_DISK_* */
	struct rtc rtc;
	struct pc_reset reset;
	struct pci_bus pci;			/* pci.c: its virtio devices */
	struct virtio_blk blk[BOARD_DISKS_MAX];
	int tap;				/* --net's tap: 0 none (fd 0 is stdin) */
	struct virtio_net net;
	struct virtio_balloon balloon;
	int virtio_count;
	struct board_line {			/* the INTx line of each */
		struct guest *g;
		uint8_t irq;
	} line[BOARD_VIRTIO_MAX];
	struct virtio_kick kick[BOARD_VIRTIO_MAX];	/* and its notifications */
	struct board_vcpu {			/* smp.c: each vCPU after the first */
		struct guest *g;
		struct vcpu *vcpu;
		pthread_t thread;
	} vcpu_thread[VM_VCPUS_MAX];
	int vcpu_threads;
};
/* smp.c: the machine's vCPUs (--cpus), then a thread for each after the
 * first, and their end: the first step of board_stop. */
int board_create_vcpus(struct guest *g);
int board_start_vcpus(struct guest *g);
void board_stop_vcpus(struct guest *g);

/* First in every board's boot: the state made safe to stop, the options
 * checked against the image (only a Linux kernel takes --initrd and
 * --append: KERNEL), the disks opened (more than one only where VIRTIO:
 * the others have only HC_DISK_*, for the first). */
int board_start(struct guest *g, const struct image *img, bool kernel, bool virtio);
/* The UART at COM1: with INTERRUPTS on IRQ 4 (the VM has an irqchip),
 * else polled, its transmit writes queued once it is busy. */
int board_attach_uart(struct guest *g, bool interrupts);
/* The keyboard at 0x60/0x64, on IRQ1 if the VM has an irqchip. */
int board_attach_keyboard(struct guest *g);
/* A claim on the port bus, said if it fails (a board's bug). */
int board_claim(struct guest *g, int claimed, const char *what);
confine_fn *board_confine(const struct guest *g);	/* a device thread's filter */
void board_stop(struct guest *g);	/* every board's struct board.stop */

/* Each board's devices, once its VM and vCPU exist: for its boot, and for
 * rebuild.c's. */
int board_real_devices(struct guest *g);	/* seed.c */
int board_protected_devices(struct guest *g);
int board_long_devices(struct guest *g);	/* long.c */
int board_linux_devices(struct guest *g);	/* linux.c */
/* rebuild.c: the machine of the board named BOARD -- VM, irqchip if
 * IRQCHIP, vCPU, devices -- on memory already in g->mem, with neither an
 * image loaded nor a CPU state set: a saved guest's (vmm/snapshot). */
int board_rebuild(struct guest *g, const struct image *img, const char *board, bool irqchip);

/* pci.c: a PCI bus, and on it a virtio-blk device for each --disk, a
 * virtio-net device for --net and a virtio-balloon for --balloon (none: no
 * bus, unless ALWAYS: a Linux kernel looks for one). */
int board_attach_pci(struct guest *g, bool always);

#endif
