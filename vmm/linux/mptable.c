/*
 * mptable: how a kernel with several vCPUs learns about them -- an Intel
 * MultiProcessor Specification 1.4 table ("MP spec" below), the PC's way
 * before ACPI. With no ACPI tables in the machine, Linux
 * (CONFIG_X86_MPPARSE) looks for the floating pointer "_MP_" in the BIOS
 * area from 0xF0000 (MP spec 4.1), which the memory map reserves, and from
 * there reads:
 *   one processor entry per vCPU      its local APIC ID is its KVM vCPU id
 *   the buses                         PCI 0, and ISA for the PC's old lines
 *   the I/O APIC                      KVM's in-kernel one, at 0xFEC00000
 *   an I/O interrupt entry per line   ISA IRQ n is I/O APIC pin n, as KVM
 *                                     routes GSI n by default; each PCI
 *                                     device's INTA is its own line
 *   the local interrupt entries       LINT0 ExtINT (the PIC), LINT1 NMI
 * The kernel then starts every other vCPU with INIT and SIPI (MP spec
 * appendix B.4) through KVM's in-kernel local APIC: nothing of ours runs.
 */
#include <string.h>

#include "linux.h"

#define MP_TABLE_ADDRESS 0xf0000	/* the floating pointer, then the table */
#define LOCAL_APIC_ADDRESS 0xfee00000u
#define IO_APIC_ADDRESS 0xfec00000u
#define LOCAL_APIC_VERSION 0x14		/* an integrated (xAPIC) local APIC */
#define IO_APIC_VERSION 0x11		/* KVM's: 24 pins (arch/x86/kvm/ioapic.h) */
#define ISA_IRQS 16
#define PCI_BUS 0
#define ISA_BUS 1

enum { ENTRY_PROCESSOR, ENTRY_BUS, ENTRY_IO_APIC, ENTRY_IO_INTERRUPT, ENTRY_LOCAL_INTERRUPT };
enum { INTERRUPT_INT, INTERRUPT_NMI, INTERRUPT_SMI, INTERRUPT_EXTINT };
#define CPU_ENABLED 0x1
#define CPU_BOOT 0x2
#define IO_APIC_ENABLED 0x1
#define LEVEL_HIGH 0x0d			/* polarity 01 active high, trigger 11 level */

struct mp_floating {			/* MP spec 4.1 */
	char signature[4];		/* "_MP_" */
	uint32_t table;
	uint8_t length, revision, checksum, features[5];	/* length in 16-byte units */
} __attribute__((packed));

struct mp_header {			/* MP spec 4.2 */
	char signature[4];		/* "PCMP" */
	uint16_t length;
	uint8_t revision, checksum;
	char oem[8], product[12];
	uint32_t oem_table;
	uint16_t oem_table_size, entries;
	uint32_t local_apic;
	uint16_t extended_length;
	uint8_t extended_checksum, reserved;
} __attribute__((packed));

struct mp_processor {			/* MP spec 4.3.1 */
	uint8_t type, apic_id, apic_version, flags;
	uint32_t signature, features, reserved[2];
} __attribute__((packed));

struct mp_bus {				/* 4.3.2 */
	uint8_t type, id;
	char name[6];
} __attribute__((packed));

struct mp_io_apic {			/* 4.3.3 */
	uint8_t type, id, version, flags;
	uint32_t address;
} __attribute__((packed));

struct mp_interrupt {			/* 4.3.4 and 4.3.5: the same layout */
	uint8_t type, kind;
	uint16_t flags;
	uint8_t bus, bus_irq, apic, pin;
} __attribute__((packed));

/* Where the next entry goes; the header counts them. */
struct table {
	uint8_t *at;
	struct mp_header *header;
};

static void add(struct table *t, const void *entry, size_t size) {
	memcpy(t->at, entry, size);
	t->at += size;
	t->header->entries++;
}

/* The byte that makes LEN bytes at P sum to zero (MP spec 4.1, 4.2). */
static uint8_t checksum(const void *p, size_t len) {
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += ((const uint8_t *)p)[i];
	return (uint8_t)-sum;
}

static void add_interrupt(struct table *t, uint8_t type, uint8_t kind, uint16_t flags,
			  uint8_t bus, uint8_t bus_irq, uint8_t apic, uint8_t pin) {
	struct mp_interrupt e = { type, kind, flags, bus, bus_irq, apic, pin };

	add(t, &e, sizeof(e));
}

/* ISA IRQ n on pin n, unless a PCI device has that line; each PCI device's
 * INTA (bus IRQ: slot << 2 | pin - 1, MP spec D.3) on its line. */
static void add_lines(struct table *t, uint8_t io_apic, const struct linux_pci_line *pci,
		      int pci_count) {
	bool taken[ISA_IRQS] = { false };

	for (int i = 0; i < pci_count; i++) {
		add_interrupt(t, ENTRY_IO_INTERRUPT, INTERRUPT_INT, LEVEL_HIGH, PCI_BUS,
			      (uint8_t)(pci[i].slot << 2), io_apic, pci[i].line);
		if (pci[i].line < ISA_IRQS)
			taken[pci[i].line] = true;
	}
	for (uint8_t irq = 0; irq < ISA_IRQS; irq++)
		if (!taken[irq])
			add_interrupt(t, ENTRY_IO_INTERRUPT, INTERRUPT_INT, 0, ISA_BUS, irq,
				      io_apic, irq);
	add_interrupt(t, ENTRY_LOCAL_INTERRUPT, INTERRUPT_EXTINT, 0, ISA_BUS, 0, 0xff, 0);
	add_interrupt(t, ENTRY_LOCAL_INTERRUPT, INTERRUPT_NMI, 0, ISA_BUS, 0, 0xff, 1);
}

int linux_mptable(struct guest_memory *mem, int cpus, const struct linux_pci_line *pci,
		  int pci_count) {
	size_t size = sizeof(struct mp_floating) + sizeof(struct mp_header) +
		      (size_t)cpus * sizeof(struct mp_processor) + 2 * sizeof(struct mp_bus) +
		      sizeof(struct mp_io_apic) +
		      (size_t)(pci_count + ISA_IRQS + 2) * sizeof(struct mp_interrupt);
	struct mp_floating *floating = guest_ptr(mem, MP_TABLE_ADDRESS, size);
	struct table t;
	/* The first ID no local APIC has. KVM's I/O APIC keeps 4 bits of its
	 * ID register: from 16 vCPUs on, a kernel that writes and reads back
	 * the ID (a 32-bit one) finds it different; a 64-bit one does not. */
	uint8_t io_apic = (uint8_t)cpus;

	if (!floating || cpus < 1 || cpus > VM_VCPUS_MAX)
		return -1;
	t.header = (struct mp_header *)(floating + 1);
	t.at = (uint8_t *)(t.header + 1);
	*floating = (struct mp_floating){ .signature = "_MP_", .length = 1, .revision = 4,
		.table = MP_TABLE_ADDRESS + sizeof(*floating) };
	*t.header = (struct mp_header){ .signature = "PCMP", .revision = 4, .oem = "MINI-KVM",
		.product = "mini-kvm    ", .local_apic = LOCAL_APIC_ADDRESS };
	for (int i = 0; i < cpus; i++)
		add(&t, &(struct mp_processor){ .type = ENTRY_PROCESSOR, .apic_id = (uint8_t)i,
			.apic_version = LOCAL_APIC_VERSION,
			.flags = CPU_ENABLED | (i == 0 ? CPU_BOOT : 0) },
		    sizeof(struct mp_processor));
	add(&t, &(struct mp_bus){ ENTRY_BUS, PCI_BUS, "PCI   " }, sizeof(struct mp_bus));
	add(&t, &(struct mp_bus){ ENTRY_BUS, ISA_BUS, "ISA   " }, sizeof(struct mp_bus));
	add(&t, &(struct mp_io_apic){ ENTRY_IO_APIC, io_apic, IO_APIC_VERSION, IO_APIC_ENABLED,
				      IO_APIC_ADDRESS }, sizeof(struct mp_io_apic));
	add_lines(&t, io_apic, pci, pci_count);
	t.header->length = (uint16_t)(t.at - (uint8_t *)t.header);
	t.header->checksum = checksum(t.header, t.header->length);
	floating->checksum = checksum(floating, sizeof(*floating));
	return 0;
}
