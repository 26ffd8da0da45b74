/*
 * cpu: what the GDB stub (stub.c) does to the vCPU -- its registers in
 * the order gdb expects them, guest memory at the addresses gdb uses
 * (virtual: translated by the vCPU's own page tables, KVM_TRANSLATE), and
 * single-step and breakpoints through KVM_SET_GUEST_DEBUG (KVM API 4.89).
 * Every address and length from gdb is checked here before use.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "gdb.h"
#include "long/x86.h"

/* gdb's register numbers: its "i386" and "amd64" register sets (the GDB
 * manual, "i386 Features"); we send the general registers, the
 * instruction pointer, the flags and the six segment selectors. */
static const uint8_t amd64_order[] = { 0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15 };
static const uint8_t i386_order[] = { 0, 1, 2, 3, 4, 5, 6, 7 };	/* eax ecx edx ebx esp ebp esi edi */

/* The general registers in the x86 encoding order rax rcx rdx rbx rsp rbp rsi rdi r8-r15. */
static __u64 *gpr(struct kvm_regs *r, unsigned n) {
	__u64 *regs[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi,
			    &r->rdi, &r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13,
			    &r->r14, &r->r15 };

	return regs[n];
}

bool gdb_cpu_is64(const struct guest *g) {
	return g->cpu == CPU_LONG;
}

/* The architecture gdb should assume (its "set architecture" names). */
const char *gdb_cpu_arch(const struct guest *g) {
	return gdb_cpu_is64(g) ? "i386:x86-64" : g->cpu == CPU_REAL ? "i8086" : "i386";
}

/* Register N's bytes into OUT (little-endian); its size, or 0 if we have no
 * register N. */
static size_t read_register(struct guest *g, const struct kvm_sregs *s, unsigned n,
			    uint8_t *out) {
	struct kvm_regs *r = &g->vm.vcpu[0].run->s.regs.regs;
	unsigned gprs = gdb_cpu_is64(g) ? 16 : 8, size = gdb_cpu_is64(g) ? 8 : 4;
	const struct kvm_segment *segs[6] = { &s->cs, &s->ss, &s->ds, &s->es, &s->fs, &s->gs };
	uint64_t value;

	if (n < gprs)
		value = *gpr(r, gdb_cpu_is64(g) ? amd64_order[n] : i386_order[n]);
	else if (n == gprs)
		value = r->rip;
	else if (n == gprs + 1)
		value = r->rflags, size = 4;
	else if (n < gprs + 8)
		value = segs[n - gprs - 2]->selector, size = 4;
	else
		return 0;
	memcpy(out, &value, size);
	return size;
}

/* The 'g' packet: every register we have, in order; its length in bytes,
 * or -1 if the vCPU's registers cannot be read. */
int gdb_cpu_registers(struct guest *g, uint8_t *out, size_t cap) {
	struct kvm_sregs s;
	size_t len = 0, n;

	if (ioctl(g->vm.vcpu[0].fd, KVM_GET_SREGS, &s) < 0)
		return -1;
	for (unsigned i = 0; len + 8 <= cap && (n = read_register(g, &s, i, out + len)); i++)
		len += n;
	return (int)len;
}

/* One register, for 'p': its size, or 0 if there is no such register. */
size_t gdb_cpu_register(struct guest *g, unsigned n, uint8_t out[8]) {
	struct kvm_sregs s;

	if (ioctl(g->vm.vcpu[0].fd, KVM_GET_SREGS, &s) < 0)
		return 0;
	return read_register(g, &s, n, out);
}

/* Set register N from SIZE bytes at IN ('P', and 'G' one by one). The
 * segment selectors are read-only here: loading one needs its descriptor,
 * which is the guest's business. -1 if N is not a register we can set. */
int gdb_cpu_set_register(struct guest *g, unsigned n, const uint8_t *in, size_t size) {
	struct kvm_regs *r = &g->vm.vcpu[0].run->s.regs.regs;
	unsigned gprs = gdb_cpu_is64(g) ? 16 : 8, width = gdb_cpu_is64(g) ? 8 : 4;
	uint64_t value = 0;

	if (n > gprs + 1 || size != (n == gprs + 1 ? 4 : width))
		return -1;
	memcpy(&value, in, size);
	if (n < gprs)
		*gpr(r, gdb_cpu_is64(g) ? amd64_order[n] : i386_order[n]) = value;
	else if (n == gprs)
		r->rip = value;
	else
		r->rflags = value | 0x2;	/* bit 1 is always 1 */
	g->vm.vcpu[0].run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
	return 0;
}

/* The registers 'G' sends: as many as its LEN bytes hold, in 'g' order. */
int gdb_cpu_set_registers(struct guest *g, const uint8_t *in, size_t len) {
	struct kvm_sregs s;
	uint8_t old[8];
	size_t at = 0, size;

	if (ioctl(g->vm.vcpu[0].fd, KVM_GET_SREGS, &s) < 0)
		return -1;
	for (unsigned n = 0; (size = read_register(g, &s, n, old)) && at + size <= len; n++) {
		if (memcmp(old, in + at, size) && gdb_cpu_set_register(g, n, in + at, size) < 0)
			return -1;	/* a segment selector that would change */
		at += size;
	}
	return 0;
}

/* LEN bytes at virtual address ADDR, read into BUF or written from it.
 * Page by page: each is translated through the vCPU's page tables as it is
 * now (KVM_TRANSLATE), then checked against guest RAM (guest_ptr). -1 if
 * any byte is not there: nothing beyond the failing page is touched. */
int gdb_cpu_memory(struct guest *g, uint64_t addr, uint8_t *buf, size_t len, bool write) {
	while (len > 0) {
		struct kvm_translation t = { .linear_address = addr };
		size_t chunk = 4096 - (addr & 4095);
		uint8_t *p;

		chunk = chunk < len ? chunk : len;
		if (ioctl(g->vm.vcpu[0].fd, KVM_TRANSLATE, &t) < 0 || !t.valid ||
		    !(p = guest_ptr(&g->mem, t.physical_address, chunk)))
			return -1;
		if (write)
			memcpy(p, buf, chunk);
		else
			memcpy(buf, p, chunk);
		addr += chunk, buf += chunk, len -= chunk;
	}
	return 0;
}


/*
 * Registers changed in kvm_run's sync area reach KVM only at the next
 * KVM_RUN. KVM_SET_GUEST_DEBUG must see them before that: it arms a
 * single-step only for the RIP the vCPU has when it is called
 * (x86.c: singlestep_rip), so a RIP still pending would lose the step.
 */
int gdb_sync_regs_now(struct vm *vm, const char *who) {
	if (!(vm->vcpu[0].run->kvm_dirty_regs & KVM_SYNC_X86_REGS))
		return 0;
	if (KVM_IOCTL(vm->vcpu[0].fd, KVM_SET_REGS, &vm->vcpu[0].run->s.regs.regs, who) < 0)
		return -1;
	vm->vcpu[0].run->kvm_dirty_regs &= ~(uint64_t)KVM_SYNC_X86_REGS;
	return 0;
}

/* Tell KVM how the guest goes on: STEP one instruction or free, and stop
 * at the breakpoints in D (debug registers DR0-DR3). */
int gdb_cpu_set_debug(struct guest *g, const struct gdb *d, bool step) {
	struct kvm_guest_debug dbg = { .control = KVM_GUESTDBG_ENABLE };

	if (gdb_sync_regs_now(&g->vm, g->name) < 0)
		return -1;
	dbg.arch.debugreg[7] = DR7_FIXED;
	for (int i = 0; i < GDB_BREAKPOINTS; i++) {
		if (!d->used[i])
			continue;
		dbg.arch.debugreg[i] = d->breakpoint[i];
		dbg.arch.debugreg[7] |= DR7_LOCAL_ENABLE(i);
		dbg.control |= KVM_GUESTDBG_USE_HW_BP;
	}
	if (step)
		dbg.control |= KVM_GUESTDBG_SINGLESTEP;
	if (!step && !(dbg.control & KVM_GUESTDBG_USE_HW_BP))
		dbg.control = 0;	/* nothing to catch: the guest runs untouched */
	return KVM_IOCTL(g->vm.vcpu[0].fd, KVM_SET_GUEST_DEBUG, &dbg, g->name) < 0 ? -1 : 0;
}
