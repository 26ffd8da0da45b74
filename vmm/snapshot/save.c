/*
 * save: --snapshot FILE. The file is made at start-up, unnamed
 * (O_TMPFILE) in FILE's folder, so that a folder we cannot write to is
 * said at once and a run that is never signalled leaves nothing behind.
 * On SIGUSR1 the vCPU thread stops between two exits and writes the guest
 * into it (snapshot_save, the program's guest_hooks.save); after the run,
 * the program gives it FILE's name in one step (link, then rename), so
 * FILE is never half-written.
 */
#define _GNU_SOURCE	/* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "snapshot.h"

int snapshot_file_open(const char *path, const char *who) {
	char folder[PATH_MAX];
	int fd;

	snprintf(folder, sizeof(folder), "%s", path);
	fd = open(dirname(folder), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_error(who, "--snapshot: cannot make a file in %s: %s", folder, strerror(errno));
		return -EX_CANTCREAT;
	}
	return fd;
}

/* Empty: no guest was saved into it (not signalled, or the save failed,
 * which said why). */
int snapshot_file_keep(int fd, const char *path, const char *who) {
	char proc[64], tmp[PATH_MAX];
	struct stat st;
	int rc = 0;

	if (fstat(fd, &st) < 0 || st.st_size == 0)
		goto out;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	if (fsync(fd) < 0 || linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) < 0 ||
	    rename(tmp, path) < 0) {
		log_error(who, "--snapshot: cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
		rc = EX_CANTCREAT;
		goto out;
	}
	log_error(who, "saved to %s: %.1f MB, of which %.1f MB on disk (guest memory that holds "
		  "only zeros is a hole)", path, st.st_size / 1048576.0, st.st_blocks * 512 / 1048576.0);
out:
	close(fd);
	return rc;
}

static int snapshot_fd(const struct guest *g) {
	for (int i = 0; i < g->files.count; i++)
		if (g->files.file[i].use == GUEST_FILE_SNAPSHOT)
			return g->files.file[i].fd;
	return -1;
}

int snapshot_save(struct guest *g) {
	struct snapshot s;
	int fd = snapshot_fd(g), rc;

	if (fd < 0) {
		log_error(g->name, "SIGUSR1: this guest has no --snapshot file");
		return EX_SOFTWARE;
	}
	snapshot_init(&s);
	rc = snapshot_save_cpu(&s, g) ?: snapshot_save_machine(&s, g);
	if (!rc && snapshot_write(&s, fd, &g->mem) < 0) {
		log_error(g->name, "snapshot: cannot write it: %s", strerror(errno));
		rc = EX_IOERR;
	}
	if (rc && ftruncate(fd, 0) < 0)	/* nothing half-written is kept */
		rc = EX_IOERR;
	snapshot_free(&s);
	return rc;
}
