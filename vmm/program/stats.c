/* stats: --stats, per guest on stderr: wall time, exits, hypercalls. */
#include <stdio.h>

#include "core/log.h"
#include "program.h"

/* "NAME COUNT, ..." for the non-zero COUNTS into BUF; returns their sum. */
static uint64_t list_counts(char *buf, size_t size, const uint64_t *counts, int n,
			    const char *(*name)(uint32_t)) {
	uint64_t total = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		total += counts[i];
		if (counts[i] && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %llu", len ? ", " : "",
						name((uint32_t)i), (unsigned long long)counts[i]);
	}
	return total;
}

static double ms_between(const struct timespec *from, const struct timespec *to) {
	return (double)(to->tv_sec - from->tv_sec) * 1e3 +
	       (double)(to->tv_nsec - from->tv_nsec) / 1e6;
}

/* Exits by reason; with several vCPUs, how many each made first. */
static void print_exits(const struct guest *g) {
	char list[512];
	unsigned long long total;

	for (int i = 0; g->vm.vcpus > 1 && i < g->vm.vcpus; i++)
		log_error(g->name, "vCPU %-7u %llu exits", g->vm.vcpu[i].id,
			  (unsigned long long)g->vm.vcpu[i].exits);
	total = list_counts(list, sizeof(list), g->stats.exits, STATS_EXIT_REASONS,
			    kvm_exit_name);
	log_error(g->name, "exits       %llu (%s)", total, list);
}

void stats_print(const struct guest *g) {
	const struct guest_stats *s = &g->stats;
	char list[512];
	unsigned long long total;

	if (s->start.tv_sec == 0 && s->start.tv_nsec == 0) {
		log_error(g->name, "stats: the guest did not start");
		return;
	}
	log_error(g->name, "wall time   %.3f ms (VM creation to guest end), set-up %.3f ms",
		  ms_between(&s->start, &s->end), ms_between(&s->start, &s->ready));
	print_exits(g);
	if (s->coalesced_writes)
		log_error(g->name, "no exit     %llu port writes queued by KVM (coalesced I/O)",
			  (unsigned long long)s->coalesced_writes);
	total = list_counts(list, sizeof(list), g->hc.count, HC_COUNT, hypercall_name);
	log_error(g->name, "hypercalls  %llu (%s), unknown %llu", total, list,
		  (unsigned long long)g->hc.unknown);
	if (g->vm.irqchip)
		log_error(g->name,
			  "irqchip     KVM_CREATE_IRQCHIP %.3f ms, KVM_CREATE_PIT2 %.3f ms",
			  (double)g->vm.irqchip_ns / 1e6, (double)g->vm.pit_ns / 1e6);
	log_error(g->name, "unclaimed   %llu port accesses, %llu memory accesses",
		  (unsigned long long)g->pio.unclaimed, (unsigned long long)s->unclaimed_memory);
	log_error(g->name, "memory      %llu KB of the guest's %llu KB in use at the end",
		  (unsigned long long)s->resident >> 10, (unsigned long long)s->memory >> 10);
}
