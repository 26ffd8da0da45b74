/*
 * boot-time: boot a kernel once and say how long it took to reach a line
 * of its output and to end, and the most memory the VMM held:
 *   boot-time MARKER COMMAND [ARGS...]
 * prints "MARKER_MS EXIT_MS PEAK_RSS_KB". The VMM's stdout is read through
 * a pipe as it comes; MARKER_MS is when the first line containing MARKER
 * arrived (the guest's init has run), EXIT_MS when the VMM exited (0, or
 * this fails). stdin is /dev/null, stderr is kept.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void) {
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static pid_t start(char **argv, int *out) {
	int p[2];
	pid_t pid;

	if (pipe(p) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);

		dup2(in, 0), dup2(p[1], 1);
		close(p[0]), close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	*out = p[0];
	return pid;
}

int main(int argc, char **argv) {
	static char window[256 + 65536];	/* the marker's length at most, then a read */
	double t0 = now_ms(), marker_ms = -1;
	size_t kept = 0, marker_len = argc > 1 ? strlen(argv[1]) : 0;
	struct rusage usage;
	int out, status;
	ssize_t n;
	pid_t pid;

	if (argc < 3 || marker_len == 0 || marker_len > 256) {
		fprintf(stderr, "usage: boot-time MARKER COMMAND [ARGS...]\n");
		return 64;
	}
	if ((pid = start(argv + 2, &out)) < 0)
		return 71;
	/* Each read is searched behind the last MARKER_LEN - 1 bytes of the
	 * one before: a marker split between two reads is still found. */
	while ((n = read(out, window + kept, sizeof(window) - kept - 1)) > 0) {
		size_t have = kept + (size_t)n;

		window[have] = '\0';
		if (marker_ms < 0 && strstr(window, argv[1]))
			marker_ms = now_ms() - t0;
		kept = have < marker_len - 1 ? have : marker_len - 1;
		memmove(window, window + have - kept, kept);
	}
	if (wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || marker_ms < 0) {
		fprintf(stderr, "boot-time: %s: %s\n", argv[2], marker_ms < 0 ? "no marker line"
			: "did not exit with status 0");
		return 1;
	}
	printf("%.1f %.1f %ld\n", marker_ms, now_ms() - t0, usage.ru_maxrss);
	return 0;
}
