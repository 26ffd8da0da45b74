/* log: everything the VMM itself says goes to stderr, one whole line per write. */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>

extern bool log_verbose_enabled;

/* "mini-kvm: WHO: message" (WHO may be NULL), written with a single write(2)
 * so lines from parallel guests never interleave. */
void log_error(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The same, only when -v/--verbose was given. */
#define log_verbose(...) \
	do { if (log_verbose_enabled) log_error(__VA_ARGS__); } while (0)

#endif
