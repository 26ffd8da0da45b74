/* fuzz_options: any command line (arguments separated by NUL bytes). The
 * parser must accept or refuse it, never crash; what it accepts must be
 * within the limits it promises. */
#include <stdio.h>

#include "fuzz.h"

#define ARGS_MAX 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	char *text = malloc(size + 1), *argv[ARGS_MAX + 2] = { "mini-kvm" };
	struct options opts;
	int argc = 1;

	memcpy(text, data, size);
	text[size] = '\0';
	for (char *p = text; argc <= ARGS_MAX && p < text + size; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	if (options_parse(argc, argv, &opts) == OPTIONS_RUN &&
	    (opts.image_count < 1 || opts.image_count > GUESTS_MAX ||
	     opts.guest.memory > PROTECTED_MODE_MEMORY_MAX || opts.guest.memory % 4096 ||
	     opts.guest.timeout < 0))
		abort();
	free(text);
	return 0;
}
