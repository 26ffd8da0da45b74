/* elf: the ELF32 loader -- what it loads, and every malformed file it refuses. */
#include "helpers.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include <mini-kvm/boot.h>

#define LOAD_AT 0x10000
#define MEMORY (128u << 10)

/* A small, valid ELF32 executable: one PT_LOAD of 16 code bytes plus 16 of
 * .bss at LOAD_AT, a PT_NOTE asking for the irqchip, and spare headers the
 * tests turn into more segments. */
struct test_elf {
	Elf32_Ehdr eh;
	Elf32_Phdr ph[3];
	struct { Elf32_Nhdr nh; char name[12]; uint32_t features; } note;
	uint8_t code[16];
};

static void make_elf(struct test_elf *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
	f->eh.e_ident[EI_CLASS] = ELFCLASS32;
	f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f->eh.e_type = ET_EXEC;
	f->eh.e_machine = EM_386;
	f->eh.e_entry = LOAD_AT + 4;
	f->eh.e_phoff = offsetof(struct test_elf, ph);
	f->eh.e_phentsize = sizeof(Elf32_Phdr);
	f->eh.e_phnum = 2;
	f->ph[0] = (Elf32_Phdr){ .p_type = PT_LOAD, .p_offset = offsetof(struct test_elf, code),
				 .p_paddr = LOAD_AT, .p_filesz = 16, .p_memsz = 32 };
	f->ph[1] = (Elf32_Phdr){ .p_type = PT_NOTE, .p_offset = offsetof(struct test_elf, note),
				 .p_filesz = sizeof(f->note) };
	f->note.nh = (Elf32_Nhdr){ .n_namesz = 9, .n_descsz = 4, .n_type = MINI_KVM_NOTE_FEATURES };
	memcpy(f->note.name, MINI_KVM_NOTE_NAME, 9);
	f->note.features = MINI_KVM_FEATURE_IRQCHIP;
	memset(f->code, 0x90, sizeof(f->code));
}

/* Load LEN bytes of F into a fresh MEMORY-byte guest; the loader's status,
 * its message in *ERR, the guest memory in *MEM (caller frees). */
static int load(const struct test_elf *f, size_t len, struct guest_memory *mem,
		struct elf_info *info, const char **err)
{
	struct capture c;
	struct image img;
	char path[64];
	int rc;

	*mem = (struct guest_memory){ .host = malloc(MEMORY), .size = MEMORY };
	memset(mem->host, 0xaa, MEMORY);
	temp_file(path, f, len);
	capture_begin(&c, STDERR_FILENO);
	rc = image_open(&img, path, "t");
	if (rc == 0)
		rc = image_load_elf(&img, img.format == IMAGE_ELF64 ? &elf_class64 : &elf_class32,
				    mem, info, "t");
	*err = capture_end(&c);
	image_close(&img);
	unlink(path);
	return rc;
}

static void loads_segments_bss_entry_and_note(void **state)
{
	struct guest_memory mem;
	struct elf_info info;
	struct test_elf f;
	const char *err;
	uint8_t poison[16];

	(void)state;
	memset(poison, 0xaa, sizeof(poison));
	make_elf(&f);
	assert_int_equal(load(&f, sizeof(f), &mem, &info, &err), 0);
	assert_string_equal(err, "");
	assert_int_equal(info.entry, LOAD_AT + 4);
	assert_int_equal(info.features, MINI_KVM_FEATURE_IRQCHIP);
	assert_memory_equal(mem.host + LOAD_AT, f.code, 16);
	/* .bss is not written: the VMM's guest memory is zero already
	 * (test_memory: fresh_memory_is_zero), so the poison stays. */
	assert_memory_equal(mem.host + LOAD_AT + 16, poison, 16);
	assert_int_equal(mem.host[LOAD_AT + 32], 0xaa);
	free(mem.host);

	f.note.name[0] = 'M';		/* someone else's note: no features */
	assert_int_equal(load(&f, sizeof(f), &mem, &info, &err), 0);
	assert_int_equal(info.features, 0);
	free(mem.host);
}

/* Break one thing in a valid file; the loader must refuse it, saying WHY. */
static void expect_refused(const struct test_elf *f, size_t len, const char *why)
{
	struct guest_memory mem;
	struct elf_info info;
	const char *err;

	assert_int_equal(load(f, len, &mem, &info, &err), EX_DATAERR);
	if (!strstr(err, why))
		fail_msg("expected \"%s\" in: %s", why, err);
	free(mem.host);
}

static void refuses_malformed_files(void **state)
{
	struct test_elf f;

	(void)state;
	make_elf(&f);
	expect_refused(&f, offsetof(struct test_elf, ph) + 8, "program headers past the end");
	expect_refused(&f, offsetof(struct test_elf, code) + 8, "past the end of the file");
	f.eh.e_machine = EM_X86_64;
	expect_refused(&f, sizeof(f), "not a little-endian x86 (EM_386) file");
	make_elf(&f);
	f.eh.e_type = ET_DYN;
	expect_refused(&f, sizeof(f), "not an executable");
	make_elf(&f);
	f.eh.e_phnum = 0;
	expect_refused(&f, sizeof(f), "no usable program headers");
	make_elf(&f);
	f.eh.e_phoff = 0xfffffff0;	/* offset + size wraps in 32 bits */
	expect_refused(&f, sizeof(f), "program headers past the end");
	make_elf(&f);
	f.eh.e_entry = LOAD_AT + 32;	/* one past the segment */
	expect_refused(&f, sizeof(f), "the entry point is in no loaded segment");
}

static void refuses_bad_segments(void **state)
{
	struct test_elf f;

	(void)state;
	make_elf(&f);
	f.ph[0].p_filesz = 33;
	expect_refused(&f, sizeof(f), "segment 0 (0x10000-0x10020) has a file size larger");
	make_elf(&f);
	f.ph[0].p_paddr = MEMORY - 16;	/* straddles the end of memory */
	expect_refused(&f, sizeof(f), "does not fit in guest memory");
	make_elf(&f);
	f.ph[0].p_paddr = 0xfffffff0;	/* address + size wraps in 32 bits */
	expect_refused(&f, sizeof(f), "does not fit in guest memory");
	make_elf(&f);
	f.ph[0].p_paddr = BOOT_AREA_END - 16;
	expect_refused(&f, sizeof(f), "overlaps mini-kvm's boot area");
	make_elf(&f);
	f.eh.e_phnum = 3;		/* a second PT_LOAD over the first one's .bss */
	f.ph[2] = f.ph[0];
	f.ph[2].p_paddr = LOAD_AT + 24;
	expect_refused(&f, sizeof(f), "segment 2 (0x10018-0x10038) overlaps another segment");
}

int test_elf(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_segments_bss_entry_and_note),
		cmocka_unit_test(refuses_malformed_files),
		cmocka_unit_test(refuses_bad_segments),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
