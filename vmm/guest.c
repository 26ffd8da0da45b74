/*
 * guest: the life of one guest on its own thread -- image, memory, VM and
 * vCPU, devices, the run, teardown -- and the supervisor that waits for all
 * of them and enforces --timeout. Each guest is its own KVM VM: one guest
 * cannot reach another's memory because KVM gives each VM its own address
 * space, not because of any convention of ours.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <mini-kvm/boot.h>

#include "gdb.h"

/* "guests/real/hello.bin" -> "hello" */
void guest_name_from_path(char *name, size_t size, const char *path) {
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base && base[1] ? base + 1 : path;
	dot = strrchr(base, '.');
	snprintf(name, size, "%.*s", (int)(dot && dot != base ? dot - base : (long)strlen(base)),
		 base);
}

/* The state a vCPU powers on in (SDM Vol. 3A, 9.1.4): CS base FFFF0000,
 * IP FFF0. No guest of ours is ever there (flat binaries start at 0000:0000
 * with base 0), but KVM on AMD SVM puts the vCPU back there after a
 * triple fault: "the VMCB is undefined after a SHUTDOWN intercept", so
 * svm.c resets it, and where the guest was is lost. */
static bool at_reset_vector(const struct kvm_sregs *sregs, uint64_t rip) {
	return sregs->cs.base == 0xffff0000 && sregs->cs.selector == 0xf000 && rip == 0xfff0;
}

/* Report a guest failure with where it happened; returns EXIT_GUEST_CRASHED. */
int guest_crashed(struct guest *g, const char *fmt, ...) {
	unsigned long long rip = g->vm.run->s.regs.regs.rip;	/* synced on every exit */
	struct kvm_sregs sregs;
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (g->vm.vcpu_fd < 0 || ioctl(g->vm.vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
		log_error(g->name, "guest crashed: %s at rip %llx", what, rip);
	else if (at_reset_vector(&sregs, rip))
		log_error(g->name, "guest crashed: %s; where is unknown: KVM reset the vCPU "
			  "(it does on AMD SVM)", what);
	else
		log_error(g->name, "guest crashed: %s at cs:rip %04x:%llx", what,
			  sregs.cs.selector, rip);
	return EXIT_GUEST_CRASHED;
}

int guest_map_memory(struct guest *g, uint64_t default_size, uint64_t max_size) {
	static const char *const modes[] = { [MODE_REAL] = "real-mode",
		[MODE_PROTECTED] = "protected-mode", [MODE_LONG] = "long-mode", [MODE_LINUX] = "Linux" };
	uint64_t size = g->config->memory ? g->config->memory : default_size;

	if (size > max_size) {
		log_error(g->name, "--memory: %lluK is more than the %lluK a %s guest can address",
			  (unsigned long long)size >> 10, (unsigned long long)max_size >> 10,
			  modes[g->mode]);
		return EX_USAGE;
	}
	if (guest_memory_map(&g->mem, size) < 0) {
		log_error(g->name, "cannot allocate %llu bytes of guest memory: %s",
			  (unsigned long long)size, strerror(errno));
		return EX_OSERR;
	}
	return 0;
}

/* A flat binary at 0, in real mode; never an irqchip. */
static int boot_real(struct guest *g, const struct image *img) {
	int rc;

	g->mode = MODE_REAL;
	if ((rc = guest_map_memory(g, REAL_MODE_MEMORY_DEFAULT, REAL_MODE_MEMORY_MAX)) ||
	    (rc = image_load_flat(img, &g->mem, g->name)) ||
	    (rc = vm_create(g->kvm, &g->vm, &g->mem, 0, g->name)))
		return rc;
	return cpu_mode_setup_real(&g->vm, g->mem.size, g->name);
}

/* An ELF file at its physical addresses: ELF32 in protected mode, with an
 * irqchip if its note asks for one (or --irqchip says so); ELF64 in long
 * mode, ring 3, never an irqchip (no interrupt could reach ring-3-only code). */
static int boot_elf(struct guest *g, const struct image *img) {
	bool is64 = img->format == IMAGE_ELF64, irqchip;
	struct elf_info elf;
	int rc;

	g->mode = is64 ? MODE_LONG : MODE_PROTECTED;
	if ((rc = guest_map_memory(g, PROTECTED_MODE_MEMORY_DEFAULT, PROTECTED_MODE_MEMORY_MAX)) ||
	    (rc = image_load_elf(img, &g->mem, &elf, g->name)))
		return rc;
	irqchip = !is64 && (g->config->irqchip == IRQCHIP_ON ||
			    (g->config->irqchip == IRQCHIP_AUTO &&
			     elf.features & MINI_KVM_FEATURE_IRQCHIP));
	if ((rc = vm_create(g->kvm, &g->vm, &g->mem, irqchip ? VM_IRQCHIP : 0, g->name)) ||
	    (rc = vm_set_cpuid(g->kvm, &g->vm, true, g->name)) ||
	    (rc = is64 ? cpu_mode_setup_long(&g->vm, &g->mem, elf.entry, g->name)
		       : cpu_mode_setup_protected(&g->vm, &g->mem, (uint32_t)elf.entry, g->name)))
		return rc;
	g->stats.irqchip_ns = g->vm.irqchip_ns;
	g->stats.pit_ns = g->vm.pit_ns;
	kbd_init(&g->kbd, g->input, &g->console, &g->vm, !g->config->no_seccomp, g->name);
	pio_register(&g->pio, "keyboard data", KBD_DATA_PORT, 1, kbd_io, &g->kbd);
	pio_register(&g->pio, "keyboard status", KBD_STATUS_PORT, 1, kbd_io, &g->kbd);
	if (kbd_start(&g->kbd) < 0) {
		log_error(g->name, "cannot start the keyboard thread");
		return EX_OSERR;
	}
	return 0;
}

/* A guest that has sent UART_BUSY_BYTES through the UART will likely send
 * more: from now on its transmit-register writes are queued, not exits. */
static void uart_busy(void *arg) {
	struct guest *g = arg;

	vm_coalesce_port(g->kvm, &g->vm, UART_COM1_BASE, g->name);
}

/* --initrd and --append are a Linux kernel's; anything else refuses them. */
static int linux_options_misused(struct guest *g, const struct image *img) {
	static const char *const formats[] = { [IMAGE_FLAT] = "a flat binary",
		[IMAGE_ELF32] = "an ELF32 file", [IMAGE_ELF64] = "an ELF64 file",
		[IMAGE_ELF_INVALID] = "an ELF file" };

	if (img->format == IMAGE_BZIMAGE || (!g->config->append && !g->config->initrd))
		return 0;
	log_error(g->name, "%s is for a Linux kernel; '%s' is %s",
		  g->config->append ? "--append" : "--initrd", g->image_path, formats[img->format]);
	return EX_USAGE;
}

static int boot_image(struct guest *g, const struct image *img) {
	switch (img->format) {
	case IMAGE_FLAT:
		return boot_real(g, img);
	case IMAGE_ELF32:
	case IMAGE_ELF64:
		return boot_elf(g, img);
	case IMAGE_BZIMAGE:
		return boot_linux(g, img);
	default:
		log_error(g->name, "image '%s' is an ELF file of unknown class", g->image_path);
		return EX_DATAERR;
	}
}

/* Everything between "here is an image" and the first KVM_RUN. */
static int guest_boot(struct guest *g) {
	struct image img;
	int rc = g->disk_path ? disk_open(&g->disk, g->disk_path, g->name) : 0;

	if (rc || (rc = image_open(&img, g->image_path, g->name)))
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &g->stats.start);
	uart_init(&g->uart, &g->console, g->input);
	if ((rc = linux_options_misused(g, &img)) == 0 && (rc = boot_image(g, &img)) == 0) {
		/* Fixed, distinct ranges: these claims cannot fail. */
		pio_register(&g->pio, "hypercall", HC_PORT, 1, hypercall_io, g);
		pio_register(&g->pio, "uart", UART_COM1_BASE, UART_PORT_COUNT, uart_io, &g->uart);
		/* Queued transmit writes would wait for an exit that a guest
		 * sleeping until its THRE interrupt never makes. */
		if (!g->uart.irq)
			g->uart.busy = uart_busy, g->uart.busy_arg = g;
	}
	image_close(&img);
	return rc;
}

static void *guest_thread(void *arg) {
	struct guest *g = arg;

	g->status = guest_boot(g);
	if (g->status == 0 && g->gdb)	/* before the filter, which forbids threads and VMs */
		g->status = gdb_accept(g->gdb, g->name) ?: gdb_prepare(g);
	if (g->status == 0 && !g->config->no_seccomp)
		g->status = seccomp_confine(g->disk.fd, g->gdb ? g->gdb->fd : -1,
					    g->name);	/* set-up is over */
	clock_gettime(CLOCK_MONOTONIC, &g->stats.ready);
	if (g->status == 0)
		g->status = vcpu_run(g);
	clock_gettime(CLOCK_MONOTONIC, &g->stats.end);
	kbd_stop(&g->kbd);
	uart_stop(&g->uart);
	if (g->gdb)
		gdb_close(g->gdb);	/* if it never attached, or the guest failed */
	disk_close(&g->disk);
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
	atomic_store(&g->finished, true);
	pthread_kill(g->supervisor, GUEST_DONE_SIGNAL);
	return NULL;
}

void guest_start(struct guest *g) {
	int err;

	g->vm = (struct vm){ .fd = -1, .vcpu_fd = -1 };
	err = pthread_create(&g->thread, NULL, guest_thread, g);
	if (err) {
		log_error(g->name, "cannot start a thread: %s", strerror(err));
		g->status = EX_OSERR;
	}
	g->started = err == 0;
}

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

/* The supervisor: sleep in sigtimedwait until a guest finishes
 * (GUEST_DONE_SIGNAL), the user sends SIGINT or SIGTERM, or --timeout
 * passes; then stop the others, kicking again every 50 ms until they have.
 * Returns the signal that stopped the run, or 0. */
int guests_wait(struct guest *guests, int count, double timeout, const sigset_t *signals) {
	struct timespec deadline = seconds_from_now(timeout), wait;
	bool stopping = false;
	int stopped_by = 0;

	while (!all_finished(guests, count)) {
		int signo;

		wait = stopping ? (struct timespec){ .tv_nsec = 50000000 } : time_until(&deadline);
		signo = sigtimedwait(signals, NULL, stopping || timeout > 0 ? &wait : NULL);
		if (signo == SIGINT || signo == SIGTERM)
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
