/*
 * guest: the life of one guest on its own thread -- image, board (memory,
 * VM and vCPU, devices), the run, teardown. Each guest is its own KVM VM:
 * one guest cannot reach another's memory because KVM gives each VM its
 * own address space, not because of any convention of ours.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest.h"
#include "log.h"

/* Guest RAM: --memory, or DEFAULT_SIZE; at most MAX_SIZE for this board. */
int guest_map_memory(struct guest *g, uint64_t default_size, uint64_t max_size) {
	uint64_t size = g->config->memory ? g->config->memory : default_size;

	if (size > max_size) {
		log_error(g->name, "--memory: %lluK is more than the %lluK a %s guest can address",
			  (unsigned long long)size >> 10, (unsigned long long)max_size >> 10,
			  g->board->name);
		return EX_USAGE;
	}
	if (guest_memory_map(&g->mem, size) < 0) {
		log_error(g->name, "cannot allocate %llu bytes of guest memory: %s",
			  (unsigned long long)size, strerror(errno));
		return EX_OSERR;
	}
	return 0;
}

int guest_add_file(struct guest *g, int fd, enum guest_file_use use) {
	if (g->files.count == GUEST_FILES_MAX)
		return -1;
	g->files.file[g->files.count++] = (struct guest_file){ .fd = fd, .use = use };
	return 0;
}

/* The first board that claims the image, and its state, zeroed. */
static int choose_board(struct guest *g, const struct image *img) {
	const struct board *const *b = g->boards;

	while (*b && !(*b)->claims(img))
		b++;
	if (!*b) {
		if (img->format == IMAGE_ELF_INVALID)
			log_error(g->name, "image '%s' is an ELF file of unknown class", img->path);
		else
			log_error(g->name, "image '%s': no board of this mini-kvm runs its format",
				  img->path);
		return EX_DATAERR;
	}
	g->board_state = calloc(1, (*b)->state_size ? (*b)->state_size : 1);
	if (!g->board_state) {
		log_error(g->name, "out of memory");
		return EX_OSERR;
	}
	g->board = *b;
	return 0;
}

/* Every guest of one vCPU has the hypercall device: the core's ABI. A
 * machine of several (a Linux kernel's, --cpus) has none, as a PC has no
 * port 0x500: a call that waits for stdin would hold the devices (the bus
 * lock) from every other vCPU. */
static int attach_hypercalls(struct guest *g) {
	if (g->vm.vcpus > 1 ||
	    pio_register(&g->pio, "hypercall", HC_PORT, 1, hypercall_io, &g->hc) == 0)
		return 0;
	log_error(g->name, "the board already claimed the hypercall port 0x%x", HC_PORT);
	return EX_SOFTWARE;
}

/* Everything between "here is an image" and the first KVM_RUN. */
static int guest_boot(struct guest *g) {
	struct image img;
	int rc = image_open(&img, g->image_path, g->name);

	if (rc)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &g->stats.start);
	hypercalls_init(&g->hc, g->name, &g->mem, &g->console, g->input, &g->stop_requested);
	rc = choose_board(g, &img) ?: g->board->boot(g, &img) ?: attach_hypercalls(g);
	image_close(&img);
	return rc;
}

/* The run is over, or never began: undo everything, in reverse. */
static void guest_teardown(struct guest *g) {
	if (g->debug)
		g->debug->ended(g, g->status);
	if (g->board && g->board->stop)
		g->board->stop(g);
	free(g->board_state);	/* and nothing may point into it any more: */
	g->board_state = NULL, g->queued = (struct queued_writes){ 0 };
	memset(g->hc.added, 0, sizeof(g->hc.added));
	console_close(&g->console);
	if (g->console.write_error && g->status == 0) {	/* its last line was lost */
		log_error(g->name, "cannot write its output: %s", strerror(g->console.write_error));
		g->status = EX_IOERR;
	}
	vm_destroy(&g->vm);
	g->stats.memory = g->mem.size;
	if (g->config->stats)
		g->stats.resident = guest_memory_resident(&g->mem);
	guest_memory_unmap(&g->mem);
}

static void *guest_thread(void *arg) {
	struct guest *g = arg;

	g->status = guest_boot(g);
	if (g->status == 0 && g->debug)	/* before the filter, which forbids threads and VMs */
		g->status = g->debug->attach(g);
	if (g->status == 0 && g->hooks && g->hooks->confine)
		g->status = g->hooks->confine(&g->files, g->name);	/* set-up is over */
	clock_gettime(CLOCK_MONOTONIC, &g->stats.ready);
	if (g->status == 0)
		g->status = vcpu_run(g, &g->vm.vcpu[0]);
	/* The boot vCPU's loop has ended, unless another vCPU's ended first:
	 * the board's stop ends the rest. */
	atomic_compare_exchange_strong(&g->end_status, &(int){ GUEST_RUNNING }, g->status);
	g->status = atomic_load(&g->end_status);
	clock_gettime(CLOCK_MONOTONIC, &g->stats.end);
	guest_teardown(g);
	atomic_store(&g->finished, true);
	pthread_kill(g->supervisor, GUEST_DONE_SIGNAL);
	return NULL;
}

void guest_start(struct guest *g) {
	int err;

	g->vm = (struct vm){ .fd = -1 };
	atomic_init(&g->end_status, GUEST_RUNNING);
	pthread_mutex_init(&g->bus_lock, NULL);
	err = pthread_create(&g->thread, NULL, guest_thread, g);
	if (err) {
		log_error(g->name, "cannot start a thread: %s", strerror(err));
		g->status = EX_OSERR;
	}
	g->started = err == 0;
}
