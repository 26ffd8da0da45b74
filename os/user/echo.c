/* 3: echo each line back until an empty one. */
#include "user.h"

int main(void) {
	char line[80];

	print("type lines; an empty line ends\n");
	while (readline("echo> ", line, sizeof(line)) > 0)
		printf("%s\n", line);
	return 0;
}
