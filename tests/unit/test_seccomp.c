/* seccomp: the filter a guest's threads run under, in a child process:
 * what it allows still works, what it forbids is reported, not silent. */
#include "helpers.h"

#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

/* Run BODY in a confined child; its exit status, its stderr in ERR. */
static int confined(void (*body)(void), char *err, size_t size)
{
	int p[2], status;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(p[1], STDERR_FILENO);
		seccomp_report_setup();
		if (seccomp_confine(NULL, "t") != 0)
			_exit(99);
		body();
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], err, size - 1);
	err[n > 0 ? n : 0] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void allowed_calls(void)
{
	if (write(STDERR_FILENO, "fine\n", 5) != 5)
		_exit(1);
}

static void forbidden_call(void)
{
	syscall(SYS_getppid);	/* nothing a guest thread needs */
	_exit(0);		/* not reached */
}

static void socket_is_forbidden(void)
{
	syscall(SYS_socket, 2, 1, 0);
	_exit(0);
}

static void allows_what_the_exit_loop_needs(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(confined(allowed_calls, err, sizeof(err)), 0);
	assert_string_equal(err, "fine\n");
}

static void reports_a_forbidden_call(void **state)
{
	char err[256];

	(void)state;
	assert_int_equal(confined(forbidden_call, err, sizeof(err)), EX_OSERR);
	assert_string_equal(err, "mini-kvm: seccomp: a guest thread made system call 110, "
			    "which its filter forbids\n");	/* 110: getppid */
	assert_int_equal(confined(socket_is_forbidden, err, sizeof(err)), EX_OSERR);
	assert_non_null(strstr(err, "system call 41,"));	/* 41: socket */
}

int test_seccomp(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allows_what_the_exit_loop_needs),
		cmocka_unit_test(reports_a_forbidden_call),
	};
	return cmocka_run_group_tests_name("seccomp", tests, NULL, NULL);
}
