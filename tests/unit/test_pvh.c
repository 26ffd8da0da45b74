/* pvh: a vmlinux is told apart by its Xen PVH note, and only by it; the
 * core's note reader finds a note among others, and refuses a broken one. */
#include "helpers.h"

#include <elf.h>
#include <string.h>
#include <unistd.h>

#include <mini-kvm/boot.h>

#define ENTRY 0x1000123u

/* An ELF64 executable with a PT_LOAD and a PT_NOTE holding two notes: a
 * "GNU" one, then Xen's of TYPE (18: the PVH entry, a 64-bit address). */
struct test_vmlinux {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[2];
	struct __attribute__((packed)) { Elf64_Nhdr nh; char name[4]; uint32_t desc; } gnu;
	struct __attribute__((packed)) { Elf64_Nhdr nh; char name[4]; uint64_t entry; } xen;
	uint8_t code[16];
};

static void make_vmlinux(struct test_vmlinux *f, uint32_t type, const char *name)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->eh.e_ident, ELFMAG, SELFMAG);
	f->eh.e_ident[EI_CLASS] = ELFCLASS64;
	f->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f->eh.e_type = ET_EXEC, f->eh.e_machine = EM_X86_64, f->eh.e_entry = 0x100000;
	f->eh.e_phoff = offsetof(struct test_vmlinux, ph);
	f->eh.e_phentsize = sizeof(Elf64_Phdr), f->eh.e_phnum = 2;
	f->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = offsetof(struct test_vmlinux, code),
				 .p_paddr = 0x100000, .p_filesz = 16, .p_memsz = 16 };
	f->ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE,
				 .p_offset = offsetof(struct test_vmlinux, gnu),
				 .p_filesz = sizeof(f->gnu) + sizeof(f->xen) };
	f->gnu.nh = (Elf64_Nhdr){ .n_namesz = 4, .n_descsz = 4, .n_type = 3 };
	memcpy(f->gnu.name, "GNU", 4);
	f->xen.nh = (Elf64_Nhdr){ .n_namesz = 4, .n_descsz = 8, .n_type = type };
	memcpy(f->xen.name, name, 4);
	f->xen.entry = ENTRY;
}

/* pvh_detect on F: the answer, and the entry it found in *ENTRY. */
static bool detect(const struct test_vmlinux *f, size_t len, uint32_t *entry)
{
	struct image img;
	char path[64];
	bool found;

	temp_file(path, f, len);
	assert_int_equal(image_open(&img, path, "t"), 0);
	found = pvh_detect(&img, entry);
	image_close(&img);
	unlink(path);
	return found;
}

static void the_pvh_note_makes_a_vmlinux(void **state)
{
	struct test_vmlinux f;
	uint32_t entry = 0;

	(void)state;
	make_vmlinux(&f, 18, "Xen");
	assert_true(detect(&f, sizeof(f), &entry));
	assert_int_equal(entry, ENTRY);
}

/* Another Xen note, the right type under another name, a note cut short
 * by the end of its segment, a file cut before its notes: no vmlinux. */
static void anything_else_is_not_one(void **state)
{
	struct test_vmlinux f;
	uint32_t entry = 0;

	(void)state;
	make_vmlinux(&f, 17, "Xen");
	assert_false(detect(&f, sizeof(f), &entry));
	make_vmlinux(&f, 18, "Nex");
	assert_false(detect(&f, sizeof(f), &entry));
	make_vmlinux(&f, 18, "Xen");
	f.ph[1].p_filesz -= 8;				/* the descriptor runs past it */
	assert_false(detect(&f, sizeof(f), &entry));
	make_vmlinux(&f, 18, "Xen");
	assert_false(detect(&f, offsetof(struct test_vmlinux, xen), &entry));
	assert_int_equal(entry, 0);
}

/* A vmlinux in less memory than its boot area and memory map need: refused
 * before anything is written. */
static void too_little_memory_is_refused(void **state)
{
	struct test_vmlinux f;
	struct fake_guest g;
	struct linux_boot b;
	struct capture c;
	struct image img;
	char path[64];

	(void)state;
	make_vmlinux(&f, 18, "Xen");
	temp_file(path, &f, sizeof(f));
	fake_guest_init(&g, 4096);
	g.config.memory = 1 << 20;
	assert_int_equal(image_open(&img, path, "t"), 0);
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(linux_prepare(&g.g, &img, NULL, NULL, &b), EX_DATAERR);
	assert_non_null(strstr(capture_end(&c), "needs at least 2 MB of memory"));
	image_close(&img);
	unlink(path);
	fake_guest_free(&g);
}

int test_pvh(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_pvh_note_makes_a_vmlinux),
		cmocka_unit_test(anything_else_is_not_one),
		cmocka_unit_test(too_little_memory_is_refused),
	};
	return cmocka_run_group_tests_name("pvh", tests, NULL, NULL);
}
