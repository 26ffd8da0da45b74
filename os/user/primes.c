/* 5: the primes up to 100, by the sieve of Eratosthenes. */
#include "user.h"

int main(void) {
	char composite[101] = { 0 };

	for (int i = 2; i <= 100; i++) {
		if (composite[i])
			continue;
		printf(i == 2 ? "%d" : " %d", i);
		for (int j = i * i; j <= 100; j += i)
			composite[j] = 1;
	}
	print("\n");
	return 0;
}
