/*
 * hypercall: the functions behind port HC_PORT, one per call number, and the
 * table that routes to them. The ABI is include/mini-kvm/hypercall.h. Every
 * guest address and length goes through guest_ptr().
 */
#include <stdbool.h>

#include "hypercall.h"
#include "log.h"

/* HC_EXIT ignores BL, as the original Mini-KVM does: its guests end with
 * whatever they last printed still in BL, and must still exit 0. */
static struct run_result hc_exit(struct hypercalls *hc, struct kvm_regs *regs) {
	(void)hc, (void)regs;
	return run_ends(0);
}

static struct run_result hc_exit_status(struct hypercalls *hc, struct kvm_regs *regs) {
	(void)hc;
	return run_ends(HC_ARG1(regs) & 0xff);
}

static struct run_result hc_putchar(struct hypercalls *hc, struct kvm_regs *regs) {
	console_putc(hc->out, (uint8_t)HC_ARG1(regs));
	regs->rax = 0;
	return RUN_ON;
}

static struct run_result hc_getchar(struct hypercalls *hc, struct kvm_regs *regs) {
	int byte;

	console_flush(hc->out);	/* the prompt before the wait */
	byte = input_getc(hc->in, hc->stop);
	if (byte == INPUT_EOF && (hc->interrupted = hc->stop && atomic_load(hc->stop)))
		return RUN_ON;	/* stopped, not answered: a saved guest asks again */
	regs->rax = byte == INPUT_EOF ? HC_EOF : (uint64_t)byte;
	return RUN_ON;
}

static struct run_result hc_write(struct hypercalls *hc, struct kvm_regs *regs) {
	void *buf = guest_ptr(hc->mem, HC_ARG1(regs), HC_ARG2(regs));

	if (buf)
		console_write(hc->out, buf, HC_ARG2(regs));
	regs->rax = buf ? HC_ARG2(regs) : HC_ERR_FAULT;
	return RUN_ON;
}

static struct run_result hc_read(struct hypercalls *hc, struct kvm_regs *regs) {
	void *buf = guest_ptr(hc->mem, HC_ARG1(regs), HC_ARG2(regs));
	ssize_t n;

	console_flush(hc->out);
	n = buf ? input_read(hc->in, buf, HC_ARG2(regs), hc->stop) : 0;
	if (n < 0 && (hc->interrupted = hc->stop && atomic_load(hc->stop)))
		return RUN_ON;
	regs->rax = !buf ? HC_ERR_FAULT : n < 0 ? HC_ERR_IO : (uint64_t)n;
	return RUN_ON;
}

static struct run_result hc_clock(struct hypercalls *hc, struct kvm_regs *regs) {
	struct timespec now;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (uint64_t)(now.tv_sec - hc->start.tv_sec) * 1000000000u +
	     (uint64_t)now.tv_nsec - (uint64_t)hc->start.tv_nsec;
	regs->rax = (uint32_t)ns;	/* EDX:EAX, the way RDTSC returns a 64-bit count */
	regs->rdx = (uint32_t)(ns >> 32);
	return RUN_ON;
}

/* A call of the ABI whose device this guest has not got (no --disk). */
static struct run_result hc_no_device(struct hypercalls *hc, struct kvm_regs *regs) {
	(void)hc;
	regs->rax = HC_ERR_NODEV;
	return RUN_ON;
}

static const struct {
	const char *name;
	struct run_result (*call)(struct hypercalls *hc, struct kvm_regs *regs);
} hypercalls[HC_COUNT] = {
	[HC_EXIT] = { "EXIT", hc_exit },	 [HC_PUTCHAR] = { "PUTCHAR", hc_putchar },
	[HC_GETCHAR] = { "GETCHAR", hc_getchar }, [HC_WRITE] = { "WRITE", hc_write },
	[HC_READ] = { "READ", hc_read },	 [HC_CLOCK] = { "CLOCK", hc_clock },
	[HC_DISK_READ] = { "DISK_READ", hc_no_device },	/* hypercall_add replaces */
	[HC_DISK_WRITE] = { "DISK_WRITE", hc_no_device },
	[HC_EXIT_STATUS] = { "EXIT_STATUS", hc_exit_status },
};

void hypercalls_init(struct hypercalls *hc, const char *who, struct guest_memory *mem,
		     struct console *out, struct input *in, const atomic_bool *stop) {
	*hc = (struct hypercalls){ .who = who, .mem = mem, .out = out, .in = in, .stop = stop };
	clock_gettime(CLOCK_MONOTONIC, &hc->start);
}

/* Only a device's own calls can be added: the core's stay the core's. */
int hypercall_add(struct hypercalls *hc, uint32_t nr, hypercall_fn *call, void *device) {
	if (nr >= HC_COUNT || hypercalls[nr].call != hc_no_device || hc->added[nr].call)
		return -1;
	hc->added[nr].call = call, hc->added[nr].device = device;
	return 0;
}

const char *hypercall_name(uint32_t nr) {
	return nr < HC_COUNT ? hypercalls[nr].name : NULL;
}

struct run_result hypercall_dispatch(struct hypercalls *hc, uint32_t nr, struct kvm_regs *regs) {
	if (nr >= HC_COUNT) {
		hc->unknown++;
		log_verbose(hc->who, "unknown hypercall %u: returns HC_ERR_NOSYS", nr);
		regs->rax = HC_ERR_NOSYS;
		return RUN_ON;
	}
	hc->count[nr]++;
	if (hc->added[nr].call)
		return hc->added[nr].call(hc->added[nr].device, regs);
	return hypercalls[nr].call(hc, regs);
}

/* The number is the OUT's own data (AL, AX or EAX); the arguments are in
 * the registers KVM synced into kvm_run on this exit (KVM_CAP_SYNC_REGS). */
struct run_result hypercall_io(void *device, uint16_t offset, struct pio_access *access) {
	struct hypercalls *hc = device;
	struct run_result result;

	(void)offset;
	if (!access->is_write) {	/* nothing to read here: an empty bus */
		access->value = 0xFFFFFFFF;
		return RUN_ON;
	}
	result = hypercall_dispatch(hc, access->value, &hc->run->s.regs.regs);
	hc->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;	/* KVM loads EAX back */
	return result;
}
