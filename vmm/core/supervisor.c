/*
 * supervisor: the main thread's part while guests run. It sleeps in
 * sigtimedwait until a guest finishes (GUEST_DONE_SIGNAL), the user sends
 * one of the program's SIGNALS (SIGINT, SIGTERM, and GUEST_SAVE_SIGNAL when
 * the program can save a guest), or --timeout passes; then it asks the others to stop,
 * kicking them until they have. Guests never wait for one another: each
 * runs on its own thread in its own VM.
 */
#include <errno.h>
#include <signal.h>

#include "guest.h"

static struct timespec seconds_from_now(double seconds) {
	struct timespec t;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &t);
	ns = t.tv_nsec + (long long)(seconds * 1e9);	/* at most a week: no overflow */
	return (struct timespec){ .tv_sec = t.tv_sec + ns / 1000000000,
				  .tv_nsec = ns % 1000000000 };
}

static struct timespec time_until(const struct timespec *deadline) {
	struct timespec now;
	long long ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (deadline->tv_sec - now.tv_sec) * 1000000000LL + deadline->tv_nsec - now.tv_nsec;
	ns = ns < 0 ? 0 : ns;
	return (struct timespec){ .tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000 };
}

/* Ask every guest still running to stop (SIGNO: why, 0 for --timeout). */
static void stop_all(struct guest *guests, int count, int signo) {
	for (int i = 0; i < count; i++) {
		if (guests[i].started && !atomic_load(&guests[i].finished)) {
			guests[i].stop_signal = signo;
			atomic_store(&guests[i].stop_requested, true);
			vcpu_kick(guests[i].thread);
		}
	}
}

static bool all_finished(struct guest *guests, int count) {
	for (int i = 0; i < count; i++)
		if (guests[i].started && !atomic_load(&guests[i].finished))
			return false;
	return true;
}

/* Wait for every guest; a stop request is repeated every 50 ms until each
 * has seen it (a kick that lands before a blocking call is lost). Returns
 * the signal that stopped the run, or 0. */
int guests_wait(struct guest *guests, int count, double timeout, const sigset_t *signals) {
	struct timespec deadline = seconds_from_now(timeout), wait;
	bool stopping = false;
	int stopped_by = 0;

	while (!all_finished(guests, count)) {
		int signo;

		wait = stopping ? (struct timespec){ .tv_nsec = 50000000 } : time_until(&deadline);
		signo = sigtimedwait(signals, NULL, stopping || timeout > 0 ? &wait : NULL);
		if (signo > 0 && signo != GUEST_DONE_SIGNAL && !stopped_by)	/* the first */
			stopped_by = signo;
		if (stopped_by || (signo < 0 && errno == EAGAIN)) {
			stopping = true;
			stop_all(guests, count, stopped_by);
		}
	}
	for (int i = 0; i < count; i++)
		if (guests[i].started)
			pthread_join(guests[i].thread, NULL);
	return stopped_by;
}
