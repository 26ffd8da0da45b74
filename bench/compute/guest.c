/* guest: the compute benchmarks as a mini-kvm 64-bit guest; the number of
 * the benchmark (0-2) is the first byte of stdin, fib (0) without one (a
 * guest after the first in a parallel run has no stdin). Prints the
 * checksum and the time the benchmark alone took (HC_CLOCK), as host.c
 * does, so that start-up and compute can be told apart. */
#include "sdk.h"

#include "work.h"

int main(uint64_t memory_size) {
	int c = hc_getchar(), n = c < 0 ? 0 : c - '0';
	uint64_t start, sum;

	(void)memory_size;
	if (n < 0 || n >= BENCH_COUNT)
		return 64;
	start = hc_clock_ns();
	sum = benches[n]();
	printf("%s %llu in %llu ns\n", bench_names[n], (unsigned long long)sum,
	       (unsigned long long)(hc_clock_ns() - start));
	return 0;
}
