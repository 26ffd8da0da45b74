/* fib: recursive Fibonacci, a pure-CPU benchmark. Reads N from stdin
 * (default 30) and prints fib(N). */
#include "sdk.h"

static uint64_t fib(unsigned n) {
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(uint64_t memory_size) {
	unsigned n = 0;
	int c;

	(void)memory_size;
	while ((c = hc_getchar()) >= '0' && c <= '9')
		n = n * 10 + (unsigned)(c - '0');
	if (n == 0 || n > 60)
		n = 30;
	printf("fib(%u) = %llu\n", n, (unsigned long long)fib(n));
	return 0;
}
