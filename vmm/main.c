/*
 * mini-kvm: run guest programs in KVM virtual machines.
 *
 * The start-up steps, in order:
 *   1. parse the command line                        (options.c)
 *   2. name each guest and give it a console          (console.c)
 *   3. open /dev/kvm once, check version and caps     (kvm.c)
 *   4. start one thread per guest: it loads the image, creates the VM, its
 *      memory and vCPU, sets the CPU mode and runs the exit loop
 *                                                     (guest.c, vcpu.c)
 *   5. wait for all guests, enforcing --timeout       (guest.c)
 *   6. print --stats, exit with the first non-zero status (stats.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest.h"
#include "log.h"
#include "options.h"
#include "stats.h"
#include "vcpu.h"

/* Colour prefixes only for a terminal, and never against the user's wish
 * (NO_COLOR set and not empty: https://no-color.org). */
static bool use_color(const struct options *opts)
{
	const char *no_color = getenv("NO_COLOR");

	return !opts->no_color && !(no_color && *no_color) && isatty(STDOUT_FILENO);
}

/* The same image twice on one command line: "hello" and "hello#2". */
static void make_name_unique(struct guest *guests, int i)
{
	char *name = guests[i].name;
	size_t len = strlen(name);

	for (int j = 0; j < i; j++) {
		if (strcmp(guests[j].name, name) == 0) {
			snprintf(name + len, sizeof(guests[i].name) - len, "#%d", i + 1);
			return;
		}
	}
}

/* Step 2. Only the first guest reads stdin; the others see end of input. */
static void guests_init(struct guest *guests, const struct options *opts,
			const struct kvm *kvm, struct input *stdin_input)
{
	bool prefixed = opts->image_count > 1, color = use_color(opts);

	for (int i = 0; i < opts->image_count; i++) {
		struct guest *g = &guests[i];

		g->image_path = opts->images[i];
		guest_name_from_path(g->name, sizeof(g->name), g->image_path);
		make_name_unique(guests, i);
		g->config = &opts->guest;
		g->kvm = kvm;
		g->input = i == 0 ? stdin_input : NULL;
		console_init(&g->console, STDOUT_FILENO, g->name, prefixed,
			     color ? 31 + i % 6 : 0);
	}
}

/* One guest: its status. Several: the first non-zero, in command-line order. */
static int exit_status(const struct guest *guests, int count)
{
	for (int i = 0; i < count; i++)
		if (guests[i].status != 0)
			return guests[i].status;
	return 0;
}

int main(int argc, char **argv)
{
	static struct input stdin_input;
	struct options opts;
	struct guest *guests;
	struct kvm kvm;
	char why[256];
	int status;

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
	vcpu_kick_setup();
	for (int i = 0; i < opts.image_count; i++)
		guest_start(&guests[i]);
	guests_wait(guests, opts.image_count, opts.guest.timeout);

	if (opts.stats)
		for (int i = 0; i < opts.image_count; i++)
			stats_print(&guests[i]);
	status = exit_status(guests, opts.image_count);
	kvm_close(&kvm);
	free(guests);
	return status;
}
