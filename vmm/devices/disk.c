/*
 * disk: --disk FILE, the first guest's block device. The guest reads and
 * writes whole 512-byte sectors with HC_DISK_READ/HC_DISK_WRITE, which
 * disk_attach adds to its hypercall table; the file keeps them between
 * runs. Both the buffer and the sector number are checked before any I/O.
 * (A Linux kernel and a protected-mode guest also see each --disk as a
 * virtio-blk device: vmm/virtio/blk.c, on the same file.)
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "devices.h"

int disk_open(struct disk *d, const char *path, bool readonly, const char *who) {
	struct stat st;

	d->readonly = readonly;
	d->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	d->open = d->fd >= 0;
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
	if (d->open)
		close(d->fd);
	d->open = false, d->fd = -1;
}

/* One sector between guest memory (EBX) and sector ECX of the file. */
static struct run_result transfer(struct disk *d, struct kvm_regs *regs, bool write) {
	void *buf = guest_ptr(d->mem, HC_ARG1(regs), HC_SECTOR_SIZE);
	uint64_t sector = HC_ARG2(regs);
	off_t at = (off_t)(sector * HC_SECTOR_SIZE);
	ssize_t n;

	if (!buf) {
		regs->rax = HC_ERR_FAULT;
	} else if (sector >= d->sectors) {
		regs->rax = HC_ERR_RANGE;
	} else if (write && d->readonly) {
		regs->rax = HC_ERR_IO;
	} else {
		n = write ? pwrite(d->fd, buf, HC_SECTOR_SIZE, at)
			  : pread(d->fd, buf, HC_SECTOR_SIZE, at);
		regs->rax = n == HC_SECTOR_SIZE ? 1 : HC_ERR_IO;
	}
	return RUN_ON;
}

static struct run_result disk_read(void *disk, struct kvm_regs *regs) {
	return transfer(disk, regs, false);
}

static struct run_result disk_write(void *disk, struct kvm_regs *regs) {
	return transfer(disk, regs, true);
}

int disk_attach(struct disk *d, struct hypercalls *hc, struct guest_memory *mem) {
	d->mem = mem;
	return hypercall_add(hc, HC_DISK_READ, disk_read, d) ?:
	       hypercall_add(hc, HC_DISK_WRITE, disk_write, d);
}
