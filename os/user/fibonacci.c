/* 4: the first 20 Fibonacci numbers. */
#include "user.h"

int main(void) {
	unsigned a = 0, b = 1;

	for (int i = 0; i < 20; i++) {
		unsigned next = a + b;

		printf("F(%d) = %u\n", i, a);
		a = b, b = next;
	}
	return 0;
}
