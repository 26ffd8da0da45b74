/*
 * linux.h: a Linux kernel (bzImage) and what its 64-bit boot protocol
 * wants of a loader (Documentation/arch/x86/boot.rst in the kernel's tree,
 * "boot protocol" in comments): bzimage.c reads and checks the file's
 * setup header, boot.c loads it; pvh.c boots an uncompressed vmlinux
 * through its PVH entry instead. The board that assembles a PC around it
 * is vmm/boards/linux.c; docs/linux.md walks through it all.
 */
#ifndef LINUX_LINUX_H
#define LINUX_LINUX_H

#include <asm/bootparam.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/guest.h"

#define LINUX_HEADER_END 0x290	/* the setup header lies in [0x1f1, 0x290) of the file */
#define LINUX_PROTOCOL_MIN 0x020c	/* 2.12: xloadflags, the 64-bit entry point */
#define LINUX_MEMORY_DEFAULT (256ull << 20)

/* bzimage.c */
struct linux_kernel {
	struct setup_header hdr;	/* from the file, checked by bzimage_parse */
	uint64_t setup_size;		/* real-mode setup code before the kernel, bytes */
	uint64_t kernel_size;		/* the protected-mode kernel: the rest of the file */
	size_t header_end;		/* the header is the file's [0x1f1, header_end) */
};
bool bzimage_detect(const uint8_t *head, size_t len);
int bzimage_parse(const uint8_t *head, size_t head_len, uint64_t file_size,
		  struct linux_kernel *k, char *why, size_t why_size);

/* boot.c */
struct linux_boot {		/* what linux_prepare checked and planned */
	bool pvh;			/* a vmlinux, booted at pvh_entry; else a bzImage */
	uint32_t pvh_entry;
	struct linux_kernel kernel;	/* a bzImage's */
	uint64_t memory;		/* guest RAM, bytes */
	const char *cmdline;
	const char *initrd;		/* its path; NULL: none */
	int initrd_fd;			/* -1: no initrd */
	uint64_t initrd_start, initrd_size;
};
/* Every check of the kernel file, the options and the initrd, before any
 * memory or VM exists: a mistake of the user's is reported as such. */
int linux_prepare(struct guest *g, const struct image *img, const char *initrd,
		  const char *append, struct linux_boot *b);
/* Between KVM_CREATE_VM and the vCPU: KVM's own pages for real mode. */
int linux_vm_setup(struct vm *vm, const char *who);
/* Kernel, initrd, boot_params, page tables, the vCPU at startup_64. */
int linux_load(struct guest *g, const struct image *img, const struct linux_boot *b);
void linux_finish(struct linux_boot *b);
#define LINUX_CMDLINE_ADDRESS 0x20000
#define LINUX_MEMORY_MAP_MAX 4
/* memmap.c: the e820 map a kernel boots with, MEMORY bytes of RAM: its
 * entries. */
int linux_memory_map(uint64_t memory, struct boot_e820_entry *map);

/* mptable.c: the MP table that tells a kernel of its CPUS vCPUs, the
 * in-kernel I/O APIC, and the line of each of the PCI_COUNT devices in PCI;
 * -1 if it does not fit in MEM. */
struct linux_pci_line {
	uint8_t slot, line;	/* its slot on bus 0; the IRQ line it raises */
};
int linux_mptable(struct guest_memory *mem, int cpus, const struct linux_pci_line *pci,
		  int pci_count);

/* pvh.c: a vmlinux with a PVH entry point (its note gives the ENTRY, if
 * not NULL); loading it (END: where its memory ends); the vCPU at the
 * entry with the start info the kernel reads. */
bool pvh_detect(const struct image *img, uint32_t *entry);
int pvh_load_kernel(struct guest *g, const struct image *img, uint64_t *end);
int pvh_enter(struct guest *g, const struct linux_boot *b);

#endif
