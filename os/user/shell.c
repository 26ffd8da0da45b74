/* shell: the menu. Each choice runs a program as its own ring-3 process;
 * the shell waits for it, then shows the menu again. */
#include "user.h"

static const char menu[] =
	"\n1K OS programs:\n"
	"  1 multiplication table   2 counter     3 echo\n"
	"  4 fibonacci              5 primes      6 calculator\n"
	"  7 factorials             8 gcd         9 system info\n"
	"  b misbehave (shows protection)         0 quit\n"
	"files: ls, cat NAME, write NAME TEXT\n";

/* "1".."9" -> 1..9, "b" -> PROGRAM_BAD, anything else -> -1 */
static int choice(const char *line) {
	if (line[0] >= '1' && line[0] <= '9' && line[1] == '\0')
		return line[0] - '0';
	if (strcmp(line, "b") == 0)
		return PROGRAM_BAD;
	return -1;
}

/* "NAME rest": NAME into NAME (FS_NAME_MAX bytes); the rest, or NULL. */
static const char *split_name(const char *s, char *name) {
	int n = 0;

	while (*s == ' ')
		s++;
	while (*s && *s != ' ' && n < FS_NAME_MAX - 1)
		name[n++] = *s++;
	name[n] = '\0';
	if (*s && *s != ' ')
		return NULL;		/* the name is too long */
	while (*s == ' ')
		s++;
	return n ? s : NULL;
}

/* ls, cat NAME, write NAME TEXT; 0 if LINE is none of them. */
static int file_command(const char *line) {
	static char data[FS_FILE_MAX + 1];
	char name[FS_NAME_MAX];
	const char *rest;
	int n;

	if (strcmp(line, "cat") == 0 || strcmp(line, "write") == 0) {
		print("usage: cat NAME, write NAME TEXT\n");
		return 1;
	}
	if (strcmp(line, "ls") == 0) {
		n = list_files(data, sizeof(data) - 1);
		if (n >= 0)
			write(data, (unsigned)n);
		if (n == 0)
			print("(no files)\n");
	} else if (line[0] == 'c' && line[1] == 'a' && line[2] == 't' && line[3] == ' ') {
		rest = split_name(line + 4, name);
		n = rest && !*rest ? read_file(name, data, sizeof(data) - 1) : FS_ERR_NAME;
		if (n >= 0)
			write(data, (unsigned)n);
	} else if (line[0] == 'w' && line[1] == 'r' && line[2] == 'i' && line[3] == 't' &&
		   line[4] == 'e' && line[5] == ' ') {
		rest = split_name(line + 6, name);
		n = rest ? (int)strlen(rest) : FS_ERR_NAME;
		if (rest) {
			memcpy(data, rest, (unsigned)n);
			data[n++] = '\n';
			n = write_file(name, data, (unsigned)n);
		}
	} else {
		return 0;
	}
	if (n < 0)
		printf("%s\n", fs_error(n));
	return 1;
}

int main(void) {
	char line[128];

	for (;;) {
		int program, pid, code;

		print(menu);
		if (readline("choice> ", line, sizeof(line)) < 0 || strcmp(line, "0") == 0)
			break;
		if (line[0] == '\0')
			continue;
		if (file_command(line))
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
