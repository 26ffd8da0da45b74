/* 7: 0! to 12!, the factorials that fit in 32 bits. */
#include "user.h"

int main(void) {
	unsigned f = 1;

	for (unsigned n = 0; n <= 12; n++) {
		if (n > 0)
			f *= n;
		printf("%2u! = %u\n", n, f);
	}
	return 0;
}
