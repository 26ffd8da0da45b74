/*
 * hypercall: the functions behind port HC_PORT, one per call number, and the
 * table that routes to them. The ABI is include/mini-kvm/hypercall.h. Every
 * guest address and length goes through guest_ptr().
 */
#include <unistd.h>

#include "vmm.h"

/* The ABI's 32-bit argument registers. */
#define ARG1(regs) ((uint32_t)(regs)->rbx)
#define ARG2(regs) ((uint32_t)(regs)->rcx)

/* HC_EXIT ignores BL, as the original Mini-KVM does: its guests end with
 * whatever they last printed still in BL, and must still exit 0. */
static int hc_exit(struct guest *g, struct kvm_regs *regs) {
	(void)g, (void)regs;
	return 0;
}

static int hc_exit_status(struct guest *g, struct kvm_regs *regs) {
	(void)g;
	return ARG1(regs) & 0xff;
}

static int hc_putchar(struct guest *g, struct kvm_regs *regs) {
	console_putc(&g->console, (uint8_t)ARG1(regs));
	regs->rax = 0;
	return GUEST_RUNNING;
}

static int hc_getchar(struct guest *g, struct kvm_regs *regs) {
	int byte;

	console_flush(&g->console);	/* the prompt before the wait */
	byte = input_getc(g->input, &g->stop_requested);
	regs->rax = byte == INPUT_EOF ? HC_EOF : (uint64_t)byte;
	return GUEST_RUNNING;
}

static int hc_write(struct guest *g, struct kvm_regs *regs) {
	void *buf = guest_ptr(&g->mem, ARG1(regs), ARG2(regs));

	if (buf)
		console_write(&g->console, buf, ARG2(regs));
	regs->rax = buf ? ARG2(regs) : HC_ERR_FAULT;
	return GUEST_RUNNING;
}

static int hc_read(struct guest *g, struct kvm_regs *regs) {
	void *buf = guest_ptr(&g->mem, ARG1(regs), ARG2(regs));
	ssize_t n;

	console_flush(&g->console);
	n = buf ? input_read(g->input, buf, ARG2(regs), &g->stop_requested) : 0;
	regs->rax = !buf ? HC_ERR_FAULT : n < 0 ? HC_ERR_IO : (uint64_t)n;
	return GUEST_RUNNING;
}

static int hc_clock(struct guest *g, struct kvm_regs *regs) {
	struct timespec now;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (uint64_t)(now.tv_sec - g->stats.start.tv_sec) * 1000000000u +
	     (uint64_t)now.tv_nsec - (uint64_t)g->stats.start.tv_nsec;
	regs->rax = (uint32_t)ns;	/* EDX:EAX, the way RDTSC returns a 64-bit count */
	regs->rdx = (uint32_t)(ns >> 32);
	return GUEST_RUNNING;
}

/* HC_DISK_READ/WRITE: one sector between guest memory and the --disk file;
 * both the buffer and the sector number are checked before any I/O. */
static int hc_disk(struct guest *g, struct kvm_regs *regs, bool write) {
	void *buf = guest_ptr(&g->mem, ARG1(regs), HC_SECTOR_SIZE);
	uint64_t sector = ARG2(regs);
	off_t at = (off_t)(sector * HC_SECTOR_SIZE);
	ssize_t n;

	if (g->disk.fd < 0)
		regs->rax = HC_ERR_NODEV;
	else if (!buf)
		regs->rax = HC_ERR_FAULT;
	else if (sector >= g->disk.sectors)
		regs->rax = HC_ERR_RANGE;
	else {
		n = write ? pwrite(g->disk.fd, buf, HC_SECTOR_SIZE, at)
			  : pread(g->disk.fd, buf, HC_SECTOR_SIZE, at);
		regs->rax = n == HC_SECTOR_SIZE ? 1 : HC_ERR_IO;
	}
	return GUEST_RUNNING;
}

static int hc_disk_read(struct guest *g, struct kvm_regs *regs) {
	return hc_disk(g, regs, false);
}

static int hc_disk_write(struct guest *g, struct kvm_regs *regs) {
	return hc_disk(g, regs, true);
}

static const struct {
	const char *name;
	int (*call)(struct guest *g, struct kvm_regs *regs);
} hypercalls[HC_COUNT] = {
	[HC_EXIT] = { "EXIT", hc_exit },	 [HC_PUTCHAR] = { "PUTCHAR", hc_putchar },
	[HC_GETCHAR] = { "GETCHAR", hc_getchar }, [HC_WRITE] = { "WRITE", hc_write },
	[HC_READ] = { "READ", hc_read },	 [HC_CLOCK] = { "CLOCK", hc_clock },
	[HC_DISK_READ] = { "DISK_READ", hc_disk_read },
	[HC_DISK_WRITE] = { "DISK_WRITE", hc_disk_write },
	[HC_EXIT_STATUS] = { "EXIT_STATUS", hc_exit_status },
};

const char *hypercall_name(uint32_t nr) {
	return nr < HC_COUNT ? hypercalls[nr].name : NULL;
}

int hypercall_dispatch(struct guest *g, uint32_t nr, struct kvm_regs *regs) {
	if (nr >= HC_COUNT) {
		g->stats.unknown_hypercalls++;
		log_verbose(g->name, "unknown hypercall %u: returns HC_ERR_NOSYS", nr);
		regs->rax = HC_ERR_NOSYS;
		return GUEST_RUNNING;
	}
	g->stats.hypercalls[nr]++;
	return hypercalls[nr].call(g, regs);
}

/* The number is the OUT's own data (AL, AX or EAX); the arguments are in
 * the registers KVM synced into kvm_run on this exit (KVM_CAP_SYNC_REGS). */
int hypercall_io(void *guest, uint16_t offset, struct pio_access *access) {
	struct guest *g = guest;
	int status;

	(void)offset;
	if (!access->is_write) {	/* nothing to read here: an empty bus */
		access->value = 0xFFFFFFFF;
		return GUEST_RUNNING;
	}
	status = hypercall_dispatch(g, access->value, &g->vm.run->s.regs.regs);
	g->vm.run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;	/* KVM loads EAX back */
	return status;
}
