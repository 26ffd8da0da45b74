/*
 * elf: load an ELF executable (System V ABI, "Program Loading"). Each class
 * (struct elf_class: ELFCLASS32 here, ELFCLASS64 in vmm/long) reads its
 * headers into one form with 64-bit fields, so there is one set of checks.
 * Each PT_LOAD segment is copied to its physical address p_paddr -- the
 * address Multiboot loaders use too. The rest of its memory size (.bss)
 * is left alone: guest memory comes zero-filled from guest_memory_map and
 * segments may not overlap, so it is zero already. Zeroing it again would
 * touch every page of a large .bss (20 MB in bench/compute: 14 ms on this
 * host) that the guest may never use. Every number in the file is checked
 * before use: the file is as hostile as the guest it holds.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mini-kvm/boot.h>

#include "image.h"
#include "log.h"

#define ELF_NOTE_MAX 4096	/* bytes of PT_NOTE read; ours is 24 */

static void header32(const void *raw, struct elf_header *h) {
	Elf32_Ehdr e;

	memcpy(&e, raw, sizeof(e));
	*h = (struct elf_header){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_entry,
				  e.e_phoff };
}

static void segment32(const void *raw, struct elf_segment *s) {
	Elf32_Phdr p;

	memcpy(&p, raw, sizeof(p));
	*s = (struct elf_segment){ p.p_type, p.p_offset, p.p_paddr, p.p_filesz, p.p_memsz };
}

const struct elf_class elf_class32 = {
	.machine = EM_386, .machine_name = "x86 (EM_386)",
	.header_size = sizeof(Elf32_Ehdr), .segment_size = sizeof(Elf32_Phdr),
	.header = header32, .segment = segment32,
};

/* The file header, in the common form; -1 if the file is shorter. */
static int read_header(const struct image *img, const struct elf_class *class,
		       struct elf_header *h) {
	uint8_t raw[sizeof(Elf64_Ehdr)];	/* the larger class */

	if (class->header_size > sizeof(raw) || read_exact(img->fd, raw, class->header_size, 0))
		return -1;
	class->header(raw, h);
	return 0;
}

/* The program headers, in the common form. */
static int read_segments(const struct image *img, const struct elf_class *class,
			 const struct elf_header *h, struct elf_segment *seg) {
	for (int i = 0; i < h->phnum; i++) {
		uint64_t at = h->phoff + (uint64_t)i * h->phentsize;	/* checked: in the file */
		uint8_t raw[sizeof(Elf64_Phdr)];

		if (class->segment_size > sizeof(raw) ||
		    read_exact(img->fd, raw, class->segment_size, at))
			return -1;
		class->segment(raw, &seg[i]);
	}
	return 0;
}

/* A little-endian x86 executable of the expected class whose program
 * headers lie in the file. */
static const char *check_header(const uint8_t *ident, const struct elf_class *class,
				const struct elf_header *h, uint64_t file_size, char *why,
				size_t why_size) {
	if (ident[EI_DATA] != ELFDATA2LSB || h->machine != class->machine) {
		snprintf(why, why_size, "not a little-endian %s file", class->machine_name);
		return why;
	}
	if (h->type != ET_EXEC)
		return "not an executable (ET_EXEC) file";
	if (h->phentsize != class->segment_size || h->phnum == 0 ||
	    h->phnum > ELF_MAX_SEGMENTS)
		return "no usable program headers";
	if (h->phoff > file_size || (uint64_t)h->phnum * h->phentsize > file_size - h->phoff)
		return "program headers past the end of the file";
	return NULL;
}

/* One PT_LOAD: inside the file, inside guest memory, above the boot area,
 * and overlapping no segment before it. */
static const char *check_segment(const struct elf_segment *s, const struct elf_segment *all, int index,
				 const struct image *img, const struct guest_memory *mem) {
	if (s->filesz > s->memsz)
		return "has a file size larger than its memory size";
	if (s->offset > img->size || s->filesz > img->size - s->offset)
		return "lies past the end of the file (truncated image?)";
	if (!guest_ptr(mem, s->paddr, s->memsz))
		return "does not fit in guest memory (see -m)";
	if (s->paddr < BOOT_AREA_END && s->memsz > 0)
		return "overlaps mini-kvm's boot area below 0x8000";
	for (int i = 0; i < index; i++) {	/* both inside memory: no overflow */
		const struct elf_segment *o = &all[i];

		if (o->type == PT_LOAD && s->memsz && o->memsz && s->paddr < o->paddr + o->memsz &&
		    o->paddr < s->paddr + s->memsz)
			return "overlaps another segment";
	}
	return NULL;
}

/* Note NAME of TYPE in this PT_NOTE: its first LEN descriptor bytes into
 * DESC, and true; false if it is not there. */
bool elf_note_in(const struct image *img, const struct elf_segment *seg, const char *name,
		 uint32_t type, void *desc, uint32_t len) {
	uint8_t buf[ELF_NOTE_MAX];
	uint32_t size = seg->filesz < sizeof(buf) ? (uint32_t)seg->filesz : sizeof(buf);
	uint32_t name_size = (uint32_t)strlen(name) + 1;

	if (seg->offset > img->size || size > img->size - seg->offset ||
	    read_exact(img->fd, buf, size, seg->offset))
		return false;
	/* Notes (the same in both classes): a header, the name and the
	 * descriptor, each 4-byte aligned. */
	for (uint32_t at = 0; size - at >= sizeof(Elf32_Nhdr);) {
		Elf32_Nhdr nh;
		uint64_t name_at = at + sizeof(nh), desc_at, next;

		memcpy(&nh, buf + at, sizeof(nh));
		desc_at = name_at + ((nh.n_namesz + 3ull) & ~3ull);
		next = desc_at + ((nh.n_descsz + 3ull) & ~3ull);
		if (next > size)
			break;
		if (nh.n_type == type && nh.n_namesz == name_size &&
		    memcmp(buf + name_at, name, name_size) == 0 && nh.n_descsz >= len) {
			memcpy(desc, buf + desc_at, len);
			return true;
		}
		at = (uint32_t)next;
	}
	return false;
}

/* Our note, if this PT_NOTE has it: the MINI_KVM_FEATURE_* bits. */
static uint32_t note_features(const struct image *img, const struct elf_segment *seg) {
	uint32_t features = 0;

	elf_note_in(img, seg, MINI_KVM_NOTE_NAME, MINI_KVM_NOTE_FEATURES, &features, 4);
	return features;
}

/* The header and program headers, checked: NULL, or what is wrong. */
const char *elf_read_program(const struct image *img, const struct elf_class *class,
			     struct elf_header *h, struct elf_segment *seg, char *why,
			     size_t why_size) {
	uint8_t ident[EI_NIDENT];
	const char *bad;

	if (read_exact(img->fd, ident, sizeof(ident), 0) < 0 || read_header(img, class, h) < 0)
		return "shorter than an ELF header";
	if ((bad = check_header(ident, class, h, img->size, why, why_size)))
		return bad;
	return read_segments(img, class, h, seg) < 0 ? "unreadable program headers" : NULL;
}

/* The file part only; .bss is zero already (see the top of this file). */
static int load_segment(const struct image *img, const struct elf_segment *s,
			struct guest_memory *mem) {
	uint8_t *dst = guest_ptr(mem, s->paddr, s->memsz);	/* checked before */

	return read_exact(img->fd, dst, s->filesz, s->offset);
}

static bool entry_is_loaded(uint64_t entry, const struct elf_segment *s, int count) {
	for (int i = 0; i < count; i++)
		if (s[i].type == PT_LOAD && entry >= s[i].paddr && entry - s[i].paddr < s[i].memsz)
			return true;
	return false;
}

int image_load_elf(const struct image *img, const struct elf_class *class,
		   struct guest_memory *mem, struct elf_info *info, const char *who) {
	struct elf_segment seg[ELF_MAX_SEGMENTS];
	struct elf_header h;
	char why[80];
	const char *bad = elf_read_program(img, class, &h, seg, why, sizeof(why));

	*info = (struct elf_info){ 0 };
	for (int i = 0; !bad && i < h.phnum; i++) {
		if (seg[i].type == PT_NOTE)
			info->features |= note_features(img, &seg[i]);
		if (seg[i].type != PT_LOAD)
			continue;
		if ((bad = check_segment(&seg[i], seg, i, img, mem)) != NULL) {
			log_error(who, "bad ELF image: segment %d (0x%llx-0x%llx) %s", i,
				  (unsigned long long)seg[i].paddr,
				  (unsigned long long)(seg[i].paddr + seg[i].memsz), bad);
			return EX_DATAERR;
		}
		if (load_segment(img, &seg[i], mem) < 0)
			bad = "a segment could not be read";
		if (seg[i].paddr + seg[i].memsz > info->end)
			info->end = seg[i].paddr + seg[i].memsz;
	}
	if (!bad && !entry_is_loaded(h.entry, seg, h.phnum))
		bad = "the entry point is in no loaded segment";
	if (bad) {
		log_error(who, "bad ELF image: %s", bad);
		return EX_DATAERR;
	}
	info->entry = h.entry;
	return 0;
}
