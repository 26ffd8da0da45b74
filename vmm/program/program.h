/*
 * program.h: mini-kvm the program, on top of every layer: the command line
 * (options.c), the start-up steps and the exit status (main.c), --stats
 * (stats.c), --verbose's trace of each exit (trace.c).
 */
#ifndef PROGRAM_PROGRAM_H
#define PROGRAM_PROGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "boards/board.h"
#include "core/guest.h"

#define GUESTS_MAX 64		/* threads, VMs and file descriptors stay bounded */

/* options.c */
struct options {
	struct guest_config guest;	/* the core's part */
	struct board_config board;	/* the boards' part (--disk: the first guest's) */
	const char *gdb;		/* --gdb PORT|PATH: debug the first guest */
	const char *snapshot;		/* --snapshot FILE: save the guest there on SIGUSR1 */
	char *restore[1];		/* --restore FILE: the one "image" */
	bool no_seccomp;		/* --no-seccomp: for valgrind and debuggers */
	bool verbose, stats, no_color;
	int image_count;
	char **images;
};
enum options_result { OPTIONS_RUN, OPTIONS_DONE, OPTIONS_BAD };
enum options_result options_parse(int argc, char **argv, struct options *opts);
int parse_size(const char *text, uint64_t *bytes);

/* main.c */
void guest_name_from_path(char *name, size_t size, const char *path);

/* stats.c */
void stats_print(const struct guest *g);

/* trace.c */
void trace_exit(struct guest *g, const struct vcpu *v);	/* a guest_hooks.trace */

#endif
