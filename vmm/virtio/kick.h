/* kick.h: a virtio device's notifications through KVM_IOEVENTFD (kick.c). */
#ifndef VIRTIO_KICK_H
#define VIRTIO_KICK_H

#include <semaphore.h>
#include <stdatomic.h>

#include "devices/devices.h"
#include "virtio.h"

struct virtio_kick {		/* zeroed: nothing to stop */
	struct virtio_dev *virtio;
	int fd[VIRTIO_QUEUES_MAX];	/* an eventfd per queue: fd[0..count) */
	int count;
	confine_fn *confine;
	struct guest_files files;	/* the thread's: the device's own, and the eventfds */
	pthread_t thread;
	bool started;
	atomic_bool stop;
	sem_t confined;			/* the thread has tried its filter: ... */
	int confine_status;		/* ... 0, or the exit status it failed with */
};
/* KVM signals V's queues when the driver writes their index to the notify
 * register of V's BAR at port BAR; a thread runs them, confined to FILES
 * (what the device's notify needs) and the eventfds. Where KVM cannot,
 * notifies stay exits. 0, or -1 if the thread cannot start or confine
 * itself (said; nothing is left behind). */
int virtio_kick_start(struct virtio_kick *k, struct virtio_dev *v, int vm_fd, uint16_t bar,
		      confine_fn *confine, const struct guest_files *files);
void virtio_kick_stop(struct virtio_kick *k);	/* before virtio_stop */

#endif
