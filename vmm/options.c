/* options: parsing and checking the command line; --help and --version. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu_mode.h"
#include "log.h"

#define PAGE_SIZE 4096
#define TIMEOUT_MAX (7 * 24 * 3600.0)	/* a week: beyond that, a typo */

static const char usage[] =
	"Usage: mini-kvm [OPTIONS] IMAGE...\n"
	"Run each IMAGE as a guest in its own KVM virtual machine, in parallel.\n"
	"A flat binary is a 16-bit real-mode program loaded and started at 0.\n"
	"\n"
	"  -m, --memory SIZE   guest memory: a multiple of 4K, at most 1M\n"
	"                      (default 256K; suffixes K and M)\n"
	"  -v, --verbose       log every VM exit to stderr\n"
	"      --stats         print exits, hypercalls and wall time per guest\n"
	"  -t, --timeout SECS  stop a guest still running after SECS seconds\n"
	"                      (exit status 124)\n"
	"      --no-color      plain guest prefixes (also: NO_COLOR, not a tty)\n"
	"  -h, --help          show this help and exit\n"
	"  -V, --version       show the version and exit\n"
	"\n"
	"With one guest, stdout carries exactly the guest's output. With several,\n"
	"each line is prefixed with \"[name] \". Exit status: the guest's HC_EXIT\n"
	"code (0 after HLT); with several guests the first non-zero one;\n"
	"64 usage, 65 bad image, 66 cannot open image, 69 KVM unavailable,\n"
	"70 guest crashed, 124 timeout.\n";

int parse_size(const char *text, uint64_t *bytes)
{
	char *end;
	unsigned long long n;
	uint64_t unit = 1;

	if (!text || *text < '0' || *text > '9')
		return -1;	/* strtoull would accept "-1" and " 1" */
	errno = 0;
	n = strtoull(text, &end, 10);
	if (errno)
		return -1;
	if (*end == 'K' || *end == 'k')
		unit = 1ull << 10, end++;
	else if (*end == 'M' || *end == 'm')
		unit = 1ull << 20, end++;
	else if (*end == 'G' || *end == 'g')
		unit = 1ull << 30, end++;
	if (*end != '\0' || n > UINT64_MAX / unit)
		return -1;
	*bytes = n * unit;
	return 0;
}

static int parse_memory(const char *text, uint64_t *bytes)
{
	if (parse_size(text, bytes) < 0) {
		log_error(NULL, "--memory: '%s' is not a size (e.g. 256K or 1M)", text);
		return -1;
	}
	if (*bytes == 0 || *bytes % PAGE_SIZE) {
		log_error(NULL, "--memory: %s is not a positive multiple of 4K", text);
		return -1;
	}
	if (*bytes > REAL_MODE_MEMORY_MAX) {
		log_error(NULL, "--memory: %s is more than the 1M a real-mode "
			  "guest can address", text);
		return -1;
	}
	return 0;
}

static int parse_timeout(const char *text, double *seconds)
{
	char *end;

	errno = 0;
	*seconds = strtod(text, &end);
	if (errno || end == text || *end != '\0' || !isfinite(*seconds) ||
	    *seconds <= 0 || *seconds > TIMEOUT_MAX) {
		log_error(NULL, "--timeout: '%s' is not a positive number of "
			  "seconds (at most %.0f)", text, TIMEOUT_MAX);
		return -1;
	}
	return 0;
}

enum { OPT_STATS = 256, OPT_NO_COLOR };

static const struct option long_options[] = {
	{ "memory", required_argument, NULL, 'm' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "timeout", required_argument, NULL, 't' },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

/* One option; -1 on a usage error, 1 when help/version was printed. */
static int apply_option(int c, struct options *opts, char **argv)
{
	switch (c) {
	case 'm': return parse_memory(optarg, &opts->guest.memory);
	case 't': return parse_timeout(optarg, &opts->guest.timeout);
	case 'v': opts->verbose = true; return 0;
	case OPT_STATS: opts->stats = true; return 0;
	case OPT_NO_COLOR: opts->no_color = true; return 0;
	case 'h': fputs(usage, stdout); return 1;
	case 'V': puts("mini-kvm " MINI_KVM_VERSION); return 1;
	case ':':
		log_error(NULL, "option '%s' needs a value (see mini-kvm --help)",
			  argv[optind - 1]);
		return -1;
	default:
		log_error(NULL, "unknown option '%s' (see mini-kvm --help)",
			  argv[optind - 1]);
		return -1;
	}
}

enum options_result options_parse(int argc, char **argv, struct options *opts)
{
	int c;

	*opts = (struct options){ 0 };
	optind = 0;		/* full re-initialisation: the tests parse often */
	opterr = 0;		/* our messages, not getopt's */
	while ((c = getopt_long(argc, argv, ":m:vt:hV", long_options, NULL)) != -1) {
		int r = apply_option(c, opts, argv);

		if (r)
			return r > 0 ? OPTIONS_DONE : OPTIONS_BAD;
	}
	if (optind >= argc) {
		log_error(NULL, "no image given (usage: mini-kvm [OPTIONS] IMAGE...)");
		return OPTIONS_BAD;
	}
	opts->images = argv + optind;
	opts->image_count = argc - optind;
	return OPTIONS_RUN;
}
