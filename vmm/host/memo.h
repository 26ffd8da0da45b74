/*
 * memo.h: an answer about this host found once per process, by whichever
 * thread asks first, then kept: KVM's CPUID table (cpuid.c), what a probe
 * VM found (probe.c, vmm/gdb/probe.c). Guests boot on their own threads,
 * hence the lock.
 */
#ifndef HOST_MEMO_H
#define HOST_MEMO_H

#include <pthread.h>
#include <stdbool.h>

struct memo {
	pthread_mutex_t lock;
	bool known;
};
#define MEMO_INIT { PTHREAD_MUTEX_INITIALIZER, false }

/* Unless an earlier call has found the answer, run FIND(ARG) under M's
 * lock. FIND stores the answer itself and returns whether it found one:
 * false (a KVM call that failed) leaves it unknown, to be tried again by
 * the next caller. True once known. */
bool memo_find(struct memo *m, bool (*find)(void *arg), void *arg);

#endif
