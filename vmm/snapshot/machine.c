/*
 * machine: the part of a snapshot that is ours, not KVM's -- what machine
 * it was (its board, its disks) and the state of each device on it: the
 * UART, the keyboard, the CMOS clock, the PCI bus and its virtio-blk
 * devices. A device that cannot be saved is refused before the run
 * (program/options.c), so every device found here can be.
 */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/log.h"
#include "snapshot.h"

/* The UART's registers as the guest set them. */
struct uart_saved {
	uint8_t regs[UART_PORT_COUNT], dll, dlm;
	uint8_t lsr_polled, irq_level, thre_pending, rx_seen;
};

/* A disk as it is now: a restore refuses a file that has changed since. */
static int describe_disk(struct snapshot_disk *out, const struct board_disk *disk, int fd,
			 const char *who) {
	struct stat st;

	if (strlen(disk->path) >= sizeof(out->path) || disk->path[0] != '/') {
		log_error(who, "snapshot: the disk path '%s' is not absolute or too long", disk->path);
		return EX_SOFTWARE;
	}
	if (fstat(fd, &st) < 0) {
		log_error(who, "snapshot: cannot read the disk's size and time");
		return EX_OSERR;
	}
	*out = (struct snapshot_disk){ .size = (uint64_t)st.st_size, .inode = st.st_ino,
				       .mtime_sec = st.st_mtim.tv_sec,
				       .mtime_nsec = st.st_mtim.tv_nsec, .readonly = disk->readonly };
	memcpy(out->path, disk->path, strlen(disk->path) + 1);
	return 0;
}

/* The board G was built by; a restored guest's, the one it was saved on. */
static const char *board_name(const struct guest *g) {
	if (g->board != &board_snapshot)
		return g->board->name;
	return ((const struct restored *)g->board_state)->machine.board;
}

static int save_record(struct snapshot *s, struct guest *g) {
	const struct board_config *c = g->board_config;
	struct board_devices *d = g->board_state;
	struct snapshot_machine m = { .cpu_mode = g->cpu, .irqchip = g->vm.irqchip, .vcpus = 1,
				      .disk_count = (uint32_t)c->disk_count };
	int rc = 0;

	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	m.clock_ns = (uint64_t)(now.tv_sec - g->hc.start.tv_sec) * 1000000000u +
		     (uint64_t)now.tv_nsec - (uint64_t)g->hc.start.tv_nsec;
	snprintf(m.board, sizeof(m.board), "%s", board_name(g));
	for (int i = 0; !rc && i < c->disk_count; i++)
		rc = describe_disk(&m.disks[i], &c->disks[i], d->disk[i].fd, g->name);
	return rc ?: snapshot_add(s, SNAP_MACHINE, 0, &m, sizeof(m)) < 0 ? EX_OSERR : 0;
}

static int save_uart(struct snapshot *s, struct uart *u) {
	struct uart_saved saved;

	pthread_mutex_lock(&u->lock);	/* (its input thread sets rx_seen) */
	saved = (struct uart_saved){ .dll = u->dll, .dlm = u->dlm, .lsr_polled = u->lsr_polled,
				     .irq_level = u->irq_level, .thre_pending = u->thre_pending,
				     .rx_seen = u->rx_seen };
	memcpy(saved.regs, u->regs, sizeof(saved.regs));
	pthread_mutex_unlock(&u->lock);
	return snapshot_add(s, SNAP_UART, 0, &saved, sizeof(saved));
}

/* The PCI bus: its address register and host bridge, and each disk's
 * virtio-blk device. */
static int save_pci(struct snapshot *s, struct board_devices *d) {
	struct pci_device *h = &d->pci.host_bridge;
	int rc = snapshot_add(s, SNAP_PCI_BUS, 0, &d->pci.address, sizeof(d->pci.address)) ?:
		 snapshot_add(s, SNAP_PCI_BUS, 1, h->config, sizeof(h->config));

	for (int i = 0; !rc && i < BOARD_DISKS_MAX; i++) {
		struct virtio_saved saved;

		if (!d->blk[i].virtio.type)
			continue;
		virtio_save(&d->blk[i].virtio, &saved);
		rc = snapshot_add(s, SNAP_VIRTIO_BLK, (uint32_t)i, &saved, sizeof(saved));
	}
	return rc;
}

/* The virtio devices' locks, held from before their state is read until
 * guest memory is written: a kick thread (virtio/kick.c) takes requests
 * under its device's lock, and one taken in between would leave the disk,
 * the rings in memory and the saved indexes disagreeing. */
void snapshot_hold_devices(struct guest *g, bool hold) {
	struct board_devices *d = g->board_state;

	for (int i = 0; i < BOARD_DISKS_MAX; i++) {
		if (!d->blk[i].virtio.type)
			continue;
		if (hold)
			pthread_mutex_lock(&d->blk[i].virtio.lock);
		else
			pthread_mutex_unlock(&d->blk[i].virtio.lock);
	}
}

int snapshot_save_machine(struct snapshot *s, struct guest *g) {
	struct board_devices *d = g->board_state;
	uint8_t kbd_line = d->kbd.line_high;
	int rc;

	if (d->net.virtio.type || d->balloon.virtio.type) {
		log_error(g->name, "snapshot: a virtio-net or virtio-balloon device cannot be saved");
		return EX_SOFTWARE;
	}
	if ((rc = save_record(s, g)))
		return rc;
	if ((d->uart.out && save_uart(s, &d->uart) < 0) ||
	    (d->kbd.in && snapshot_add(s, SNAP_KBD, 0, &kbd_line, 1) < 0) ||
	    snapshot_add(s, SNAP_RTC, 0, &d->rtc, sizeof(d->rtc)) < 0 ||
	    (d->pci.slot[0] && save_pci(s, d) < 0)) {
		log_error(g->name, "snapshot: out of memory");
		return EX_OSERR;
	}
	return 0;
}

/* Restoring. The record first: what to build. A file names the disks a
 * restore opens, as a command line would: each must be an absolute path
 * with no control characters, to a regular file, and is checked for size,
 * inode and time before the guest runs (check_disks). */
static int check_disk_path(const struct snapshot_disk *disk, const char *who) {
	struct stat st;

	for (const char *c = disk->path; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			log_error(who, "snapshot: a disk path holds control characters");
			return EX_DATAERR;
		}
	}
	if (disk->path[0] != '/' || stat(disk->path, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_error(who, "snapshot: its disk '%s' is %s", disk->path, disk->path[0] != '/' ?
			  "not an absolute path" : errno == ENOENT ? "not there any more" :
			  "not a regular file");
		return disk->path[0] == '/' && errno == ENOENT ? EX_NOINPUT : EX_DATAERR;
	}
	return 0;
}

int snapshot_read_machine(const struct snapshot *s, struct snapshot_machine *m,
			  const char *who) {
	int rc = snapshot_get(s, SNAP_MACHINE, 0, m, sizeof(*m), who);

	if (rc)
		return rc;
	m->board[sizeof(m->board) - 1] = '\0';
	for (char *c = m->board; *c; c++)
		*c = *c < 0x20 || *c > 0x7e ? '?' : *c;	/* (it appears in messages) */
	if (m->cpu_mode > CPU_LONG || m->irqchip > 1 || m->vcpus != 1 ||
	    m->disk_count > BOARD_DISKS_MAX) {
		log_error(who, "snapshot: its machine record is corrupt");
		return EX_DATAERR;
	}
	for (uint32_t i = 0; !rc && i < m->disk_count; i++) {
		m->disks[i].path[sizeof(m->disks[i].path) - 1] = '\0';
		rc = check_disk_path(&m->disks[i], who);
	}
	return rc;
}

/* Each disk is the file it was: same size, inode and time of change. */
static int check_disks(const struct snapshot_machine *m, struct board_devices *d,
		       const char *who) {
	for (uint32_t i = 0; i < m->disk_count; i++) {
		struct snapshot_disk now;
		struct board_disk disk = { .path = m->disks[i].path,
					   .readonly = m->disks[i].readonly };
		int rc = describe_disk(&now, &disk, d->disk[i].fd, who);

		if (rc)
			return rc;
		if (now.size != m->disks[i].size || now.inode != m->disks[i].inode ||
		    now.mtime_sec != m->disks[i].mtime_sec || now.mtime_nsec != m->disks[i].mtime_nsec) {
			log_error(who, "snapshot: the disk '%s' has changed since it was saved "
				  "(%s): restoring would corrupt it", disk.path,
				  now.size != m->disks[i].size ? "its size" :
				  now.inode != m->disks[i].inode ? "another file" : "written to");
			return EX_DATAERR;
		}
	}
	return 0;
}

static int load_uart(const struct snapshot *s, struct uart *u, const char *who) {
	struct uart_saved saved;
	int rc = snapshot_get(s, SNAP_UART, 0, &saved, sizeof(saved), who);

	if (rc)
		return rc;
	pthread_mutex_lock(&u->lock);
	memcpy(u->regs, saved.regs, sizeof(u->regs));
	u->dll = saved.dll, u->dlm = saved.dlm, u->lsr_polled = saved.lsr_polled != 0;
	u->thre_pending = saved.thre_pending != 0, u->rx_seen = saved.rx_seen != 0;
	/* The line as it was: KVM's irqchip came back with it high, and KVM
	 * lowers a line only for the source that raised it (KVM_IRQ_LINE). */
	if (saved.irq_level && u->irq && u->irq(u->irq_arg, true) == 0)
		u->irq_level = true;
	pthread_mutex_unlock(&u->lock);
	return 0;
}

static int load_pci(const struct snapshot *s, struct board_devices *d, const char *who) {
	uint8_t bridge[PCI_CONFIG_SIZE];
	struct pci_device *h = &d->pci.host_bridge;
	int rc = snapshot_get(s, SNAP_PCI_BUS, 0, &d->pci.address, sizeof(d->pci.address), who) ?:
		 snapshot_get(s, SNAP_PCI_BUS, 1, bridge, sizeof(bridge), who);

	if (rc)
		return rc;
	pci_config_set(h, PCI_COMMAND, 2,
		       (bridge[PCI_COMMAND] | bridge[PCI_COMMAND + 1] << 8) & PCI_COMMAND_WRITABLE);
	h->config[PCI_INTERRUPT_LINE] = bridge[PCI_INTERRUPT_LINE];
	for (int i = 0; !rc && i < BOARD_DISKS_MAX; i++) {
		struct virtio_saved saved;
		const char *why = NULL;

		if (!d->blk[i].virtio.type)
			continue;
		rc = snapshot_get(s, SNAP_VIRTIO_BLK, (uint32_t)i, &saved, sizeof(saved), who);
		if (!rc && virtio_load(&d->blk[i].virtio, &saved, &why) < 0) {
			log_error(who, "snapshot: virtio-blk %d: %s", i, why);
			rc = EX_DATAERR;
		}
	}
	return rc;
}

int snapshot_restore_devices(const struct snapshot *s, struct guest *g,
			     const struct snapshot_machine *m) {
	struct board_devices *d = g->board_state;
	uint8_t kbd_line = 0;
	struct timespec now;
	int rc = check_disks(m, d, g->name) ?:
		 (d->uart.out ? load_uart(s, &d->uart, g->name) : 0) ?:
		 (d->kbd.in ? snapshot_get(s, SNAP_KBD, 0, &kbd_line, 1, g->name) : 0) ?:
		 snapshot_get(s, SNAP_RTC, 0, &d->rtc, sizeof(d->rtc), g->name);

	d->kbd.line_high = kbd_line != 0;
	clock_gettime(CLOCK_MONOTONIC, &now);	/* HC_CLOCK: back by what it had counted */
	g->hc.start.tv_sec = now.tv_sec - (time_t)(m->clock_ns / 1000000000u);
	g->hc.start.tv_nsec = now.tv_nsec - (long)(m->clock_ns % 1000000000u);
	if (g->hc.start.tv_nsec < 0)
		g->hc.start.tv_sec--, g->hc.start.tv_nsec += 1000000000;
	if (!rc && d->rtc.index >= sizeof(d->rtc.ram)) {
		log_error(g->name, "snapshot: the CMOS clock's register index is out of range");
		rc = EX_DATAERR;
	}
	return rc ?: d->pci.slot[0] ? load_pci(s, d, g->name) : 0;
}
