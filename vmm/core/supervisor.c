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

/* CLOCK_MONOTONIC's time, in nanoseconds. */
static long long now_ns(void) {
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
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
	long long deadline = now_ns() + (long long)(timeout * 1e9), left;	/* < a week */
	bool stopping = false;
	int stopped_by = 0;

	while (!all_finished(guests, count)) {
		struct timespec wait;
		int signo;

		left = stopping ? 50000000 : deadline - now_ns();
		left = left < 0 ? 0 : left;
		wait = (struct timespec){ left / 1000000000, left % 1000000000 };
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
