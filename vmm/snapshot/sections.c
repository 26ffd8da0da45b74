/*
 * sections: a snapshot's sections, looked up by what they hold once the
 * file has been read and checked (format.c): one that must be there and
 * have its struct's size, or a table of whole entries.
 */
#include <string.h>

#include "core/log.h"
#include "snapshot.h"

const void *snapshot_find(const struct snapshot *s, enum snapshot_type type, uint32_t instance,
			  size_t *size) {
	for (uint32_t i = 0; i < s->header.section_count; i++) {
		if (s->entry[i].type == type && s->entry[i].instance == instance) {
			*size = s->entry[i].size;
			return s->data + s->entry[i].offset;
		}
	}
	return NULL;
}

/* For messages: what a section holds. */
static const char *type_name(enum snapshot_type type) {
	static const char *const names[SNAP_TYPE_END] = {
		[SNAP_MACHINE] = "the machine record", [SNAP_CPUID] = "CPUID",
		[SNAP_MP_STATE] = "MP state", [SNAP_REGS] = "registers",
		[SNAP_SREGS] = "special registers", [SNAP_XSAVE] = "XSAVE area",
		[SNAP_XCRS] = "XCRs", [SNAP_DEBUGREGS] = "debug registers", [SNAP_LAPIC] = "LAPIC",
		[SNAP_MSRS] = "MSRs", [SNAP_EVENTS] = "vCPU events", [SNAP_PIC_MASTER] = "master PIC",
		[SNAP_PIC_SLAVE] = "slave PIC", [SNAP_IOAPIC] = "IOAPIC", [SNAP_PIT] = "PIT",
		[SNAP_CLOCK] = "clock", [SNAP_UART] = "UART", [SNAP_KBD] = "keyboard",
		[SNAP_RTC] = "CMOS clock", [SNAP_PCI_BUS] = "PCI bus",
		[SNAP_VIRTIO_BLK] = "virtio-blk", [SNAP_TSC_KHZ] = "TSC frequency",
	};

	return type > 0 && type < SNAP_TYPE_END && names[type] ? names[type] : "unknown";
}

int snapshot_get(const struct snapshot *s, enum snapshot_type type, uint32_t instance,
		 void *dst, size_t size, const char *who) {
	size_t found = 0;
	const void *p = snapshot_find(s, type, instance, &found);

	if (!p || found != size) {
		log_error(who, "snapshot: its %s section (%u.%u) is %s (%zu bytes expected)",
			  type_name(type), type, instance, p ? "of the wrong size" : "missing", size);
		return EX_DATAERR;
	}
	memcpy(dst, p, size);
	return 0;
}

/* A table section (CPUID entries, MSRs): whole entries, at most MAX. */
int snapshot_table(const struct snapshot *s, enum snapshot_type type, void *dst, size_t size,
		   uint32_t max, uint32_t *count, const char *who) {
	size_t bytes = 0;
	const void *p = snapshot_find(s, type, 0, &bytes);

	if (!p || bytes % size || bytes / size > max) {
		log_error(who, "snapshot: its %s section (%u) is %s", type_name(type), type,
			  p ? "malformed" : "missing");
		return EX_DATAERR;
	}
	memcpy(dst, p, bytes);
	*count = (uint32_t)(bytes / size);
	return 0;
}
