/*
 * snapshot.h: a running guest saved to one file, and resumed from it in a
 * new process (docs/snapshots.md). The file (format.c) is a header, a table
 * of sections and the guest's memory, page-aligned at the end, so that a
 * restore maps it (MAP_PRIVATE) instead of reading it. What fills the
 * sections: the vCPU and the VM's interrupt controllers and clocks (cpu.c),
 * the machine and its devices (machine.c). save.c is the program's
 * guest_hooks.save; restore.c is the board that resumes a saved guest.
 */
#ifndef SNAPSHOT_SNAPSHOT_H
#define SNAPSHOT_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boards/board.h"
#include "core/guest.h"

#define SNAPSHOT_MAGIC "MKVMSNAP"	/* 8 bytes, no NUL */
#define SNAPSHOT_FORMAT 1		/* changes whenever any section's layout does */
#define SNAPSHOT_PAGE 4096		/* guest memory starts on a page of the file */
#define SNAPSHOT_SECTIONS_MAX 64
#define SNAPSHOT_DATA_MAX (1u << 20)	/* all sections but memory: a few KB in practice */

/* Every section, by what it holds. Numbers are part of the format. */
enum snapshot_type {
	SNAP_MACHINE = 1,	/* struct snapshot_machine */
	SNAP_CPUID, SNAP_MP_STATE, SNAP_REGS, SNAP_SREGS, SNAP_XSAVE, SNAP_XCRS,
	SNAP_DEBUGREGS, SNAP_LAPIC, SNAP_MSRS, SNAP_EVENTS,	/* the vCPU: KVM's structs */
	SNAP_PIC_MASTER, SNAP_PIC_SLAVE, SNAP_IOAPIC, SNAP_PIT, SNAP_CLOCK,	/* the VM */
	SNAP_UART, SNAP_KBD, SNAP_RTC, SNAP_PCI_BUS, SNAP_VIRTIO_BLK,	/* devices */
	SNAP_TSC_KHZ,		/* the vCPU's TSC rate */
	SNAP_TYPE_END
};

struct snapshot_header {
	char magic[8];
	uint32_t format, header_size;	/* SNAPSHOT_FORMAT, sizeof(struct snapshot_header) */
	char version[16];		/* the mini-kvm that wrote it, for messages */
	char cpu_vendor[16];		/* CPUID 0's vendor string: "AuthenticAMD" */
	uint64_t xsave_features;	/* XCR0's bits this host's CPU supports (CPUID 0xD) */
	uint64_t file_size;		/* the whole file: a shorter one was cut */
	uint64_t memory_offset, memory_size;	/* guest RAM, at the end */
	uint32_t section_count, reserved;
	uint64_t checksum;		/* FNV-1a of all before memory_offset, this field 0 */
};

struct snapshot_entry {
	uint32_t type, instance;	/* enum snapshot_type; which one (a disk's index) */
	uint64_t offset, size;		/* in the file, between the table and memory */
};

/* A whole file but its memory, in our memory: being built, or read back. */
struct snapshot {
	struct snapshot_header header;
	struct snapshot_entry entry[SNAPSHOT_SECTIONS_MAX];
	uint8_t *data;			/* the sections, one after the other */
	size_t data_len, data_cap;
};

/* format.c */
void snapshot_init(struct snapshot *s);
void snapshot_free(struct snapshot *s);
/* Append a section: 0, or -1 (out of memory, or too many). */
int snapshot_add(struct snapshot *s, enum snapshot_type type, uint32_t instance,
		 const void *data, size_t size);
/* Header, table, sections, then the guest's memory MEM: its pages that hold
 * only zeros are left as holes. 0, or -1 with errno. */
int snapshot_write(struct snapshot *s, int fd, const struct guest_memory *mem);
/* Read and check everything but memory. 0, or EX_DATAERR with WHY. */
int snapshot_read(struct snapshot *s, int fd, char *why, size_t why_size);
/* The section TYPE/INSTANCE: its bytes and size, or NULL. */
const void *snapshot_find(const struct snapshot *s, enum snapshot_type type, uint32_t instance,
			  size_t *size);
/* Copy a section that must be there and exactly SIZE bytes long: 0, or
 * EX_DATAERR, said. */
int snapshot_get(const struct snapshot *s, enum snapshot_type type, uint32_t instance,
		 void *dst, size_t size, const char *who);
/* This host's CPU vendor and XSAVE features, as the header records them. */
void snapshot_host_cpu(char vendor[16], uint64_t *xsave_features);

/* What the machine was, for the restore to build the same one. */
#define SNAPSHOT_PATH_MAX 1024
struct snapshot_machine {
	char board[32];			/* its board's name: "Linux", "real-mode"... */
	uint32_t cpu_mode;		/* enum cpu_mode of its first instruction */
	uint32_t irqchip;		/* 1: KVM's PIC, IOAPIC, LAPIC and PIT */
	uint32_t vcpus;			/* 1 */
	uint32_t disk_count;
	uint64_t clock_ns;		/* HC_CLOCK's count: it goes on from there */
	struct snapshot_disk {		/* each --disk, reopened and checked at restore */
		char path[SNAPSHOT_PATH_MAX];	/* absolute */
		uint64_t size, inode;
		int64_t mtime_sec, mtime_nsec;	/* changed since: refused */
		uint32_t readonly, reserved;
	} disks[BOARD_DISKS_MAX];
};

/* cpu.c: the vCPU (its thread, between two exits) and the VM */
int snapshot_save_cpu(struct snapshot *s, struct guest *g);
int snapshot_restore_cpu(const struct snapshot *s, struct guest *g);

/* A table section (CPUID entries, MSRs) of at most MAX entries of SIZE
 * into DST: 0, or EX_DATAERR, said. */
int snapshot_table(const struct snapshot *s, enum snapshot_type type, void *dst, size_t size,
		   uint32_t max, uint32_t *count, const char *who);
/* msrs.c */
int snapshot_save_msrs(struct snapshot *s, struct guest *g);
int snapshot_load_msrs(const struct snapshot *s, struct guest *g);

/* machine.c: the machine and its devices. HOLD: stop (or let go on) the
 * device threads' work on the guest, around a save. */
void snapshot_hold_devices(struct guest *g, bool hold);

int snapshot_save_machine(struct snapshot *s, struct guest *g);
int snapshot_read_machine(const struct snapshot *s, struct snapshot_machine *m,
			  const char *who);
/* After the machine is built: its disks checked against M, then each
 * device's state. */
int snapshot_restore_devices(const struct snapshot *s, struct guest *g,
			     const struct snapshot_machine *m);

/* save.c. --snapshot FILE: the file it goes to, created unnamed in FILE's
 * folder at start-up (a run never signalled leaves nothing); after the run,
 * kept under its name if a guest was saved into it. */
struct snapshot_file {
	int fd;
	bool named;			/* O_TMPFILE was refused: it is TMP */
	char tmp[4096];
};
int snapshot_file_open(struct snapshot_file *f, const char *path, const char *who);
/* ASKED: SIGUSR1 came and the guest ended well, so an empty file is said. */
int snapshot_file_keep(struct snapshot_file *f, const char *path, bool asked, const char *who);
int snapshot_save(struct guest *g);	/* the guest_hooks.save */

/* restore.c: --restore FILE, and the board's state */
extern const struct board board_snapshot;
/* Before KVM is opened: is PATH a snapshot this mini-kvm can restore on
 * this CPU? 0, or an exit status (66 cannot open, 65 bad file), said. */
int snapshot_check_file(const char *path, const char *who);
struct restored {
	struct board_devices devices;	/* first, as in every board's state (board.h) */
	struct board_config config;	/* the saved machine's disks, ... */
	struct snapshot_machine machine;	/* ... whose paths are here */
};

#endif
