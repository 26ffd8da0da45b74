/* options: the command line (DESIGN.md section 3), parsed without side effects. */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "guest.h"

#define MINI_KVM_VERSION "0.1.0"

struct options {
	struct guest_config guest;
	bool verbose, stats, no_color;
	int image_count;
	char **images;
};

enum options_result {
	OPTIONS_RUN,		/* run the images */
	OPTIONS_DONE,		/* --help or --version was printed: exit 0 */
	OPTIONS_BAD,		/* a usage error was printed: exit EX_USAGE */
};

/* Parse ARGV. Help and version go to stdout, errors to stderr. */
enum options_result options_parse(int argc, char **argv, struct options *opts);

/* "256K", "1M", "65536" -> bytes. 0, or -1 if not a size. */
int parse_size(const char *text, uint64_t *bytes);

#endif
