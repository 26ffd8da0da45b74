/* console: pass-through for one guest, prefixed whole lines for several. */
#include "helpers.h"

#include <string.h>
#include <unistd.h>


/* Close the console and return everything written to the pipe FDS. */
static const char *drain(struct console *c, int fds[2])
{
	static char buf[3 * CONSOLE_LINE_MAX];
	ssize_t n, len = 0;

	console_close(c);
	close(fds[1]);
	while ((n = read(fds[0], buf + len, sizeof(buf) - 1 - (size_t)len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fds[0]);
	return buf;
}

static void single_guest_passes_bytes_through(void **state)
{
	struct console c;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	console_init(&c, fds[1], "g", false, 0);
	console_write(&c, "a\nb", 3);
	console_flush(&c);	/* a prompt without newline goes out on flush */
	console_putc(&c, 'c');
	assert_string_equal(drain(&c, fds), "a\nbc");
}

static void several_guests_get_whole_prefixed_lines(void **state)
{
	struct console a, b;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	console_init(&a, fds[1], "a", true, 0);
	console_init(&b, fds[1], "b", true, 0);
	console_write(&a, "one ", 4);
	console_write(&b, "two\n", 4);
	console_flush(&a);	/* no effect: half lines never go out */
	console_write(&a, "more\nend", 8);
	console_close(&b);
	assert_string_equal(drain(&a, fds), "[b] two\n[a] one more\n[a] end\n");
}

static void colored_prefix(void **state)
{
	struct console c;
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	console_init(&c, fds[1], "g", true, 32);
	console_write(&c, "x\n", 2);
	assert_string_equal(drain(&c, fds), "\033[32m[g]\033[0m x\n");
}

static void long_prefixed_lines_wrap(void **state)
{
	static char line[CONSOLE_LINE_MAX + 10];
	struct console c;
	const char *out;
	int fds[2];

	(void)state;
	memset(line, 'x', sizeof(line));
	assert_int_equal(pipe(fds), 0);
	console_init(&c, fds[1], "g", true, 0);
	console_write(&c, line, sizeof(line));
	out = drain(&c, fds);
	assert_int_equal(strlen(out), 2 * 4 + sizeof(line) + 2);
	assert_memory_equal(out, "[g] xxx", 7);
	assert_memory_equal(out + 4 + CONSOLE_LINE_MAX, "\n[g] xxxxxxxxxx\n", 16);
}

static void input_reads_then_sticks_at_eof(void **state)
{
	struct input in;
	char buf[8];
	int fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	input_init(&in, fds[0]);
	assert_false(input_ready(&in));		/* nothing written yet */
	assert_int_equal(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	assert_true(input_ready(&in));
	assert_int_equal(input_getc(&in, NULL), 'h');
	assert_int_equal(input_read(&in, buf, sizeof(buf), NULL), 4);
	assert_memory_equal(buf, "ello", 4);
	assert_false(input_ready(&in));
	assert_int_equal(input_getc(&in, NULL), INPUT_EOF);
	assert_int_equal(input_read(&in, buf, sizeof(buf), NULL), 0);
	assert_int_equal(input_getc(NULL, NULL), INPUT_EOF);	/* a guest without stdin */
	close(fds[0]);
}

int test_console(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_guest_passes_bytes_through),
		cmocka_unit_test(several_guests_get_whole_prefixed_lines),
		cmocka_unit_test(colored_prefix),
		cmocka_unit_test(long_prefixed_lines_wrap),
		cmocka_unit_test(input_reads_then_sticks_at_eof),
	};
	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
