/*
 * work.c: the compute benchmarks, one source for every way they run: as a
 * host program, as a mini-kvm 64-bit guest (SDK), under QEMU's emulator.
 * Each returns a checksum, printed, so nothing is optimised away and the
 * runs can be compared for equal results.
 */
#include <stdint.h>

#include "work.h"

static uint64_t fib(unsigned n) {
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

uint64_t bench_fib(void) {
	return fib(36);
}

#define SIEVE_N 20000000
static uint8_t composite[SIEVE_N + 1];

uint64_t bench_sieve(void) {
	uint64_t primes = 0;

	for (uint64_t i = 2; i <= SIEVE_N; i++) {
		if (composite[i])
			continue;
		primes++;
		for (uint64_t j = i * i; j <= SIEVE_N; j += i)
			composite[j] = 1;
	}
	return primes;
}

#define N 256
static uint32_t a[N][N], b[N][N], c[N][N];

uint64_t bench_matrix(void) {
	uint64_t sum = 0;

	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			a[i][j] = (uint32_t)(i + j), b[i][j] = (uint32_t)(i ^ j);
	for (int i = 0; i < N; i++)
		for (int k = 0; k < N; k++)
			for (int j = 0; j < N; j++)
				c[i][j] += a[i][k] * b[k][j];
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++)
			sum += c[i][j];
	return sum;
}

uint64_t (*const benches[BENCH_COUNT])(void) = { bench_fib, bench_sieve, bench_matrix };
const char *const bench_names[BENCH_COUNT] = { "fib", "sieve", "matrix" };
