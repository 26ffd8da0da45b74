/*
 * measure: run a command RUNS times and print "min median max" wall time in
 * milliseconds and its peak RSS in KB (from wait4's rusage), so that every
 * row of `make bench` is measured the same way, with no other tool.
 *   measure RUNS STATUS INPUT COMMAND [ARGS...]
 * STATUS: the exit status each run must have; INPUT: a file for stdin (or
 * /dev/null). stdout and stderr go to /dev/null.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One run: its wall time, or -1 if it failed or had the wrong status. */
static double run_once(char **argv, const char *input, int expected, long *rss_kb) {
	struct rusage usage;
	double start = now_ms();
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int in = open(input, O_RDONLY), out = open("/dev/null", O_WRONLY);

		if (in < 0 || out < 0)
			_exit(127);
		dup2(in, 0), dup2(out, 1), dup2(out, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &usage) != pid)
		return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != expected) {
		fprintf(stderr, "measure: %s: exit status %d, expected %d\n", argv[0],
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), expected);
		return -1;
	}
	if (usage.ru_maxrss > *rss_kb)
		*rss_kb = usage.ru_maxrss;
	return now_ms() - start;
}

int main(int argc, char **argv) {
	int runs = argc > 4 ? atoi(argv[1]) : 0;
	double *ms;
	long rss_kb = 0;

	if (runs < 1) {
		fprintf(stderr, "usage: measure RUNS STATUS INPUT COMMAND [ARGS...]\n");
		return 64;
	}
	ms = calloc((size_t)runs, sizeof(*ms));
	for (int i = 0; i < runs; i++)
		if ((ms[i] = run_once(argv + 4, argv[3], atoi(argv[2]), &rss_kb)) < 0)
			return 1;
	qsort(ms, (size_t)runs, sizeof(*ms), by_value);
	printf("%.3f %.3f %.3f %ld\n", ms[0], ms[runs / 2], ms[runs - 1], rss_kb);
	free(ms);
	return 0;
}
