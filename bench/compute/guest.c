/* guest: the compute benchmarks as a mini-kvm 64-bit guest; the number of
 * the benchmark (0-2) is the first byte of stdin, fib (0) without one (a
 * guest after the first in a parallel run has no stdin). */
#include "sdk.h"

#include "work.h"

int main(uint64_t memory_size) {
	int c = hc_getchar(), n = c < 0 ? 0 : c - '0';

	(void)memory_size;
	if (n < 0 || n >= BENCH_COUNT)
		return 64;
	printf("%s %llu\n", bench_names[n], (unsigned long long)benches[n]());
	return 0;
}
