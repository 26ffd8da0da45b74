/*
 * guest: the life of one guest on its own thread (image, VM, memory, vCPU,
 * devices, run, tear down) and the supervisor that waits for all of them.
 */
#include "guest.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cpu_mode.h"
#include "hypercall.h"
#include "image.h"
#include "log.h"
#include "vcpu.h"

void guest_name_from_path(char *name, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;
	size_t len;

	base = base && base[1] ? base + 1 : path;
	dot = strrchr(base, '.');
	len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	snprintf(name, size, "%.*s", (int)len, base);
}

int guest_crashed(struct guest *g, const char *fmt, ...)
{
	const struct kvm_regs *regs = &g->vm.run->s.regs.regs;
	struct kvm_sregs sregs;
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	/* Registers are in kvm_run (synced on every exit); CS needs an ioctl. */
	if (g->vm.vcpu_fd >= 0 && ioctl(g->vm.vcpu_fd, KVM_GET_SREGS, &sregs) == 0)
		log_error(g->name, "guest crashed: %s at cs:rip %04x:%llx", what,
			  sregs.cs.selector, (unsigned long long)regs->rip);
	else
		log_error(g->name, "guest crashed: %s at rip %llx", what,
			  (unsigned long long)regs->rip);
	return EXIT_GUEST_CRASHED;
}

/* Image checks that need no VM, so a bad image costs no KVM set-up. */
static int open_image(struct guest *g, struct image *img)
{
	int rc = image_open(img, g->image_path, g->name);

	if (rc == 0 && img->format != IMAGE_FLAT) {
		log_error(g->name, "image '%s' is an %s file; this build runs only "
			  "flat real-mode binaries", g->image_path,
			  image_format_name(img->format));
		image_close(img);
		rc = EX_DATAERR;
	}
	return rc;
}

/* Everything between "we have an image" and the first KVM_RUN. */
static int guest_boot(struct guest *g)
{
	uint64_t size = g->config->memory ? g->config->memory
					  : REAL_MODE_MEMORY_DEFAULT;
	struct image img;
	int rc = open_image(g, &img);

	if (rc)
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &g->stats.start);
	if (guest_memory_map(&g->mem, size) < 0) {
		log_error(g->name, "cannot allocate %llu bytes of guest memory: %s",
			  (unsigned long long)size, strerror(errno));
		rc = EX_OSERR;
		goto out;
	}
	if ((rc = image_load_flat(&img, &g->mem, g->name)) ||
	    (rc = vm_create(g->kvm, &g->vm, g->name)) ||
	    (rc = vm_add_memory(&g->vm, 0, g->mem.host, g->mem.size, g->name)) ||
	    (rc = vm_create_vcpu(&g->vm, g->name)) ||
	    (rc = cpu_mode_setup_real(&g->vm, g->mem.size, g->name)))
		goto out;
	uart_init(&g->uart, &g->console, g->input);
	/* Two fixed, distinct ranges: these claims cannot collide. */
	pio_register(&g->pio, "hypercall", HC_PORT, 1, hypercall_io, g);
	pio_register(&g->pio, "uart", UART_COM1_BASE, UART_PORT_COUNT, uart_io,
		     &g->uart);
out:
	image_close(&img);
	return rc;
}

/* Done-ness of all guests, for the supervisor. */
static pthread_mutex_t done_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond;

static void *guest_thread(void *arg)
{
	struct guest *g = arg;
	int status = guest_boot(g);

	if (status == 0)
		status = vcpu_run(g);
	clock_gettime(CLOCK_MONOTONIC, &g->stats.end);
	console_close(&g->console);
	vm_destroy(&g->vm);
	guest_memory_unmap(&g->mem);

	pthread_mutex_lock(&done_lock);
	g->status = status;
	g->done = true;
	pthread_cond_broadcast(&done_cond);
	pthread_mutex_unlock(&done_lock);
	return NULL;
}

void guest_start(struct guest *g)
{
	int err;

	g->vm = (struct vm){ .fd = -1, .vcpu_fd = -1 };
	err = pthread_create(&g->thread, NULL, guest_thread, g);
	if (err) {
		log_error(g->name, "cannot start a thread: %s", strerror(err));
		g->status = EX_OSERR;
		g->done = true;
		return;
	}
	g->started = true;
}

static bool all_done(const struct guest *guests, int count)
{
	for (int i = 0; i < count; i++)
		if (!guests[i].done)
			return false;
	return true;
}

static void add_seconds(struct timespec *t, double seconds)
{
	long long ns = t->tv_nsec + (long long)((seconds - (long long)seconds) * 1e9);

	t->tv_sec += (time_t)seconds + ns / 1000000000;
	t->tv_nsec = ns % 1000000000;
}

void guests_wait(struct guest *guests, int count, double timeout)
{
	pthread_condattr_t attr;
	struct timespec deadline;

	/* Deadlines on the monotonic clock: a clock change cannot move them. */
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&done_cond, &attr);
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	add_seconds(&deadline, timeout);

	pthread_mutex_lock(&done_lock);
	while (!all_done(guests, count)) {
		if (timeout <= 0) {
			pthread_cond_wait(&done_cond, &done_lock);
			continue;
		}
		if (pthread_cond_timedwait(&done_cond, &done_lock, &deadline) != ETIMEDOUT)
			continue;
		/* Past the deadline: kick every guest still running, and again
		 * every 50 ms in case a kick met it between two blocking calls. */
		for (int i = 0; i < count; i++) {
			if (!guests[i].done) {
				atomic_store(&guests[i].stop_requested, true);
				vcpu_kick(guests[i].thread);
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		add_seconds(&deadline, 0.05);
	}
	pthread_mutex_unlock(&done_lock);
	for (int i = 0; i < count; i++)
		if (guests[i].started)
			pthread_join(guests[i].thread, NULL);
	pthread_cond_destroy(&done_cond);
	pthread_condattr_destroy(&attr);
}
