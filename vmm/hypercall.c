/*
 * hypercall: one function per call number, and the table that routes to
 * them. Every guest address and length goes through guest_ptr().
 */
#include "hypercall.h"

#include <errno.h>
#include <time.h>

#include "guest.h"
#include "log.h"

typedef int hypercall_fn(struct guest *g, struct kvm_regs *regs);

/* The 32-bit argument registers of the ABI. */
static uint32_t arg1(const struct kvm_regs *r) { return (uint32_t)r->rbx; }
static uint32_t arg2(const struct kvm_regs *r) { return (uint32_t)r->rcx; }

static int hc_exit(struct guest *g, struct kvm_regs *regs)
{
	(void)g;
	return arg1(regs) & 0xff;
}

static int hc_putchar(struct guest *g, struct kvm_regs *regs)
{
	console_putc(&g->console, (uint8_t)arg1(regs));
	regs->rax = 0;
	return GUEST_RUNNING;
}

static int hc_getchar(struct guest *g, struct kvm_regs *regs)
{
	int byte;

	console_flush(&g->console);
	do
		byte = input_getc(g->input);
	while (byte == INPUT_INTR && !atomic_load(&g->stop_requested));
	/* Interrupted by a stop: the result does not matter, the guest ends. */
	regs->rax = byte >= 0 ? (uint64_t)byte : HC_EOF;
	return GUEST_RUNNING;
}

static int hc_write(struct guest *g, struct kvm_regs *regs)
{
	void *buf = guest_ptr(&g->mem, arg1(regs), arg2(regs));

	if (!buf) {
		regs->rax = HC_ERR_FAULT;
		return GUEST_RUNNING;
	}
	console_write(&g->console, buf, arg2(regs));
	regs->rax = arg2(regs);
	return GUEST_RUNNING;
}

static int hc_read(struct guest *g, struct kvm_regs *regs)
{
	void *buf = guest_ptr(&g->mem, arg1(regs), arg2(regs));
	ssize_t n;

	if (!buf) {
		regs->rax = HC_ERR_FAULT;
		return GUEST_RUNNING;
	}
	console_flush(&g->console);
	do
		n = input_read(g->input, buf, arg2(regs));
	while (n < 0 && errno == EINTR && !atomic_load(&g->stop_requested));
	regs->rax = n >= 0 ? (uint64_t)n : HC_ERR_IO;
	return GUEST_RUNNING;
}

static int hc_clock(struct guest *g, struct kvm_regs *regs)
{
	struct timespec now;
	uint64_t ns;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ns = (uint64_t)(now.tv_sec - g->stats.start.tv_sec) * 1000000000u +
	     (uint64_t)now.tv_nsec - (uint64_t)g->stats.start.tv_nsec;
	regs->rax = (uint32_t)ns;	/* EDX:EAX, as RDTSC returns it */
	regs->rdx = (uint32_t)(ns >> 32);
	return GUEST_RUNNING;
}

static const struct {
	const char *name;
	hypercall_fn *fn;
} hypercalls[HC_COUNT] = {
	[HC_EXIT] = { "EXIT", hc_exit },
	[HC_PUTCHAR] = { "PUTCHAR", hc_putchar },
	[HC_GETCHAR] = { "GETCHAR", hc_getchar },
	[HC_WRITE] = { "WRITE", hc_write },
	[HC_READ] = { "READ", hc_read },
	[HC_CLOCK] = { "CLOCK", hc_clock },
};

const char *hypercall_name(uint32_t nr)
{
	return nr < HC_COUNT ? hypercalls[nr].name : NULL;
}

int hypercall_dispatch(struct guest *g, uint32_t nr, struct kvm_regs *regs)
{
	if (nr >= HC_COUNT) {
		g->stats.unknown_hypercalls++;
		log_verbose(g->name, "unknown hypercall %u: returns HC_ERR_NOSYS", nr);
		regs->rax = HC_ERR_NOSYS;
		return GUEST_RUNNING;
	}
	g->stats.hypercalls[nr]++;
	return hypercalls[nr].fn(g, regs);
}

int hypercall_io(void *guest, uint16_t offset, struct pio_access *access)
{
	struct guest *g = guest;
	struct kvm_run *run = g->vm.run;
	int status;

	(void)offset;
	if (!access->is_write) {	/* nothing to read here: an empty bus */
		access->value = 0xFFFFFFFF;
		return GUEST_RUNNING;
	}
	/* The number is the OUT's own data (AL, AX or EAX), the arguments are
	 * in the registers KVM synced into kvm_run on this exit. */
	status = hypercall_dispatch(g, access->value, &run->s.regs.regs);
	run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;	/* write EAX back */
	return status;
}
