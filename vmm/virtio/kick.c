/*
 * kick: notifications without an exit (KVM_IOEVENTFD, KVM API document
 * 4.59). Without it, the driver's write of a queue's index to the notify
 * register is a port-I/O exit: the vCPU leaves the guest, comes back to
 * user space, the device runs the queue, and only then does the guest go
 * on. With it, KVM matches the write in the kernel (the port, 2 bytes,
 * and the queue's index as DATAMATCH), signals an eventfd, and resumes the
 * guest at once. A thread of the device's own waits on the eventfds and
 * runs the queue, in parallel with the vCPU. What it gains is in
 * docs/virtio.md (bench/virtio, with and without).
 *
 * Interrupts stay KVM_IRQ_LINE ioctls from that thread: KVM_IRQFD pulses an
 * edge, and INTx wants a level held until the driver reads the ISR, which
 * needs irqfd's resample mode for a saving of one ioctl per batch.
 */
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "core/kvm.h"
#include "kick.h"

#define POLL_MS 50			/* how soon the thread sees a stop */
#ifdef VIRTIO_KICK_EXITS		/* bench/virtio's other build: every notify an exit */
static const bool by_exit = true;
#else
static const bool by_exit = false;
#endif

/* Queue Q's write at PORT into a new eventfd: its fd, or -1 if KVM said
 * no (it then stays an exit: nothing is lost but speed). Silent. */
static int assign(int vm_fd, uint16_t port, int q) {
	int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	struct kvm_ioeventfd e = { .datamatch = (uint64_t)q, .addr = port, .len = 2, .fd = fd,
				   .flags = KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH };

	if (fd >= 0 && kvm_ioctl(vm_fd, KVM_IOEVENTFD, &e, "KVM_IOEVENTFD", NULL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* What a notify exit does (transport.c), for each queue KVM signalled. */
static void run_queues(struct virtio_kick *k, const struct pollfd *p) {
	struct virtio_dev *v = k->virtio;
	uint64_t count;

	for (int q = 0; q < k->count; q++) {
		if (!(p[q].revents & POLLIN) || read(k->fd[q], &count, sizeof(count)) < 0)
			continue;
		pthread_mutex_lock(&v->lock);
		if (pci_io_enabled(&v->pci))	/* as virtio_bar_io asks of an exit */
			virtio_notify(v, (uint32_t)q);
		pthread_mutex_unlock(&v->lock);
	}
}

static void *kick_thread(void *arg) {
	struct virtio_kick *k = arg;
	struct pollfd p[VIRTIO_QUEUES_MAX];

	k->confine_status = k->confine ? k->confine(&k->files, k->virtio->who) : 0;
	sem_post(&k->confined);
	if (k->confine_status)
		return NULL;	/* said why; virtio_kick_start undoes the rest */
	for (int q = 0; q < k->count; q++)
		p[q] = (struct pollfd){ .fd = k->fd[q], .events = POLLIN };
	while (!atomic_load(&k->stop))
		if (poll(p, (nfds_t)k->count, POLL_MS) > 0)
			run_queues(k, p);
	return NULL;
}

int virtio_kick_start(struct virtio_kick *k, struct virtio_dev *v, int vm_fd, uint16_t bar,
		      confine_fn *confine, const struct guest_files *files) {
	*k = (struct virtio_kick){ .virtio = v, .confine = confine, .files = *files };
	atomic_init(&k->stop, false);
	for (int q = 0; !by_exit && q < v->type->queues && k->files.count < GUEST_FILES_MAX; q++) {
		int fd = assign(vm_fd, (uint16_t)(bar + VIRTIO_BAR_NOTIFY), q);

		if (fd < 0)
			break;		/* this queue and the ones after it: exits */
		k->fd[k->count++] = fd;
		k->files.file[k->files.count++] = (struct guest_file){ fd, GUEST_FILE_EVENT };
	}
	if (k->count == 0)
		return 0;
	sem_init(&k->confined, 0, 0);
	k->started = pthread_create(&k->thread, NULL, kick_thread, k) == 0;
	if (k->started)
		sem_wait(&k->confined);	/* a notify KVM signals must find a reader */
	if (!k->started || k->confine_status) {
		virtio_kick_stop(k);	/* and the VM is closed with the failed boot */
		return -1;
	}
	return 0;
}

/* The eventfds stay with KVM until the VM is closed: a write then is lost. */
void virtio_kick_stop(struct virtio_kick *k) {
	if (k->started) {
		atomic_store(&k->stop, true);
		pthread_join(k->thread, NULL);
		k->started = false;
	}
	if (k->count > 0)
		sem_destroy(&k->confined);
	for (int q = 0; q < k->count; q++)
		close(k->fd[q]);
	k->count = 0;
}
