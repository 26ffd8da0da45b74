/*
 * mini-kvm: run guest programs in KVM virtual machines. The start-up steps:
 *   1. parse the command line                          options.c
 *   2. name each guest, give it a console               console.c
 *   3. open /dev/kvm once, check version and caps       kvm.c
 *      (--gdb: listen, for the first guest)            gdb.c
 *   4. one thread per guest: image, memory, VM, vCPU,
 *      CPU mode, devices, then the exit loop            guest.c, vcpu.c
 *   5. wait for every guest, enforcing --timeout and
 *      stopping all on SIGINT/SIGTERM                  guest.c
 *   6. --stats, then the exit status                    stats.c
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gdb.h"

/* Colour only on a terminal, and never against the user's wish
 * (NO_COLOR set and not empty: https://no-color.org). */
static bool use_color(const struct options *opts) {
	const char *no_color = getenv("NO_COLOR");

	return !opts->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
}

/* Step 2. Only the first guest reads stdin and has the --disk; the others
 * see end of input and no disk.
 * The same image twice gets the names "hello" and "hello#2". */
static void guests_init(struct guest *guests, const struct options *opts,
			const struct kvm *kvm, struct input *stdin_input) {
	bool color = use_color(opts);

	for (int i = 0; i < opts->image_count; i++) {
		struct guest *g = &guests[i];

		*g = (struct guest){ .image_path = opts->images[i], .config = &opts->guest,
				     .kvm = kvm, .input = i == 0 ? stdin_input : NULL,
				     .disk_path = i == 0 ? opts->guest.disk : NULL,
				     .disk = { .fd = -1 }, .supervisor = pthread_self() };
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
 * here, before any thread exists, so every thread inherits the mask and
 * only the supervisor takes them, with sigtimedwait (guest.c). A closed
 * stdout must not kill us: SIGPIPE is ignored and the write fails instead. */
static void block_supervisor_signals(sigset_t *signals) {
	sigemptyset(signals);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, GUEST_DONE_SIGNAL);
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

int main(int argc, char **argv) {
	static struct input stdin_input;
	static struct gdb debugger;	/* --gdb: for the first guest */
	struct options opts;
	struct guest *guests;
	struct kvm kvm;
	sigset_t signals;
	char why[256];
	int status = 0, stopped_by;

	hold_standard_fds();
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
	input_init(&stdin_input, STDIN_FILENO);
	guests_init(guests, &opts, &kvm, &stdin_input);
	if ((status = kvm_open(&kvm, why, sizeof(why))) != 0) {
		for (int i = 0; i < opts.image_count; i++)
			log_error(guests[i].name, "%s", why);
		free(guests);
		return status;
	}
	if (opts.guest.gdb) {	/* now, so that a port in use is said at once */
		if ((status = gdb_listen(&debugger, opts.guest.gdb, guests[0].name)) != 0) {
			kvm_close(&kvm);
			free(guests);
			return status;
		}
		guests[0].gdb = &debugger;
	}
	vcpu_kick_setup();
	seccomp_report_setup();
	block_supervisor_signals(&signals);
	for (int i = 0; i < opts.image_count; i++)
		guest_start(&guests[i]);
	stopped_by = guests_wait(guests, opts.image_count, opts.guest.timeout, &signals);

	/* Step 6. One guest: its status; several: the first non-zero one. */
	for (int i = 0; i < opts.image_count; i++) {
		if (opts.stats)
			stats_print(&guests[i]);
		if (status == 0)
			status = guests[i].status;
	}
	kvm_close(&kvm);
	free(guests);
	return stopped_by ? EXIT_SIGNAL_BASE + stopped_by : status;
}
