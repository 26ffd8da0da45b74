/*
 * mini-kvm: run guest programs in KVM virtual machines. The start-up steps:
 *   1. parse the command line                          options.c
 *   2. name each guest, give it a console and a board
 *      configuration, the hooks and the boards         here
 *   3. open /dev/kvm once, check version and caps       core/kvm.c
 *      (--gdb: listen, for the first guest)            gdb/stub.c
 *   4. one thread per guest: image, board (memory, VM,
 *      vCPU, devices), then the exit loop              core/guest.c, core/vcpu.c
 *   5. wait for every guest, enforcing --timeout and
 *      stopping all on SIGINT/SIGTERM                  core/supervisor.c
 *   6. --stats, then the exit status                    stats.c
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "gdb/gdb.h"
#include "host/host.h"
#include "program.h"
#include "snapshot/snapshot.h"

/* Tried in this order: the first board that claims an image runs it.
 * --restore: only a snapshot, which no other board could run. */
static const struct board *const boards[] = { &board_linux, &board_long, &board_protected,
					       &board_real, NULL };
static const struct board *const restore_boards[] = { &board_snapshot, NULL };

/* "guests/real/hello.bin" -> "hello" */
void guest_name_from_path(char *name, size_t size, const char *path) {
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base && base[1] ? base + 1 : path;
	dot = strrchr(base, '.');
	snprintf(name, size, "%.*s", (int)(dot && dot != base ? dot - base : (long)strlen(base)),
		 base);
}

/* Colour only on a terminal, and never against the user's wish
 * (NO_COLOR set and not empty: https://no-color.org). */
static bool use_color(const struct options *opts) {
	const char *no_color = getenv("NO_COLOR");

	return !opts->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
}

/* What the program plugs into every guest's life (core/guest.h). */
static struct guest_hooks hooks_for(const struct options *opts) {
	return (struct guest_hooks){ .confine = opts->no_seccomp ? NULL : seccomp_confine,
				     .diagnose = host_cannot_run,
				     .trace = opts->verbose ? trace_exit : NULL,
				     .save = opts->snapshot ? snapshot_save : NULL };
}

/* Step 2. Only the first guest reads stdin and has the --disk; the others
 * see end of input and no disk (BOARD[1]). The same image twice gets the
 * names "hello" and "hello#2". */
static void guests_init(struct guest *guests, const struct options *opts,
			const struct board_config board[2], const struct guest_hooks *hooks,
			const struct kvm *kvm, struct input *stdin_input) {
	bool color = use_color(opts);

	for (int i = 0; i < opts->image_count; i++) {
		struct guest *g = &guests[i];

		*g = (struct guest){ .image_path = opts->images[i], .config = &opts->guest,
				     .board_config = &board[i > 0],
				     .boards = opts->restore[0] ? restore_boards : boards,
				     .hooks = hooks, .kvm = kvm,
				     .input = i == 0 ? stdin_input : NULL,
				     .supervisor = pthread_self() };
		guest_name_from_path(g->name, sizeof(g->name), g->image_path);
		for (int j = 0; j < i; j++) {
			size_t len = strlen(g->name);

			if (strcmp(guests[j].name, g->name) == 0)
				snprintf(g->name + len, sizeof(g->name) - len, "#%d", i + 1);
		}
		console_init(&g->console, STDOUT_FILENO, g->name, opts->image_count > 1,
			     color ? 31 + i % 6 : 0);
	}
}

/* Step 4's precondition. SIGINT, SIGTERM and GUEST_DONE_SIGNAL are blocked
 * here (and with --snapshot, GUEST_SAVE_SIGNAL: SIGUSR1), before any
 * thread exists, so every thread inherits the mask and
 * only the supervisor takes them, with sigtimedwait. A closed stdout must
 * not kill us: SIGPIPE is ignored and the write fails instead. */
static void block_supervisor_signals(sigset_t *signals, bool save) {
	sigemptyset(signals);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, GUEST_DONE_SIGNAL);
	if (save)	/* --snapshot */
		sigaddset(signals, GUEST_SAVE_SIGNAL);
	pthread_sigmask(SIG_BLOCK, signals, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A standard stream closed by our caller must stay closed in effect: if
 * fd 1 were free, /dev/kvm could get it and guest output would go there.
 * Each closed one becomes /dev/null opened read-only: reads see the end,
 * writes fail with EBADF (and a guest writing to it is stopped, exit 74). */
static void hold_standard_fds(void) {
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", O_RDONLY) != fd)
			_exit(EX_OSERR);
}

/* --snapshot FILE: the guest's file, made now, unnamed; its disks by
 * their absolute paths, which a restore elsewhere can open. */
static struct snapshot_file saved_to;

static int snapshot_file_for(struct guest *g, const char *path) {
	static char absolute[BOARD_DISKS_MAX][PATH_MAX];
	struct board_config *c = (struct board_config *)g->board_config;
	int rc;

	for (int i = 0; i < c->disk_count; i++) {
		if (realpath(c->disks[i].path, absolute[i]))
			c->disks[i].path = absolute[i];
		if (strlen(c->disks[i].path) >= SNAPSHOT_PATH_MAX) {
			log_error(g->name, "--snapshot: the disk path '%s' is too long to save "
				  "(at most %d bytes)", c->disks[i].path, SNAPSHOT_PATH_MAX - 1);
			return EX_USAGE;
		}
	}
	if ((rc = snapshot_file_open(&saved_to, path, g->name)))
		return rc;
	return guest_add_file(g, saved_to.fd, GUEST_FILE_SNAPSHOT);	/* (the first: it fits) */
}

/* After the run: FILE gets its name if the guest was saved into it. */
static int snapshot_file_done(struct guest *g, const char *path, int stopped_by) {
	bool asked = stopped_by == GUEST_SAVE_SIGNAL && g->status == 0;

	if (!asked && ftruncate(saved_to.fd, 0) < 0)	/* (not to be kept) */
		log_error(g->name, "--snapshot: %s", strerror(errno));
	return snapshot_file_keep(&saved_to, path, asked, g->name);
}

/* Steps 3 to 6, once the guests are named. */
static int run(struct guest *guests, const struct options *opts, struct kvm *kvm) {
	static struct gdb debugger;	/* --gdb: for the first guest */
	sigset_t signals;
	char why[256];
	int status = 0, stopped_by;

	if (opts->restore[0] && (status = snapshot_check_file(opts->restore[0], guests[0].name)))
		return status;	/* a bad file is said as such, with KVM or without */
	if ((status = kvm_open(kvm, why, sizeof(why))) != 0) {
		for (int i = 0; i < opts->image_count; i++)
			log_error(guests[i].name, "%s", why);
		return status;
	}
	if (opts->gdb) {	/* now, so that a port in use is said at once */
		if ((status = gdb_listen(&debugger, opts->gdb, guests[0].name)) != 0)
			return status;
		guests[0].debug = &debugger.hook;
	}
	if (opts->snapshot && (status = snapshot_file_for(&guests[0], opts->snapshot)) != 0)
		return status;
	vcpu_kick_setup();
	seccomp_report_setup();
	block_supervisor_signals(&signals, opts->snapshot);
	for (int i = 0; i < opts->image_count; i++)
		guest_start(&guests[i]);
	stopped_by = guests_wait(guests, opts->image_count, opts->guest.timeout, &signals);
	if (opts->snapshot)
		status = snapshot_file_done(&guests[0], opts->snapshot, stopped_by);
	if (stopped_by == GUEST_SAVE_SIGNAL)
		stopped_by = 0;	/* saved: the guest's status, 0 if all went well */

	/* Step 6. One guest: its status; several: the first non-zero one. */
	for (int i = 0; i < opts->image_count; i++) {
		if (opts->stats)
			stats_print(&guests[i]);
		if (status == 0)
			status = guests[i].status;
	}
	return stopped_by ? EXIT_SIGNAL_BASE + stopped_by : status;
}

int main(int argc, char **argv) {
	static struct input stdin_input;
	struct board_config board[2];
	struct guest_hooks hooks;
	struct options opts;
	struct guest *guests;
	struct kvm kvm = { .fd = -1 };
	sigset_t save;
	int status;

	hold_standard_fds();
	/* One malloc arena for every thread: glibc's per-thread arenas read
	 * /proc/sys/vm/overcommit_memory when they shrink, and a confined
	 * guest thread may not open files (the main arena shrinks with brk). */
	mallopt(M_ARENA_MAX, 1);
	/* SIGUSR1 saves a guest (--snapshot), at any moment: blocked from the
	 * start, so that one sent while we start up waits for the supervisor
	 * instead of ending the process. Without --snapshot it stays ignored. */
	sigemptyset(&save);
	sigaddset(&save, GUEST_SAVE_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &save, NULL);
	switch (options_parse(argc, argv, &opts)) {
	case OPTIONS_DONE: return 0;
	case OPTIONS_BAD: return EX_USAGE;
	case OPTIONS_RUN: break;
	}
	log_verbose_enabled = opts.verbose;
	guests = calloc((size_t)opts.image_count, sizeof(*guests));
	if (!guests) {
		log_error(NULL, "out of memory");
		return EX_OSERR;
	}
	board[0] = opts.board;
	board[1] = (struct board_config){ .initrd = opts.board.initrd,	/* and no disk */
					  .append = opts.board.append, .balloon = opts.board.balloon };
	hooks = hooks_for(&opts);
	input_init(&stdin_input, STDIN_FILENO);
	guests_init(guests, &opts, board, &hooks, &kvm, &stdin_input);
	status = run(guests, &opts, &kvm);
	kvm_close(&kvm);
	free(guests);
	return status;
}
