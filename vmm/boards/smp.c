/*
 * smp: a Linux guest's vCPUs after the first (--cpus). The guest thread
 * runs vCPU 0, which boots; every other vCPU gets a thread of its own here.
 * KVM keeps such a vCPU waiting for a SIPI in KVM_RUN (its MP state
 * starts as KVM_MP_STATE_UNINITIALIZED: KVM API 4.38 KVM_GET_MP_STATE), and
 * the kernel, which finds it in the MP table (vmm/linux/mptable.c), starts
 * it with INIT and SIPI through the in-kernel local APIC. So a thread only
 * confines itself, as the guest thread does, and runs the core's exit loop
 * on its vCPU. The first loop to end, on any vCPU, ends the guest
 * (struct guest's end_status); board_stop_vcpus then ends the others.
 */
#define _GNU_SOURCE	/* pthread_timedjoin_np */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "board.h"
#include "core/log.h"

/* The vCPUs of the machine: as many as --cpus, one by default. The host's
 * KVM has a limit (KVM API 4.7: KVM_CAP_MAX_VCPUS). */
int board_create_vcpus(struct guest *g) {
	const struct board_config *c = g->board_config;
	int count = c->cpus ? c->cpus : 1, max;
	int rc;

	max = ioctl(g->vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);	/* this VM's */
	if (max <= 0)	/* "if the capability is not present, assume KVM_CAP_NR_VCPUS" */
		max = ioctl(g->vm.fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	if (count > 1 && count > max) {
		log_error(g->name, "--cpus %d: this host's KVM runs at most %d vCPUs in a VM",
			  count, max);
		return EX_UNAVAILABLE;
	}
	for (int i = 0; i < count; i++)
		if ((rc = vcpu_create(&g->vm, g->name)))
			return rc;
	return 0;
}

/* Confined without a name, so silently: if the filter cannot be had, the
 * guest thread, which confines itself with the same one, says so once. */
static void *run_vcpu(void *arg) {
	struct board_vcpu *t = arg;
	struct guest *g = t->g;
	int status = g->hooks && g->hooks->confine ? g->hooks->confine(&g->files, NULL) : 0;

	if (status == 0)
		status = vcpu_run(g, t->vcpu);
	/* The first to end sets the guest's status, and tells vCPU 0's thread. */
	atomic_compare_exchange_strong(&g->end_status, &(int){ GUEST_RUNNING }, status);
	vcpu_kick(g->thread);
	return NULL;
}

/* A thread for each vCPU after the first: the board's last step, as each
 * builds its seccomp filter from the guest's files as they are now. Before
 * the guest thread confines itself: the filter forbids making threads. */
int board_start_vcpus(struct guest *g) {
	struct board_devices *d = g->board_state;

	for (int i = 1; i < g->vm.vcpus; i++) {
		struct board_vcpu *t = &d->vcpu_thread[d->vcpu_threads];
		int err;

		*t = (struct board_vcpu){ .g = g, .vcpu = &g->vm.vcpu[i] };
		if ((err = pthread_create(&t->thread, NULL, run_vcpu, t))) {
			log_error(g->name, "cannot start the thread of vCPU %d: %s", i,
				  strerror(err));
			return EX_OSERR;
		}
		d->vcpu_threads++;
	}
	return 0;
}

/* The guest has ended (the core set end_status before its board's stop):
 * each loop sees that once it is out of KVM_RUN, which a kick makes it
 * leave. A kick that lands before the thread's loop has begun is lost, so
 * it is repeated every 50 ms until the thread has ended, as the
 * supervisor repeats its own. */
void board_stop_vcpus(struct guest *g) {
	struct board_devices *d = g->board_state;

	for (int i = 0; i < d->vcpu_threads; i++) {
		pthread_t thread = d->vcpu_thread[i].thread;
		struct timespec until;

		do {
			vcpu_kick(thread);
			clock_gettime(CLOCK_REALTIME, &until);	/* the join's clock */
			until.tv_nsec += 50000000;
			if (until.tv_nsec >= 1000000000)
				until.tv_sec++, until.tv_nsec -= 1000000000;
		} while (pthread_timedjoin_np(thread, NULL, &until) == ETIMEDOUT);
	}
	d->vcpu_threads = 0;
}
