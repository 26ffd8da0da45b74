/*
 * image.h: guest image files (image.c) and the ELF loader (elf.c). A flat
 * binary is the original Mini-KVM's format; ELF files are read through a
 * class (32 or 64 bits) into one form, so one set of checks serves both.
 * Other formats (a Linux kernel) are their board's to recognise from the
 * file's head.
 */
#ifndef CORE_IMAGE_H
#define CORE_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memory.h"

enum image_format { IMAGE_FLAT, IMAGE_ELF32, IMAGE_ELF64, IMAGE_ELF_INVALID };
#define IMAGE_HEAD_SIZE 1024	/* bytes of the file kept for the boards to look at */

struct image {
	const char *path;
	int fd;
	uint64_t size;
	enum image_format format;	/* by the ELF magic and class only */
	uint8_t head[IMAGE_HEAD_SIZE];	/* the file's first bytes */
	size_t head_len;
};

enum image_format image_detect(const uint8_t *head, size_t len);
int image_open(struct image *img, const char *path, const char *who);
void image_close(struct image *img);
/* LEN bytes of FD at OFFSET, all of them: 0, or -1 with errno (EIO: the
 * file ended first). The one pread(2) loop of every loader. */
int read_exact(int fd, void *dst, uint64_t len, uint64_t offset);
int image_load_flat(const struct image *img, struct guest_memory *mem, const char *who);

/* What the loader uses of an ELF file header and program header. */
struct elf_header {
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};
struct elf_segment {
	uint32_t type;
	uint64_t offset, paddr, filesz, memsz;
};
/* One ELF class: its sizes, its machine, and how to read its headers into
 * the common form. elf.c has ELFCLASS32; vmm/long adds ELFCLASS64. */
struct elf_class {
	uint16_t machine;		/* EM_386 or EM_X86_64 */
	const char *machine_name;	/* for the message when it is another */
	size_t header_size, segment_size;
	void (*header)(const void *raw, struct elf_header *h);
	void (*segment)(const void *raw, struct elf_segment *s);
};
extern const struct elf_class elf_class32;

struct elf_info {
	uint64_t entry;		/* e_entry */
	uint32_t features;	/* MINI_KVM_FEATURE_* from the guest's ELF note */
	uint64_t end;		/* where the highest segment's memory ends */
};
/* Load IMG's PT_LOAD segments at their physical addresses. MEM must be all
 * zeros (fresh from guest_memory_map): .bss is not written again. */
int image_load_elf(const struct image *img, const struct elf_class *class,
		   struct guest_memory *mem, struct elf_info *info, const char *who);
/* IMG's header and its ELF_MAX_SEGMENTS at most program headers, checked:
 * NULL, or what is wrong (perhaps in WHY). */
#define ELF_MAX_SEGMENTS 64
const char *elf_read_program(const struct image *img, const struct elf_class *class,
			     struct elf_header *h, struct elf_segment *seg, char *why,
			     size_t why_size);
/* Whether the PT_NOTE segment SEG holds the note NAME of TYPE; if so, the
 * first LEN bytes of its descriptor go to DESC. */
bool elf_note_in(const struct image *img, const struct elf_segment *seg, const char *name,
		 uint32_t type, void *desc, uint32_t len);

#endif
