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
	char copy[PATH_MAX], folder[PATH_MAX];
	struct stat st;

	if (!*path || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
		log_error(who, "--snapshot: '%s' is %s, not a file name", path,
			  *path ? "a folder" : "empty");
		return EX_USAGE;
	}
	snprintf(copy, sizeof(copy), "%s", path);
	snprintf(folder, sizeof(folder), "%s", dirname(copy));	/* (dirname may return "." ) */
	snprintf(f->tmp, sizeof(f->tmp), "%s.%d.tmp", path, (int)getpid());
	f->named = false;
	f->fd = open(folder, O_TMPFILE | O_RDWR | O_CLOEXEC, 0644);
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

/* Give the file PATH as its name: an unnamed one linked as FILE.PID.tmp
 * first, then renamed over PATH in one step. */
static int name_file(struct snapshot_file *f, const char *path) {
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", f->fd);
	if (!f->named && linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW) < 0)
		return -1;
	f->named = true;	/* TMP is ours now: removed if the rename fails */
	if (rename(f->tmp, path) < 0)
		return -1;
	f->named = false;
	return 0;
}

/* Empty: no guest was saved into it: not signalled, the save failed
 * (which said why), or, when ASKED, the guest had ended first. */
int snapshot_file_keep(struct snapshot_file *f, const char *path, bool asked, const char *who) {
	struct stat st;
	int rc = 0;

	if (fstat(f->fd, &st) < 0 || st.st_size == 0) {
		if (asked)
			log_error(who, "SIGUSR1: the guest had ended before it could be saved; "
				  "%s not written", path);
	} else if (fsync(f->fd) < 0 || name_file(f, path) < 0) {
		log_error(who, "--snapshot: cannot write %s: %s", path, strerror(errno));
		rc = EX_CANTCREAT;
	} else {
		log_error(who, "saved to %s: %.1f MB, of which %.1f MB on disk (guest memory that "
			  "holds only zeros is a hole)", path, st.st_size / 1048576.0,
			  st.st_blocks * 512 / 1048576.0);
	}
	if (f->named)
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
	if ((rc = snapshot_save_cpu(&s, g)) == 0) {
		snapshot_hold_devices(g, true);
		rc = snapshot_save_machine(&s, g);
		if (!rc && snapshot_write(&s, fd, &g->mem) < 0) {
			log_error(g->name, "snapshot: cannot write it: %s", strerror(errno));
			rc = EX_IOERR;
		}
		snapshot_hold_devices(g, false);
	}
	if (rc && ftruncate(fd, 0) < 0)	/* nothing half-written is kept */
		rc = EX_IOERR;
	snapshot_free(&s);
	return rc;
}
