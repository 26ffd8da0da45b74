/* options: sizes, every option, and every usage error. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>


static void size_accepts_suffixes(void **state)
{
	uint64_t n;

	(void)state;
	assert_int_equal(parse_size("65536", &n), 0);
	assert_int_equal(n, 65536);
	assert_int_equal(parse_size("256K", &n), 0);
	assert_int_equal(n, 256 << 10);
	assert_int_equal(parse_size("1m", &n), 0);
	assert_int_equal(n, 1 << 20);
	assert_int_equal(parse_size("2G", &n), 0);
	assert_int_equal(n, 2ull << 30);
}

static void size_rejects_garbage(void **state)
{
	const char *bad[] = { "", "K", "-1", " 1", "+1", "12Q", "1KB", "1.5M",
			      "99999999999999999999", "18446744073709551615K" };
	uint64_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(parse_size(bad[i], &n), -1);
	assert_int_equal(parse_size(NULL, &n), -1);
}

/* Parse a NULL-terminated argument list with stderr captured into ERR. */
static enum options_result parse(struct options *o, const char **err, ...)
{
	static char *argv[24] = { "mini-kvm" };	/* opts->images points here */
	int argc = 1;
	struct capture out, errors;
	enum options_result r;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	capture_begin(&out, STDOUT_FILENO);
	capture_begin(&errors, STDERR_FILENO);
	r = options_parse(argc, argv, o);
	fflush(stdout);
	capture_end(&out);		/* first: both share one buffer */
	*err = capture_end(&errors);
	return r;
}

static void options_defaults_and_images(void **state)
{
	struct options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, "a.bin", "b.bin", NULL), OPTIONS_RUN);
	assert_int_equal(o.image_count, 2);
	assert_string_equal(o.images[0], "a.bin");
	assert_string_equal(o.images[1], "b.bin");
	assert_int_equal(o.guest.memory, 0);
	assert_true(o.guest.timeout == 0);
	assert_false(o.verbose || o.stats || o.no_color);
}

static void options_all_set(void **state)
{
	struct options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, "-m", "64K", "-v", "--stats", "-t",
			       "0.5", "--no-color", "x.bin", NULL), OPTIONS_RUN);
	assert_int_equal(o.guest.memory, 64 << 10);
	assert_true(o.guest.timeout == 0.5);
	assert_true(o.verbose && o.stats && o.no_color);
	/* Options may follow the image, and long forms take "=". */
	assert_int_equal(parse(&o, &err, "x.bin", "--memory=1M", "--timeout=3",
			       NULL), OPTIONS_RUN);
	assert_int_equal(o.guest.memory, REAL_MODE_MEMORY_MAX);
	assert_true(o.guest.timeout == 3);
	assert_int_equal(o.image_count, 1);
	assert_int_equal(o.guest.irqchip, IRQCHIP_AUTO);
	assert_int_equal(parse(&o, &err, "--irqchip=on", "-m", "3G", "x.elf", NULL), OPTIONS_RUN);
	assert_int_equal(o.guest.irqchip, IRQCHIP_ON);
	assert_int_equal(o.guest.memory, PROTECTED_MODE_MEMORY_MAX);
	assert_int_equal(parse(&o, &err, "--irqchip", "off", "x.elf", NULL), OPTIONS_RUN);
	assert_int_equal(o.guest.irqchip, IRQCHIP_OFF);
}

static void options_help_and_version(void **state)
{
	struct options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, "--help", NULL), OPTIONS_DONE);
	assert_int_equal(parse(&o, &err, "-h", "x.bin", NULL), OPTIONS_DONE);
	assert_int_equal(parse(&o, &err, "-V", NULL), OPTIONS_DONE);
	assert_int_equal(parse(&o, &err, "--version", NULL), OPTIONS_DONE);
}

static void expect_usage_error(const char *message, ...)
{
	char *args[8] = { 0 };
	int n = 0;
	va_list ap;
	struct options o;
	const char *err;

	va_start(ap, message);
	while (n < 7 && (args[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	args[n] = NULL;
	assert_int_equal(parse(&o, &err, args[0], args[1], args[2], args[3],
			       args[4], args[5], args[6], NULL), OPTIONS_BAD);
	if (!strstr(err, message))
		fail_msg("expected '%s' in: %s", message, err);
}

static void options_usage_errors(void **state)
{
	(void)state;
	expect_usage_error("no image given", NULL);
	expect_usage_error("unknown option '--bogus'", "--bogus", "x", NULL);
	expect_usage_error("unknown option '-q'", "-q", "x", NULL);
	expect_usage_error("option '-m' needs a value", "x", "-m", NULL);
	expect_usage_error("option '--timeout' needs a value", "x", "--timeout", NULL);
	expect_usage_error("'abc' is not a size", "-m", "abc", "x", NULL);
	expect_usage_error("not a positive multiple of 4K", "-m", "0", "x", NULL);
	expect_usage_error("not a positive multiple of 4K", "-m", "4095", "x", NULL);
	expect_usage_error("more than the 3G", "-m", "3145732K", "x", NULL);
	expect_usage_error("'sometimes' is not on, off or auto", "--irqchip=sometimes", "x", NULL);
	expect_usage_error("option '--irqchip' needs a value", "x", "--irqchip", NULL);
	expect_usage_error("not a positive number", "-t", "0", "x", NULL);
	expect_usage_error("not a positive number", "-t", "-1", "x", NULL);
	expect_usage_error("not a positive number", "-t", "soon", "x", NULL);
	expect_usage_error("not a positive number", "-t", "nan", "x", NULL);
	expect_usage_error("not a positive number", "-t", "inf", "x", NULL);
	expect_usage_error("not a positive number", "-t", "1e9", "x", NULL);
}

/* --disk is repeatable, ",readonly" a suffix (the option's text is ours to
 * cut: argv is writable, so the strings here are arrays). */
static void options_disks(void **state)
{
	char a[] = "a.img", b[] = "b.img,readonly", c[] = ",readonly", d[] = "x.img";
	char *many[20] = { 0 };
	struct options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, "--disk", a, "--disk", b, "g", NULL), OPTIONS_RUN);
	assert_int_equal(o.board.disk_count, 2);
	assert_string_equal(o.board.disks[0].path, "a.img");
	assert_false(o.board.disks[0].readonly);
	assert_string_equal(o.board.disks[1].path, "b.img");
	assert_true(o.board.disks[1].readonly);
	assert_int_equal(parse(&o, &err, "--disk", c, "g", NULL), OPTIONS_BAD);
	assert_non_null(strstr(err, "--disk: no file given"));
	for (int i = 0; i < 18; i += 2)
		many[i] = "--disk", many[i + 1] = d;
	assert_int_equal(parse(&o, &err, many[0], many[1], many[2], many[3], many[4], many[5],
			       many[6], many[7], many[8], many[9], many[10], many[11], many[12],
			       many[13], many[14], many[15], "g", NULL), OPTIONS_RUN);
	assert_int_equal(o.board.disk_count, 8);
	assert_int_equal(parse(&o, &err, many[0], many[1], many[2], many[3], many[4], many[5],
			       many[6], many[7], many[8], many[9], many[10], many[11], many[12],
			       many[13], many[14], many[15], many[16], many[17], "g", NULL),
			 OPTIONS_BAD);
	assert_non_null(strstr(err, "--disk: at most 8 disks"));
}

/* --net tap=IFNAME, once; --balloon. */
static void options_net_and_balloon(void **state)
{
	struct options o;
	const char *err;

	(void)state;
	assert_int_equal(parse(&o, &err, "--net", "tap=mk0", "--balloon", "g", NULL), OPTIONS_RUN);
	assert_string_equal(o.board.tap, "mk0");
	assert_true(o.board.balloon);
	assert_int_equal(parse(&o, &err, "--net", "mk0", "g", NULL), OPTIONS_BAD);
	assert_non_null(strstr(err, "--net: 'mk0' is not tap=IFNAME"));
	assert_int_equal(parse(&o, &err, "--net", "tap=", "g", NULL), OPTIONS_BAD);
	assert_non_null(strstr(err, "--net: 'tap=' is not tap=IFNAME"));
	assert_int_equal(parse(&o, &err, "--net", "tap=a", "--net", "tap=b", "g", NULL),
			 OPTIONS_BAD);
	assert_non_null(strstr(err, "--net: one network card at most"));
}

int test_options(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(size_accepts_suffixes),
		cmocka_unit_test(size_rejects_garbage),
		cmocka_unit_test(options_defaults_and_images),
		cmocka_unit_test(options_all_set),
		cmocka_unit_test(options_help_and_version),
		cmocka_unit_test(options_usage_errors),
		cmocka_unit_test(options_disks),
		cmocka_unit_test(options_net_and_balloon),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
