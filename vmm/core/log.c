/* log: the VMM's own messages (errors, --verbose, --stats) on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

bool log_verbose_enabled;
int log_fd = STDERR_FILENO;

/* "mini-kvm: WHO: message\n" in one write(2): lines of parallel guests
 * never interleave. */
void log_error(const char *who, const char *fmt, ...) {
	char line[1024];
	int len = snprintf(line, sizeof(line), "mini-kvm: %s%s", who ? who : "", who ? ": " : "");
	va_list ap;

	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - (size_t)len - 1, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;	/* truncated, but still a line */
	line[len++] = '\n';
	if (write(log_fd, line, (size_t)len) < 0)
		return;		/* stderr is gone: nobody left to tell */
}
