/* b: a program that misbehaves on purpose, to show that only it dies.
 * Asks which wrong thing to do; the kernel must kill it and go on. */
#include "user.h"

int main(void) {
	char line[8];

	print("1 pass a kernel pointer to write   2 read kernel memory\n"
	      "3 cli (privileged)                  4 out to a port\n");
	if (readline("misbehave> ", line, sizeof(line)) < 0)
		return 1;
	switch (line[0]) {
	case '1': write((const void *)0x100000, 16); break;
	case '2': printf("%d\n", *(volatile int *)0x100000); break;
	case '3': __asm__ volatile("cli"); break;
	case '4': __asm__ volatile("outb %%al, $0x80" : : "a"(0)); break;
	default: print("nothing done\n"); return 0;
	}
	print("still alive: protection failed!\n");
	return 2;
}
