/*
 * bzimage: a Linux kernel file, as the Linux/x86 boot protocol describes it
 * (Documentation/arch/x86/boot.rst in the kernel's tree, "boot protocol"
 * below). The file starts with the real-mode setup code, whose sector 1
 * holds the setup header at 0x1f1; the protected-mode kernel follows the
 * setup sectors. This file only reads and checks the header: every field a
 * loader would trust is checked here, against the file's size, before
 * boot.c uses it. The structures are the kernel's own (<asm/bootparam.h>).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "linux.h"

#define BOOT_FLAG 0xaa55		/* at 0x1fe: the old boot sector signature */
#define HDRS_MAGIC 0x53726448		/* "HdrS" at 0x202 */
#define SETUP_HEADER_OFFSET 0x1f1	/* boot protocol, "The Real-Mode Kernel Header" */
#define JUMP_OFFSET 0x201		/* the JMP over the header: its end is 0x202 + this byte */
#define SECTOR 512u
#define SETUP_SECTS_DEFAULT 4		/* "if this field is 0, the real value is 4" */

/* A bzImage: the boot sector signature and "HdrS" where the boot protocol
 * puts them. */
bool bzimage_detect(const uint8_t *head, size_t len) {
	uint16_t flag;
	uint32_t magic;

	if (len < LINUX_HEADER_END)
		return false;
	memcpy(&flag, head + offsetof(struct boot_params, hdr.boot_flag), 2);
	memcpy(&magic, head + offsetof(struct boot_params, hdr.header), 4);
	return flag == BOOT_FLAG && magic == HDRS_MAGIC;
}

/* Why a header cannot be booted, or NULL. HEAD holds the file's first
 * LINUX_HEADER_END bytes. */
static const char *header_problem(const uint8_t *head, const struct setup_header *h,
				  char *why, size_t why_size) {
	if (h->version < LINUX_PROTOCOL_MIN) {
		snprintf(why, why_size, "boot protocol %u.%02u is too old: mini-kvm needs 2.12 or "
			 "later (the 64-bit entry point)", h->version >> 8, h->version & 0xff);
		return why;
	}
	if (!(h->xloadflags & XLF_KERNEL_64))
		return "not a 64-bit kernel (XLF_KERNEL_64 is not set in xloadflags)";
	if (!(h->loadflags & LOADED_HIGH))
		return "a zImage (LOADED_HIGH is not set): only bzImages load at 1 MB";
	/* The header must hold every field we read (up to init_size) and fit
	 * where boot_params keeps it. */
	if (0x202u + head[JUMP_OFFSET] < offsetof(struct boot_params, hdr.init_size) + 4 ||
	    0x202u + head[JUMP_OFFSET] > LINUX_HEADER_END)
		return "the setup header's length (the byte at 0x201) is out of range";
	if (h->init_size == 0 || h->cmdline_size == 0)
		return "init_size or cmdline_size is 0";
	if (h->pref_address > UINT32_MAX)	/* guest RAM ends below 3 GB */
		return "pref_address is above 4 GB";
	if (h->relocatable_kernel && (h->kernel_alignment == 0 ||
				      (h->kernel_alignment & (h->kernel_alignment - 1))))
		return "kernel_alignment is not a power of two";
	return NULL;
}

/*
 * Read and check the header of a bzImage of FILE_SIZE bytes whose first
 * LINUX_HEADER_END bytes are HEAD. On success fill K and return 0; else
 * write why into WHY (one line) and return -1.
 */
int bzimage_parse(const uint8_t *head, size_t head_len, uint64_t file_size,
		  struct linux_kernel *k, char *why, size_t why_size) {
	const struct setup_header *h;
	const char *problem;
	uint64_t sects;

	if (head_len < LINUX_HEADER_END || file_size < LINUX_HEADER_END) {
		snprintf(why, why_size, "truncated: %llu bytes, less than the %u of the setup "
			 "header", (unsigned long long)file_size, (unsigned)LINUX_HEADER_END);
		return -1;
	}
	if (!bzimage_detect(head, head_len)) {
		snprintf(why, why_size, "not a bzImage (no 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
		return -1;
	}
	memset(k, 0, sizeof(*k));
	memcpy(&k->hdr, head + SETUP_HEADER_OFFSET, sizeof(k->hdr));
	h = &k->hdr;
	if ((problem = header_problem(head, h, why, why_size))) {
		if (problem != why)
			snprintf(why, why_size, "%s", problem);
		return -1;
	}
	sects = h->setup_sects ? h->setup_sects : SETUP_SECTS_DEFAULT;
	k->setup_size = (sects + 1) * SECTOR;	/* the boot sector, then the setup sectors */
	k->header_end = 0x202u + head[JUMP_OFFSET];
	/* syssize: the protected-mode kernel's size in 16-byte units (2.04+). */
	if (file_size <= k->setup_size || file_size - k->setup_size < (uint64_t)h->syssize * 16) {
		snprintf(why, why_size, "truncated: the kernel needs %llu bytes after %llu of "
			 "setup code, the file has %llu", (unsigned long long)h->syssize * 16,
			 (unsigned long long)k->setup_size,
			 (unsigned long long)(file_size > k->setup_size ? file_size - k->setup_size
									: 0));
		return -1;
	}
	k->kernel_size = file_size - k->setup_size;
	return 0;
}
