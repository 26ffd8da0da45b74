/* 6: a calculator: "a op b" with + - * / (x works for *); an empty line ends. */
#include "user.h"

int main(void) {
	char line[64];

	print("enter: number op number (+ - * /); empty line ends\n");
	while (readline("calc> ", line, sizeof(line)) > 0) {
		const char *p = line;
		int a, b;
		char op;

		if (!parse_int(&p, &a)) {
			print("error: expected a number\n");
			continue;
		}
		while (*p == ' ')
			p++;
		op = *p ? *p++ : '\0';
		if (!parse_int(&p, &b) || (op != '+' && op != '-' && op != '*' && op != 'x' &&
					   op != '/')) {
			print("error: expected number op number\n");
		} else if (op == '/' && b == 0) {
			print("error: division by zero\n");
		} else {
			int r = op == '+' ? a + b : op == '-' ? a - b : op == '/' ? a / b : a * b;

			printf("%d\n", r);
		}
	}
	return 0;
}
