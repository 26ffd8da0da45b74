/*
 * disk: --disk FILE, the first guest's block device. The guest reads and
 * writes whole 512-byte sectors with HC_DISK_READ/HC_DISK_WRITE; the file
 * keeps them between runs. hypercall.c checks every sector range against
 * the size taken here.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm.h"

int disk_open(struct disk *d, const char *path, const char *who) {
	struct stat st;

	d->fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->fd < 0) {
		log_error(who, "cannot open disk '%s': %s", path, strerror(errno));
		return EX_NOINPUT;
	}
	if (fstat(d->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    st.st_size % HC_SECTOR_SIZE) {
		log_error(who, "disk '%s' must be a regular file of whole %d-byte sectors",
			  path, HC_SECTOR_SIZE);
		disk_close(d);
		return EX_DATAERR;
	}
	d->sectors = (uint64_t)st.st_size / HC_SECTOR_SIZE;
	return 0;
}

void disk_close(struct disk *d) {
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
