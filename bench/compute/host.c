/* host: the compute benchmarks as a host program: host BENCH (0-2). Prints
 * the checksum and the time the benchmark alone took, as guest.c does. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "work.h"

static uint64_t now_ns(void) {
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int main(int argc, char **argv) {
	int n = argc == 2 ? atoi(argv[1]) : -1;
	uint64_t start, sum;

	if (n < 0 || n >= BENCH_COUNT)
		return 64;
	start = now_ns();
	sum = benches[n]();
	printf("%s %" PRIu64 " in %" PRIu64 " ns\n", bench_names[n], sum, now_ns() - start);
	return 0;
}
