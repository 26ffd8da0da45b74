/*
 * image: guest image files. A flat binary is the original Mini-KVM's format:
 * the file's bytes at guest-physical 0, entered in real mode. ELF files are
 * recognised by their e_ident magic and class (System V ABI, "ELF Header");
 * a board may recognise more in the file's head (a Linux kernel: vmm/linux).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "log.h"

enum image_format image_detect(const uint8_t *head, size_t len) {
	if (len < SELFMAG || memcmp(head, ELFMAG, SELFMAG) != 0)
		return IMAGE_FLAT;
	if (len > EI_CLASS && head[EI_CLASS] == ELFCLASS32)
		return IMAGE_ELF32;
	if (len > EI_CLASS && head[EI_CLASS] == ELFCLASS64)
		return IMAGE_ELF64;
	return IMAGE_ELF_INVALID;
}

int read_exact(int fd, void *dst, uint64_t len, uint64_t offset) {
	for (uint64_t done = 0; done < len;) {
		ssize_t n = pread(fd, (uint8_t *)dst + done, len - done, (off_t)(offset + done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			errno = n < 0 ? errno : EIO;
			return -1;
		}
		done += (uint64_t)n;
	}
	return 0;
}

/* Refuse what is not a non-empty regular file; read the format from its head. */
int image_open(struct image *img, const char *path, const char *who) {
	struct stat st;
	ssize_t n;
	int rc = EX_NOINPUT;

	img->path = path;
	img->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (img->fd < 0) {
		log_error(who, "cannot open image '%s': %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(img->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_error(who, "image '%s' is not a regular file", path);
	} else if (st.st_size == 0) {
		log_error(who, "image '%s' is empty", path);
		rc = EX_DATAERR;
	} else if ((n = pread(img->fd, img->head, sizeof(img->head), 0)) < 0) {
		log_error(who, "cannot read image '%s': %s", path, strerror(errno));
	} else {
		img->size = (uint64_t)st.st_size;
		img->head_len = (size_t)n;
		img->format = image_detect(img->head, img->head_len);
		return 0;
	}
	image_close(img);
	return rc;
}

void image_close(struct image *img) {
	if (img->fd >= 0)
		close(img->fd);
	img->fd = -1;
}

int image_load_flat(const struct image *img, struct guest_memory *mem, const char *who) {
	uint8_t *dst = guest_ptr(mem, 0, img->size);

	if (!dst) {
		log_error(who, "image is %llu bytes, larger than the %llu bytes of guest memory "
			  "(see -m)", (unsigned long long)img->size, (unsigned long long)mem->size);
		return EX_DATAERR;
	}
	if (read_exact(img->fd, dst, img->size, 0) < 0) {
		log_error(who, "cannot read image: %s", errno == EIO ? "file shrank" : strerror(errno));
		return EX_NOINPUT;
	}
	return 0;
}
