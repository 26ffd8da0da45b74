/* host: the compute benchmarks as a host program: host BENCH (0-2). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "work.h"

int main(int argc, char **argv) {
	int n = argc == 2 ? atoi(argv[1]) : -1;

	if (n < 0 || n >= BENCH_COUNT)
		return 64;
	printf("%s %" PRIu64 "\n", bench_names[n], benches[n]());
	return 0;
}
