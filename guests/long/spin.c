/* spin: a long computation that shows its progress, for snapshot tests
 * (tests/real-kvm/snapshot.bats): 20 rounds of 2^27 steps of a 64-bit
 * linear congruential generator, each round's state on a line. Saved
 * mid-way and resumed, it must print exactly what an uninterrupted run
 * prints (tests/real-kvm/spin64.out). */
#include "sdk.h"

#define ROUNDS 20
#define STEPS (1u << 27)

int main(uint64_t memory_size) {
	uint64_t x = 12345;

	(void)memory_size;
	for (unsigned round = 0; round < ROUNDS; round++) {
		for (unsigned i = 0; i < STEPS; i++)
			x = x * 6364136223846793005ull + 1442695040888963407ull + round;
		printf("round %2u: %016llx\n", round, (unsigned long long)x);
	}
	return 0;
}
