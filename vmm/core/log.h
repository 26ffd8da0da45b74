/*
 * log.h: how the VMM speaks. Its own messages go to stderr as one line
 * each, "mini-kvm: WHO: ...", and its own failures end the process with a
 * <sysexits.h> status (DESIGN.md section 3), plus the few below.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#define MINI_KVM_VERSION "0.3.0"	/* --version, and in every snapshot file */

#include <stdbool.h>
#include <sysexits.h>

#define EXIT_GUEST_CRASHED EX_SOFTWARE	/* 70 */
#define EXIT_TIMEOUT 124
#define EXIT_SIGNAL_BASE 128		/* 130 after SIGINT, 143 after SIGTERM */

extern bool log_verbose_enabled;	/* --verbose */
extern int log_fd;			/* stderr; the fuzzers point it elsewhere */

/* WHO: the guest's name, or NULL for the VMM itself. */
void log_error(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_verbose(...) do { if (log_verbose_enabled) log_error(__VA_ARGS__); } while (0)

#endif
