/* stats: --stats, per guest: wall time, exits by reason, hypercalls by number. */
#include "stats.h"

#include <stdio.h>

#include "guest.h"
#include "hypercall.h"
#include "log.h"
#include "vcpu.h"

/* Append "NAME COUNT, " for each non-zero count; returns the total. */
static uint64_t list_counts(char *buf, size_t size, const uint64_t *counts,
			    int n, const char *(*name)(uint32_t))
{
	uint64_t total = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		total += counts[i];
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %llu",
						len ? ", " : "", name((uint32_t)i),
						(unsigned long long)counts[i]);
	}
	return total;
}

void stats_print(const struct guest *g)
{
	const struct guest_stats *s = &g->stats;
	char list[512];
	uint64_t total;

	if (s->start.tv_sec == 0 && s->start.tv_nsec == 0) {
		log_error(g->name, "stats: the guest did not start");
		return;
	}
	log_error(g->name, "wall time   %.3f ms (VM creation to guest end)",
		  (double)(s->end.tv_sec - s->start.tv_sec) * 1e3 +
		  (double)(s->end.tv_nsec - s->start.tv_nsec) / 1e6);
	total = list_counts(list, sizeof(list), s->exits, STATS_EXIT_REASONS,
			    exit_reason_name);
	log_error(g->name, "exits       %llu (%s)", (unsigned long long)total, list);
	total = list_counts(list, sizeof(list), s->hypercalls, HC_COUNT,
			    hypercall_name);
	log_error(g->name, "hypercalls  %llu (%s), unknown %llu",
		  (unsigned long long)total, list,
		  (unsigned long long)s->unknown_hypercalls);
	log_error(g->name, "unclaimed   %llu port accesses, %llu memory accesses",
		  (unsigned long long)g->pio.unclaimed,
		  (unsigned long long)s->unclaimed_memory);
}
