/* log: the VMM's own messages (errors, --verbose) on stderr. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

bool log_verbose_enabled;

void log_error(const char *who, const char *fmt, ...)
{
	char line[1024];
	int len = who ? snprintf(line, sizeof(line), "mini-kvm: %s: ", who)
		      : snprintf(line, sizeof(line), "mini-kvm: ");
	va_list ap;

	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - (size_t)len - 1, fmt, ap);
	va_end(ap);
	if (len > (int)sizeof(line) - 2)
		len = (int)sizeof(line) - 2;	/* truncated: still end the line */
	line[len++] = '\n';
	/* Best effort: if stderr is gone there is nobody left to tell. */
	if (write(STDERR_FILENO, line, (size_t)len) < 0)
		return;
}
