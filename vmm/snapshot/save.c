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

/* Unnamed (O_TMPFILE) where the file system can; else (overlayfs before
 * Linux 6.6) a named FILE.PID.tmp, removed if never used. */
int snapshot_file_open(struct snapshot_file *f, const char *path, const char *who) {
	char folder[PATH_MAX];

	snprintf(folder, sizeof(folder), "%s", path);
	snprintf(f->tmp, sizeof(f->tmp), "%s.%d.tmp", path, (int)getpid());
	f->named = false;
	f->fd = open(dirname(folder), O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
	if (f->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR)) {
		f->named = true;
		f->fd = open(f->tmp, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0644);
	}
	if (f->fd < 0) {
		log_error(who, "--snapshot: cannot make a file in %s: %s", folder, strerror(errno));
		return EX_CANTCREAT;
	}
	return 0;
}

/* Empty: no guest was saved into it (not signalled, or the save failed,
 * which said why). */
int snapshot_file_keep(struct snapshot_file *f, const char *path, const char *who) {
	char proc[64];
	struct stat st;
	int rc = 0;

	if (fstat(f->fd, &st) < 0 || st.st_size == 0)
		goto out;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	if (fsync(f->fd) < 0 || (!f->named && linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp,
						      AT_SYMLINK_FOLLOW) < 0) ||
	    rename(f->tmp, path) < 0) {
		log_error(who, "--snapshot: cannot write %s: %s", path, strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	f->named = false;	/* it is PATH now */
	log_error(who, "saved to %s: %.1f MB, of which %.1f MB on disk (guest memory that holds "
		  "only zeros is a hole)", path, st.st_size / 1048576.0, st.st_blocks * 512 / 1048576.0);
out:
	if (f->named || rc)
		unlink(f->tmp);
	close(f->fd);
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
