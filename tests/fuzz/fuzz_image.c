/* fuzz_image: any file as an image -- format detection, then the flat or
 * the ELF (32 and 64) loader into 1 MB of guest memory. Nothing may crash, read or
 * write outside the file and the guest memory, or hang. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>

#include "fuzz.h"

#define MEMORY (1u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	static uint8_t *memory;
	struct guest_memory mem;
	struct elf_info info;
	struct image img;

	if (!memory)
		memory = malloc(MEMORY);
	mem = (struct guest_memory){ .host = memory, .size = MEMORY };
	img.fd = memfd_create("image", MFD_CLOEXEC);
	if (img.fd < 0 || write(img.fd, data, size) != (ssize_t)size)
		abort();
	img.size = size;
	img.format = image_detect(data, size);
	if (img.format == IMAGE_FLAT)
		image_load_flat(&img, &mem, "fuzz");
	else if ((img.format == IMAGE_ELF32 || img.format == IMAGE_ELF64) &&
		 image_load_elf(&img, img.format == IMAGE_ELF64 ? &elf_class64 : &elf_class32, &mem,
				&info, "fuzz") == 0 &&
		 !guest_ptr(&mem, info.entry, 1))
		abort();	/* a loaded image's entry must be in guest memory */
	close(img.fd);
	return 0;
}
