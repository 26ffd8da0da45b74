/*
 * probe: when a protected-mode guest dies, was it the guest, or a
 * host KVM that cannot do what the guest needed? Some KVMs cannot: a
 * software KVM such as PVM (DESIGN.md section 8) refuses 32-bit paging and
 * cannot emulate INT/IRET in protected mode. We find out the honest way:
 * run a tiny VM that does only that one thing, once per process, and only
 * after a crash -- a guest that runs pays nothing.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include <mini-kvm/boot.h>

#include "host.h"
#include "long/x86.h"

#define PROBE_MEMORY (32u << 10)	/* the boot area and nothing more */
#define PROBE_CODE 0x100
#define PROBE_IDTR 0x200
#define PROBE_IDT 0x400
#define PROBE_VECTOR 0x30
#define PROBE_PAGE_DIR 0x2000
#define PDE_4MB_PRESENT_WRITABLE 0x83

/* Each probe ends with an OUT to HC_PORT, reached only if the host did it. */
static const uint8_t paging_code[] = {
	0xb8, 0x00, 0x20, 0x00, 0x00,	/* mov $PROBE_PAGE_DIR, %eax */
	0x0f, 0x22, 0xd8,		/* mov %eax, %cr3 */
	0x0f, 0x20, 0xe0,		/* mov %cr4, %eax */
	0x83, 0xc8, 0x10,		/* or $CR4_PSE, %eax: 4 MB pages */
	0x0f, 0x22, 0xe0,		/* mov %eax, %cr4 */
	0x0f, 0x20, 0xc0,		/* mov %cr0, %eax */
	0x0d, 0x00, 0x00, 0x00, 0x80,	/* or $CR0_PG, %eax */
	0x0f, 0x22, 0xc0,		/* mov %eax, %cr0: paging on */
	0x66, 0xba, 0x00, 0x05,		/* mov $HC_PORT, %dx */
	0xee, 0xf4,			/* out %al, (%dx); hlt */
};
static const uint8_t interrupt_code[] = {
	0x0f, 0x01, 0x1d, 0x00, 0x02, 0x00, 0x00,	/* lidt PROBE_IDTR */
	0xcd, PROBE_VECTOR,				/* int $PROBE_VECTOR */
	0x66, 0xba, 0x00, 0x05,				/* mov $HC_PORT, %dx */
	0xee, 0xf4,					/* out %al, (%dx); hlt */
	0xcf,						/* the handler: iret */
};
#define INTERRUPT_HANDLER (PROBE_CODE + sizeof(interrupt_code) - 1)

enum host_feature { HOST_PAGING32, HOST_INTERRUPTS, HOST_FEATURES };
static const struct probe {
	const char *needs;	/* what a guest that needs it needs, in words */
	const uint8_t *code;
	size_t size;
} probes[HOST_FEATURES] = {
	[HOST_PAGING32] = { "32-bit paging", paging_code, sizeof(paging_code) },
	[HOST_INTERRUPTS] = { "interrupts and exceptions in protected mode (INT/IRET)",
			      interrupt_code, sizeof(interrupt_code) },
};

static void probe_tables(struct guest_memory *mem) {
	uint16_t idtr_limit = (PROBE_VECTOR + 1) * 8 - 1;
	uint32_t idtr_base = PROBE_IDT, pde = PDE_4MB_PRESENT_WRITABLE;
	uint64_t gate = INTERRUPT_HANDLER | (uint64_t)BOOT_CODE_SELECTOR << 16 |
			(uint64_t)GATE_INTERRUPT_32 << 40;	/* handler < 64K */

	memcpy(mem->host + PROBE_IDTR, &idtr_limit, 2);
	memcpy(mem->host + PROBE_IDTR + 2, &idtr_base, 4);
	memcpy(mem->host + PROBE_IDT + PROBE_VECTOR * 8, &gate, 8);
	memcpy(mem->host + PROBE_PAGE_DIR, &pde, 4);	/* 0-4 MB, identity */
}

/* A probe VM's one KVM_RUN (here and vmm/gdb): a signal that interrupts
 * it (a kick of this thread, say) is no answer, so it runs again. */
int vcpu_run_uninterrupted(struct vcpu *v) {
	int r;

	while ((r = ioctl(v->fd, KVM_RUN, 0)) < 0 && errno == EINTR)
		v->run->immediate_exit = 0;
	return r;
}

/* Run one probe VM: true if it reached its OUT, false if the host could not.
 * Silent (no WHO): its failures are the answer, not the user's business. */
static bool run_probe(const struct kvm *kvm, const struct probe *p) {
	struct guest_memory mem;
	struct vm vm = { .fd = -1 };
	bool ok = false;

	if (guest_memory_map(&mem, PROBE_MEMORY) < 0)
		return false;
	memcpy(mem.host + PROBE_CODE, p->code, p->size);
	probe_tables(&mem);
	if (vm_create(kvm, &vm, &mem, NULL) == 0 && vcpu_create(&vm, NULL) == 0 &&
	    cpu_setup_protected(&vm, &mem, PROBE_CODE, NULL) == 0 &&
	    vcpu_run_uninterrupted(&vm.vcpu[0]) == 0)
		ok = vm.vcpu[0].run->exit_reason == KVM_EXIT_IO &&
		     vm.vcpu[0].run->io.port == HC_PORT;
	vm_destroy(&vm);
	guest_memory_unmap(&mem);
	return ok;
}

struct probe_answer { const struct kvm *kvm; enum host_feature feature; };
static bool can[HOST_FEATURES];

static bool find_out(void *arg) {
	const struct probe_answer *a = arg;

	can[a->feature] = run_probe(a->kvm, &probes[a->feature]);
	return true;
}

/* Once per process: the probe's answer is this host's. */
static bool host_can(const struct kvm *kvm, enum host_feature feature) {
	static struct memo memo[HOST_FEATURES] = { MEMO_INIT, MEMO_INIT };

	memo_find(&memo[feature], find_out, &(struct probe_answer){ kvm, feature });
	return can[feature];
}

/* Is INSN "MOV to CR0" (0F 22 /r, ModRM reg = 0: SDM Vol. 2B, MOV--Move
 * to/from Control Registers) with the PG bit set in its source register? */
static bool turns_paging_on(const uint8_t *insn, const struct kvm_regs *r) {
	const __u64 *gpr[8] = { &r->rax, &r->rcx, &r->rdx, &r->rbx,	/* ModRM r/m order */
				   &r->rsp, &r->rbp, &r->rsi, &r->rdi };

	return insn && insn[0] == 0x0f && insn[1] == 0x22 && (insn[2] & 0x38) == 0 &&
	       (*gpr[insn[2] & 7] & CR0_PG);
}

/* What vCPU V of the crashed guest G was doing that a host might not support. */
static int guest_needed(const struct guest *g, const struct vcpu *v,
			const struct kvm_sregs *sregs) {
	const struct kvm_regs *r = &v->run->s.regs.regs;
	const uint8_t *insn = guest_ptr(&g->mem, sregs->cs.base + r->rip, 3);
	bool has_idt = sregs->idt.base != 0 || sregs->idt.limit != 0xffff;	/* not reset */

	if (((sregs->cr0 & CR0_PG) && !(sregs->efer & EFER_LMA)) || turns_paging_on(insn, r))
		return HOST_PAGING32;
	/* INT n, INT3, INTO, IRET -- or any fault once the guest has an IDT */
	if (insn && (*insn == 0xcd || *insn == 0xcc || *insn == 0xce || *insn == 0xcf))
		return HOST_INTERRUPTS;
	return has_idt ? HOST_INTERRUPTS : -1;
}

/* A Linux kernel takes interrupts from its first timer tick on: where the
 * host's KVM cannot deliver them, the guest would crawl, then crash. */
const char *host_lacks_interrupts(const struct kvm *kvm) {
	return host_can(kvm, HOST_INTERRUPTS) ? NULL : probes[HOST_INTERRUPTS].needs;
}

/* The registers are those of V, the vCPU that crashed: asking another,
 * still in KVM_RUN, would wait for it to leave. */
const char *host_cannot_run(struct guest *g, const struct vcpu *v) {
	struct kvm_sregs sregs;
	int need;

	if (g->cpu != CPU_PROTECTED || ioctl(v->fd, KVM_GET_SREGS, &sregs) < 0)
		return NULL;
	need = guest_needed(g, v, &sregs);
	if (need < 0 || host_can(g->kvm, (enum host_feature)need))
		return NULL;
	return probes[need].needs;
}
