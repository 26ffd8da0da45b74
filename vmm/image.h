/* image: open a guest image, tell its format, load it into guest memory. */
#ifndef IMAGE_H
#define IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "memory.h"

enum image_format {
	IMAGE_FLAT,		/* raw 16-bit real-mode code, loaded at 0 */
	IMAGE_ELF32,		/* protected mode (not supported by this build) */
	IMAGE_ELF64,		/* long mode (not supported by this build) */
	IMAGE_ELF_INVALID,	/* ELF magic, but no valid class */
};

struct image {
	int fd;
	uint64_t size;
	enum image_format format;
};

/* Tell the format from the first LEN bytes of a file. */
enum image_format image_detect(const uint8_t *head, size_t len);
const char *image_format_name(enum image_format format);

/* Open PATH, refuse what is not a non-empty regular file, detect the format.
 * 0, EX_NOINPUT (cannot open) or EX_DATAERR (bad image), after logging. */
int image_open(struct image *img, const char *path, const char *who);
void image_close(struct image *img);

/* Copy a flat image to guest address 0. 0 or EX_DATAERR (too large) /
 * EX_NOINPUT (read error), after logging. */
int image_load_flat(const struct image *img, struct guest_memory *mem,
		    const char *who);

#endif
