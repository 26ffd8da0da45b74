/* bzimage: the setup header parser against good and malformed kernels. */
#include <stddef.h>
#include <string.h>

#include "helpers.h"

#define SETUP_SECTS 4
#define KERNEL_BYTES 4096

/* The first LINUX_HEADER_END bytes of a small, valid 64-bit bzImage. */
static void good_head(uint8_t head[LINUX_HEADER_END])
{
	struct setup_header h = {
		.setup_sects = SETUP_SECTS, .boot_flag = 0xaa55, .header = 0x53726448,
		.version = 0x020f, .loadflags = LOADED_HIGH, .xloadflags = XLF_KERNEL_64,
		.syssize = KERNEL_BYTES / 16, .init_size = 0x800000, .cmdline_size = 2047,
		.relocatable_kernel = 1, .kernel_alignment = 0x200000,
		.initrd_addr_max = 0x7fffffff, .pref_address = 0x1000000,
	};

	memset(head, 0, LINUX_HEADER_END);
	memcpy(head + 0x1f1, &h, sizeof(h));
	head[0x201] = 0x6a;	/* the JMP over the header: it ends at 0x26c */
}

static const uint64_t good_size = (SETUP_SECTS + 1) * 512 + KERNEL_BYTES;

/* Parse HEAD as a file of SIZE bytes; "" if it passes, else the reason. */
static const char *parse(const uint8_t *head, uint64_t size, struct linux_kernel *k)
{
	static char why[200];

	why[0] = '\0';
	if (bzimage_parse(head, LINUX_HEADER_END, size, k, why, sizeof(why)) == 0)
		return "";
	assert_true(why[0] != '\0');	/* a failure always says why */
	return why;
}

static void reads_a_good_header(void **state)
{
	uint8_t head[LINUX_HEADER_END];
	struct linux_kernel k;

	(void)state;
	good_head(head);
	assert_true(bzimage_detect(head, sizeof(head)));
	assert_string_equal(parse(head, good_size, &k), "");
	assert_int_equal(k.setup_size, (SETUP_SECTS + 1) * 512);
	assert_int_equal(k.kernel_size, KERNEL_BYTES);
	assert_int_equal(k.header_end, 0x26c);
	assert_int_equal(k.hdr.cmdline_size, 2047);
	head[0x1f1] = 0;	/* setup_sects 0 means 4 */
	assert_string_equal(parse(head, good_size, &k), "");
	assert_int_equal(k.setup_size, 5 * 512);
}

static void detects_only_bzimages(void **state)
{
	uint8_t head[LINUX_HEADER_END];

	(void)state;
	good_head(head);
	assert_false(bzimage_detect(head, 0x205));		/* too short to tell */
	head[0x203] = 'X';					/* not "HdrS" */
	assert_false(bzimage_detect(head, sizeof(head)));
	good_head(head);
	head[0x1fe] = 0;					/* no boot flag */
	assert_false(bzimage_detect(head, sizeof(head)));
	assert_int_equal(image_detect(head, sizeof(head)), IMAGE_FLAT);
	good_head(head);
	assert_true(bzimage_detect(head, sizeof(head)));
	assert_int_equal(image_detect(head, sizeof(head)), IMAGE_FLAT);	/* the core's view */
}

/* Each field a loader would trust, broken in turn. */
static void refuses_bad_headers(void **state)
{
	uint8_t head[LINUX_HEADER_END];
	struct linux_kernel k;
	struct setup_header *h = (struct setup_header *)(head + 0x1f1);

	(void)state;
	good_head(head);
	assert_string_equal(parse(head, 0x200, &k), "truncated: 512 bytes, less than the 656 "
			    "of the setup header");
	h->version = 0x0208;
	assert_string_equal(parse(head, good_size, &k), "boot protocol 2.08 is too old: mini-kvm "
			    "needs 2.12 or later (the 64-bit entry point)");
	good_head(head);
	h->xloadflags = 0;
	assert_string_equal(parse(head, good_size, &k),
			    "not a 64-bit kernel (XLF_KERNEL_64 is not set in xloadflags)");
	good_head(head);
	h->loadflags = 0;
	assert_string_equal(parse(head, good_size, &k),
			    "a zImage (LOADED_HIGH is not set): only bzImages load at 1 MB");
	good_head(head);
	head[0x201] = 0x20;	/* the header would end before init_size */
	assert_string_equal(parse(head, good_size, &k),
			    "the setup header's length (the byte at 0x201) is out of range");
	head[0x201] = 0xff;	/* past the room boot_params has for it */
	assert_string_equal(parse(head, good_size, &k),
			    "the setup header's length (the byte at 0x201) is out of range");
	good_head(head);
	h->init_size = 0;
	assert_string_equal(parse(head, good_size, &k), "init_size or cmdline_size is 0");
	good_head(head);
	h->pref_address = 1ull << 40;	/* would also make pref_address + init_size wrap */
	assert_string_equal(parse(head, good_size, &k), "pref_address is above 4 GB");
	good_head(head);
	h->kernel_alignment = 0x300000;
	assert_string_equal(parse(head, good_size, &k), "kernel_alignment is not a power of two");
}

static void refuses_truncated_kernels(void **state)
{
	uint8_t head[LINUX_HEADER_END];
	struct linux_kernel k;

	(void)state;
	good_head(head);
	assert_string_equal(parse(head, good_size - 1, &k), "truncated: the kernel needs 4096 "
			    "bytes after 2560 of setup code, the file has 4095");
	assert_string_equal(parse(head, 2000, &k), "truncated: the kernel needs 4096 bytes "
			    "after 2560 of setup code, the file has 0");
	head[0x1f1] = 200;	/* setup sectors past the end of the file */
	assert_string_equal(parse(head, good_size, &k), "truncated: the kernel needs 4096 bytes "
			    "after 102912 of setup code, the file has 0");
}

int test_bzimage(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_good_header),
		cmocka_unit_test(detects_only_bzimages),
		cmocka_unit_test(refuses_bad_headers),
		cmocka_unit_test(refuses_truncated_kernels),
	};

	return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
