/* image: format detection, and opening/loading files of every kind. */
#include "helpers.h"

#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>


static void detects_formats(void **state)
{
	uint8_t elf32[EI_NIDENT] = { 0x7f, 'E', 'L', 'F', ELFCLASS32 };
	uint8_t elf64[EI_NIDENT] = { 0x7f, 'E', 'L', 'F', ELFCLASS64 };
	uint8_t bad_class[EI_NIDENT] = { 0x7f, 'E', 'L', 'F', 7 };
	uint8_t flat[] = { 0xf4 };

	(void)state;
	assert_int_equal(image_detect(elf32, sizeof(elf32)), IMAGE_ELF32);
	assert_int_equal(image_detect(elf64, sizeof(elf64)), IMAGE_ELF64);
	assert_int_equal(image_detect(bad_class, sizeof(bad_class)), IMAGE_ELF_INVALID);
	assert_int_equal(image_detect(elf32, 4), IMAGE_ELF_INVALID);	/* no class byte */
	assert_int_equal(image_detect(elf32, 3), IMAGE_FLAT);		/* not the magic */
	assert_int_equal(image_detect(flat, sizeof(flat)), IMAGE_FLAT);
	assert_int_equal(image_detect(flat, 0), IMAGE_FLAT);
}

static int open_quietly(struct image *img, const char *path, const char **err)
{
	struct capture c;
	int rc;

	capture_begin(&c, STDERR_FILENO);
	rc = image_open(img, path, "t");
	*err = capture_end(&c);
	return rc;
}

static void refuses_bad_files(void **state)
{
	char path[64];
	struct image img;
	const char *err;

	(void)state;
	assert_int_equal(open_quietly(&img, "/nonexistent/x.bin", &err), EX_NOINPUT);
	assert_non_null(strstr(err, "t: cannot open image '/nonexistent/x.bin'"));
	assert_int_equal(open_quietly(&img, "/tmp", &err), EX_NOINPUT);
	assert_non_null(strstr(err, "not a regular file"));
	temp_file(path, "", 0);
	assert_int_equal(open_quietly(&img, path, &err), EX_DATAERR);
	assert_non_null(strstr(err, "is empty"));
	unlink(path);
}

static void loads_flat_up_to_memory_size(void **state)
{
	static uint8_t content[8192];
	struct guest_memory mem = { .host = calloc(1, 8192), .size = 8192 };
	struct image img;
	struct capture c;
	const char *err;
	char path[64];

	(void)state;
	for (size_t i = 0; i < sizeof(content); i++)
		content[i] = (uint8_t)(i * 7);
	temp_file(path, content, sizeof(content));	/* exactly the memory size */
	assert_int_equal(open_quietly(&img, path, &err), 0);
	assert_int_equal(img.format, IMAGE_FLAT);
	assert_int_equal(image_load_flat(&img, &mem, "t"), 0);
	assert_memory_equal(mem.host, content, sizeof(content));
	image_close(&img);
	unlink(path);

	temp_file(path, content, sizeof(content));	/* one byte too many */
	assert_int_equal(open_quietly(&img, path, &err), 0);
	mem.size = 8191;
	capture_begin(&c, STDERR_FILENO);
	assert_int_equal(image_load_flat(&img, &mem, "t"), EX_DATAERR);
	assert_non_null(strstr(capture_end(&c), "larger than the 8191 bytes"));
	image_close(&img);
	unlink(path);
	free(mem.host);
}

int test_image(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(detects_formats),
		cmocka_unit_test(refuses_bad_files),
		cmocka_unit_test(loads_flat_up_to_memory_size),
	};
	return cmocka_run_group_tests_name("image", tests, NULL, NULL);
}
