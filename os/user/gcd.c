/* 8: greatest common divisor of two numbers, by Euclid's algorithm. */
#include "user.h"

int main(void) {
	char line[64];
	const char *p = line;
	int a, b;

	while (readline("two positive numbers> ", line, sizeof(line)) >= 0) {
		p = line;
		if (parse_int(&p, &a) && parse_int(&p, &b) && a > 0 && b > 0)
			break;
		print("please give two positive numbers, e.g. 12 18\n");
	}
	if (p == line)
		return 1;	/* input ended */
	printf("gcd(%d, %d) = ", a, b);
	while (b) {
		int t = a % b;

		a = b, b = t;
	}
	printf("%d\n", a);
	return 0;
}
