/* fuzz_bzimage: any file as a Linux kernel -- the setup header parser, then
 * the loader (kernel, boot_params, e820, command line) into 32 MB of guest
 * memory, up to the KVM calls, which fail here (no VM). Nothing may crash,
 * read or write outside the file and guest memory, or hang. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>

#include "fuzz.h"

#define MEMORY (32u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static struct board_devices dev;
	static struct guest g;
	static struct guest_config config = { .memory = MEMORY };
	struct linux_boot b;
	struct image img = { .size = size };
	char why[200];

	img.head_len = size < sizeof(img.head) ? size : sizeof(img.head);
	memcpy(img.head, data, img.head_len);
	if (bzimage_parse(img.head, img.head_len, size, &b.kernel, why, sizeof(why)) < 0) {
		if (why[0] == '\0')
			abort();	/* every refusal says why */
		return 0;	/* linux_prepare would refuse it just the same */
	}
	fake_guest(&g, &dev, MEMORY);
	g.config = &config;
	img.fd = memfd_create("kernel", MFD_CLOEXEC);
	if (img.fd < 0 || write(img.fd, data, size) != (ssize_t)size)
		abort();
	if (linux_prepare(&g, &img, NULL, NULL, &b) == 0)
		linux_load(&g, &img, &b);	/* fails at the first KVM call */
	linux_finish(&b);
	close(img.fd);
	fake_guest_free(&g, &dev);
	return 0;
}
