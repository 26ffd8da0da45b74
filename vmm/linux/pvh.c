/*
 * pvh: boot an uncompressed kernel, a vmlinux (ELF64), through its PVH
 * entry point: the 32-bit entry that Xen's PVH guests, QEMU's -kernel,
 * Firecracker and Cloud Hypervisor use. Why: a distribution's bzImage
 * carries its kernel compressed (Debian's: xz), and the guest pays the
 * decompression on every boot; a vmlinux is the same kernel unpacked
 * (docs/linux.md says how to get one from a bzImage).
 *
 * A vmlinux that can boot this way says so in an ELF note: name "Xen",
 * type XEN_ELFNOTE_PHYS32_ENTRY (18), the entry's physical address. That
 * note, not a guess from the file's shape, tells it apart from mini-kvm's
 * own 64-bit guests, which are ELF64 too.
 *
 * The entry state (xen/include/public/arch-x86/hvm/start_info.h; Linux's
 * arch/x86/platform/pvh/head.S): 32-bit protected mode, paging off, flat
 * CS (execute/read) and DS/ES/SS (read/write), EBX = the physical address
 * of a struct hvm_start_info, which points to the command line, the
 * initrd (as the first "module") and the memory map.
 */
#include <elf.h>
#include <string.h>

#include "core/log.h"
#include "linux.h"
#include "long/long.h"

#define XEN_NOTE_NAME "Xen"
#define XEN_ELFNOTE_PHYS32_ENTRY 18
#define START_MAGIC 0x336ec578		/* XEN_HVM_START_MAGIC_VALUE */
#define GDT_ADDRESS 0x1000		/* null, null, code, data: as the bzImage's */
#define CODE_SELECTOR 0x10
#define DATA_SELECTOR 0x18
#define START_INFO_ADDRESS 0x2000	/* then the memory map, then the module list */
#define MEMMAP_ADDRESS 0x2100
#define MODLIST_ADDRESS 0x2200

struct hvm_start_info {		/* version 1 */
	uint32_t magic, version, flags, nr_modules;
	uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
	uint32_t memmap_entries, reserved;
};
struct hvm_modlist_entry {
	uint64_t paddr, size, cmdline_paddr, reserved;
};
struct hvm_memmap_table_entry {
	uint64_t addr, size;
	uint32_t type, reserved;	/* type: as e820's */
};

/* By the note, not by a guess: mini-kvm's own 64-bit guests are ELF64 too. */
bool pvh_detect(const struct image *img, uint32_t *entry) {
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	struct elf_header h;
	uint32_t found;
	char why[80];

	if (img->format != IMAGE_ELF64 ||
	    elf_read_program(img, &elf_class64, &h, seg, why, sizeof(why)))
		return false;
	for (int i = 0; i < h.phnum; i++)
		if (seg[i].type == PT_NOTE &&
		    elf_note_in(img, &seg[i], XEN_NOTE_NAME, XEN_ELFNOTE_PHYS32_ENTRY,
				entry ? entry : &found, sizeof(found)))
			return true;
	return false;
}

int pvh_load_kernel(struct guest *g, const struct image *img, uint64_t *end) {
	struct elf_info info;
	int rc = image_load_elf(img, &elf_class64, &g->mem, &info, g->name);

	*end = info.end;
	return rc;
}

/* The start info, and what it points to, in the boot area. */
static void write_start_info(struct guest *g, const struct linux_boot *b) {
	struct boot_e820_entry e820[LINUX_MEMORY_MAP_MAX];
	int count = linux_memory_map(g->mem.size, e820);
	struct hvm_memmap_table_entry *map = guest_ptr(&g->mem, MEMMAP_ADDRESS, sizeof(*map) * 8);
	struct hvm_modlist_entry initrd = { b->initrd_start, b->initrd_size, 0, 0 };
	size_t cmdline_len = strlen(b->cmdline) + 1;	/* checked by linux_prepare */
	struct hvm_start_info info = {
		.magic = START_MAGIC, .version = 1, .nr_modules = b->initrd_fd >= 0,
		.modlist_paddr = MODLIST_ADDRESS, .cmdline_paddr = LINUX_CMDLINE_ADDRESS,
		.memmap_paddr = MEMMAP_ADDRESS, .memmap_entries = (uint32_t)count,
	};

	memcpy(guest_ptr(&g->mem, LINUX_CMDLINE_ADDRESS, cmdline_len), b->cmdline, cmdline_len);
	for (int i = 0; i < count; i++)
		map[i] = (struct hvm_memmap_table_entry){ e820[i].addr, e820[i].size, e820[i].type, 0 };
	memcpy(guest_ptr(&g->mem, MODLIST_ADDRESS, sizeof(initrd)), &initrd, sizeof(initrd));
	memcpy(guest_ptr(&g->mem, START_INFO_ADDRESS, sizeof(info)), &info, sizeof(info));
}

int pvh_enter(struct guest *g, const struct linux_boot *b) {
	struct cpu_flat flat = {
		.code = flat_segment(CODE_SELECTOR, SEG_TYPE_CODE_EXEC_READ_ACCESSED),
		.data = flat_segment(DATA_SELECTOR, SEG_TYPE_DATA_READ_WRITE_ACCESSED),
		.gdt_base = GDT_ADDRESS, .gdt_limit = 4 * 8 - 1, .cr0 = CR0_PE | CR0_ET,
	};
	uint64_t gdt[4] = { 0, 0, gdt_entry(&flat.code), gdt_entry(&flat.data) };
	struct kvm_regs regs = { .rip = b->pvh_entry, .rflags = RFLAGS_FIXED,
				 .rbx = START_INFO_ADDRESS };

	write_start_info(g, b);
	memcpy(guest_ptr(&g->mem, GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	return cpu_enter(&g->vm, cpu_load_flat, &flat, &regs, g->name);
}
