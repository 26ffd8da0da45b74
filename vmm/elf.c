/*
 * elf: load an ELF32 executable (System V ABI, "Program Loading"). Each
 * PT_LOAD segment is copied to its physical address p_paddr -- the address
 * Multiboot loaders use too -- and the rest of its memory size is zeroed
 * (.bss). Every number in the file is checked before use: the file is as
 * hostile as the guest it holds.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <mini-kvm/boot.h>

#include "vmm.h"

#define ELF_MAX_SEGMENTS 64
#define ELF_NOTE_MAX 4096	/* bytes of PT_NOTE read; ours is 24 */

/* pread all of LEN bytes at OFFSET, or fail. */
static int read_exact(const struct image *img, void *dst, uint64_t len, uint64_t offset) {
	for (uint64_t done = 0; done < len;) {
		ssize_t n = pread(img->fd, (uint8_t *)dst + done, len - done, (off_t)(offset + done));

		if (n <= 0)
			return -1;
		done += (uint64_t)n;
	}
	return 0;
}

/* The file header: a 32-bit x86 executable whose program headers lie in the file. */
static const char *check_header(const Elf32_Ehdr *eh, uint64_t file_size) {
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_386)
		return "not a little-endian x86 (EM_386) file";
	if (eh->e_type != ET_EXEC)
		return "not an executable (ET_EXEC) file";
	if (eh->e_phentsize != sizeof(Elf32_Phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > ELF_MAX_SEGMENTS)
		return "no usable program headers";
	if ((uint64_t)eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf32_Phdr) > file_size)
		return "program headers past the end of the file";
	return NULL;
}

/* One PT_LOAD: inside the file, inside guest memory, above the boot area,
 * and overlapping no segment before it. */
static const char *check_segment(const Elf32_Phdr *ph, const Elf32_Phdr *all, int index,
				 const struct image *img, const struct guest_memory *mem) {
	if (ph->p_filesz > ph->p_memsz)
		return "has a file size larger than its memory size";
	if ((uint64_t)ph->p_offset + ph->p_filesz > img->size)
		return "lies past the end of the file (truncated image?)";
	if (!guest_ptr(mem, ph->p_paddr, ph->p_memsz))
		return "does not fit in guest memory (see -m)";
	if (ph->p_paddr < BOOT_AREA_END && ph->p_memsz > 0)
		return "overlaps mini-kvm's boot area below 0x8000";
	for (int i = 0; i < index; i++) {
		const Elf32_Phdr *other = &all[i];

		if (other->p_type == PT_LOAD && ph->p_memsz && other->p_memsz &&
		    (uint64_t)ph->p_paddr < (uint64_t)other->p_paddr + other->p_memsz &&
		    (uint64_t)other->p_paddr < (uint64_t)ph->p_paddr + ph->p_memsz)
			return "overlaps another segment";
	}
	return NULL;
}

/* Our note, if this PT_NOTE has it: the MINI_KVM_FEATURE_* bits. */
static uint32_t note_features(const struct image *img, const Elf32_Phdr *ph) {
	static const char name[] = MINI_KVM_NOTE_NAME;
	uint8_t buf[ELF_NOTE_MAX];
	uint32_t size = ph->p_filesz < sizeof(buf) ? ph->p_filesz : sizeof(buf);
	uint32_t features = 0;

	if ((uint64_t)ph->p_offset + size > img->size || read_exact(img, buf, size, ph->p_offset))
		return 0;
	/* Notes: a header, the name and the descriptor, each 4-byte aligned. */
	for (uint32_t at = 0; size - at >= sizeof(Elf32_Nhdr);) {
		Elf32_Nhdr nh;
		uint64_t name_at = at + sizeof(nh), desc_at, next;

		memcpy(&nh, buf + at, sizeof(nh));
		desc_at = name_at + ((nh.n_namesz + 3ull) & ~3ull);
		next = desc_at + ((nh.n_descsz + 3ull) & ~3ull);
		if (next > size)
			break;
		if (nh.n_type == MINI_KVM_NOTE_FEATURES && nh.n_namesz == sizeof(name) &&
		    memcmp(buf + name_at, name, sizeof(name)) == 0 && nh.n_descsz >= 4)
			memcpy(&features, buf + desc_at, 4);
		at = (uint32_t)next;
	}
	return features;
}

static int load_segment(const struct image *img, const Elf32_Phdr *ph,
			struct guest_memory *mem) {
	uint8_t *dst = guest_ptr(mem, ph->p_paddr, ph->p_memsz);	/* checked before */

	memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
	return read_exact(img, dst, ph->p_filesz, ph->p_offset);
}

static bool entry_is_loaded(uint32_t entry, const Elf32_Phdr *ph, int count) {
	for (int i = 0; i < count; i++)
		if (ph[i].p_type == PT_LOAD && entry >= ph[i].p_paddr &&
		    entry - ph[i].p_paddr < ph[i].p_memsz)
			return true;
	return false;
}

int image_load_elf32(const struct image *img, struct guest_memory *mem,
		     struct elf_info *info, const char *who) {
	Elf32_Phdr ph[ELF_MAX_SEGMENTS];
	Elf32_Ehdr eh;
	const char *bad = NULL;

	*info = (struct elf_info){ 0 };
	if (read_exact(img, &eh, sizeof(eh), 0) < 0)
		bad = "shorter than an ELF header";
	else if (!(bad = check_header(&eh, img->size)) &&
		 read_exact(img, ph, eh.e_phnum * sizeof(ph[0]), eh.e_phoff) < 0)
		bad = "unreadable program headers";
	for (int i = 0; !bad && i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_NOTE)
			info->features |= note_features(img, &ph[i]);
		if (ph[i].p_type != PT_LOAD)
			continue;
		if ((bad = check_segment(&ph[i], ph, i, img, mem)) != NULL) {
			log_error(who, "bad ELF image: segment %d (0x%x-0x%llx) %s", i,
				  ph[i].p_paddr, (unsigned long long)ph[i].p_paddr + ph[i].p_memsz,
				  bad);
			return EX_DATAERR;
		}
		if (load_segment(img, &ph[i], mem) < 0)
			bad = "a segment could not be read";
	}
	if (!bad && !entry_is_loaded(eh.e_entry, ph, eh.e_phnum))
		bad = "the entry point is in no loaded segment";
	if (bad) {
		log_error(who, "bad ELF image: %s", bad);
		return EX_DATAERR;
	}
	info->entry = eh.e_entry;
	return 0;
}
