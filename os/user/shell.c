/* shell: the menu. Each choice runs a program as its own ring-3 process;
 * the shell waits for it, then shows the menu again. */
#include "user.h"

static const char menu[] =
	"\n1K OS programs:\n"
	"  1 multiplication table   2 counter     3 echo\n"
	"  4 fibonacci              5 primes      6 calculator\n"
	"  7 factorials             8 gcd         9 system info\n"
	"  b misbehave (shows protection)         0 quit\n";

/* "1".."9" -> 1..9, "b" -> PROGRAM_BAD, anything else -> -1 */
static int choice(const char *line) {
	if (line[0] >= '1' && line[0] <= '9' && line[1] == '\0')
		return line[0] - '0';
	if (strcmp(line, "b") == 0)
		return PROGRAM_BAD;
	return -1;
}

int main(void) {
	char line[32];

	for (;;) {
		int program, pid, code;

		print(menu);
		if (readline("choice> ", line, sizeof(line)) < 0 || strcmp(line, "0") == 0)
			break;
		if (line[0] == '\0')
			continue;
		if ((program = choice(line)) < 0) {
			printf("'%s' is not on the menu\n", line);
			continue;
		}
		if ((pid = spawn((unsigned)program)) < 0) {
			print("cannot start it: no free process slot\n");
			continue;
		}
		code = wait(pid);
		if (code != 0)
			printf("[exit status %d]\n", code);
	}
	print("bye\n");
	return 0;
}
