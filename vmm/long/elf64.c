/* elf64: ELFCLASS64 for the ELF loader (core/elf.c): its headers, read into
 * the loader's common form (System V ABI, "ELF Header", "Program Header"). */
#include <elf.h>
#include <string.h>

#include "long.h"

static void header64(const void *raw, struct elf_header *h) {
	Elf64_Ehdr e;

	memcpy(&e, raw, sizeof(e));
	*h = (struct elf_header){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_entry,
				  e.e_phoff };
}

static void segment64(const void *raw, struct elf_segment *s) {
	Elf64_Phdr p;

	memcpy(&p, raw, sizeof(p));
	*s = (struct elf_segment){ p.p_type, p.p_offset, p.p_paddr, p.p_filesz, p.p_memsz };
}

const struct elf_class elf_class64 = {
	.machine = EM_X86_64, .machine_name = "x86-64 (EM_X86_64)",
	.header_size = sizeof(Elf64_Ehdr), .segment_size = sizeof(Elf64_Phdr),
	.header = header64, .segment = segment64,
};
