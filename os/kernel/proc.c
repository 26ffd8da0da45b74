/*
 * proc.c: processes. Each one owns a 4 MB physical slot, mapped at
 * USER_BASE in its own page directory with one PSE entry (Intel SDM Vol.
 * 3A, 4.3: "4-MByte Page"); the kernel's identity map of RAM is in every
 * directory but supervisor-only, so ring 3 cannot touch it. A scheduler
 * loop (as in xv6) picks the next runnable process round-robin; the timer
 * preempts user code every tick. System calls enter through int 0x80.
 */
#include "kernel.h"

#define PROC_MAX 8
#define KERNEL_STACK 8192
#define PDE_PRESENT 0x01
#define PDE_WRITABLE 0x02
#define PDE_USER 0x04
#define PDE_4MB 0x80
#define EFLAGS_IF 0x200
#define EFLAGS_FIXED 0x2

enum state { UNUSED, RUNNABLE, WAIT_CHILD, WAIT_INPUT, ZOMBIE };

struct proc {
	enum state state;
	int pid, parent, exit_code, input;
	unsigned program;
	uint32_t esp;		/* saved by switch_context */
	uint32_t slot;		/* physical address of its 4 MB */
	uint32_t *page_dir;
	uint8_t kernel_stack[KERNEL_STACK] __attribute__((aligned(16)));
};

static struct proc procs[PROC_MAX];
static uint32_t page_dirs[PROC_MAX + 1][1024] __attribute__((aligned(4096)));
static uint32_t *const kernel_page_dir = page_dirs[PROC_MAX];
static struct proc *current;
static uint32_t scheduler_esp;
static uint32_t slot_count, slot_used, memory_kb;
static int next_pid = 1;

#define PROGRAM(name) extern const uint8_t program_##name[], program_##name##_end[]
PROGRAM(shell); PROGRAM(multiply); PROGRAM(counter); PROGRAM(echo); PROGRAM(fibonacci);
PROGRAM(primes); PROGRAM(calc); PROGRAM(factorial); PROGRAM(gcd); PROGRAM(sysinfo);
PROGRAM(bad);
#define ENTRY(name) { #name, program_##name, program_##name##_end }
static const struct { const char *name; const uint8_t *start, *end; } programs[] = {
	ENTRY(shell), ENTRY(multiply), ENTRY(counter), ENTRY(echo), ENTRY(fibonacci),
	ENTRY(primes), ENTRY(calc), ENTRY(factorial), ENTRY(gcd), ENTRY(sysinfo), ENTRY(bad),
};

/* The kernel's view: all RAM mapped 1:1 with 4 MB pages, ring 0 only. */
void paging_init(uint32_t ram_kb) {
	uint32_t ram_pages = (ram_kb + 4095) / 4096;
	uint32_t cr;

	memory_kb = ram_kb;
	for (uint32_t i = 0; i < ram_pages && i < 1024; i++)
		kernel_page_dir[i] = i * PAGE_4MB | PDE_4MB | PDE_WRITABLE | PDE_PRESENT;
	slot_count = ram_kb / 4096 - 1;		/* 4 MB slots above the kernel's first */
	if (slot_count > 32)
		slot_count = 32;
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr | 0x10));		/* CR4.PSE */
	__asm__ volatile("mov %0, %%cr3" : : "r"(kernel_page_dir));
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr | 0x80000000u) : "memory");	/* PG */
}

static uint32_t slot_alloc(void) {
	for (uint32_t i = 0; i < slot_count; i++) {
		if (!(slot_used & 1u << i)) {
			slot_used |= 1u << i;
			return (i + 1) * PAGE_4MB;
		}
	}
	return 0;
}

static void slot_free(uint32_t slot) {
	slot_used &= ~(1u << (slot / PAGE_4MB - 1));
}

/* A new process's kernel stack: a trap frame that "returns" to ring 3 at
 * USER_BASE, under the frame switch_context pops to reach trap_return. */
static void prepare_stack(struct proc *p) {
	uint32_t *sp = (uint32_t *)(p->kernel_stack + KERNEL_STACK);
	struct trap_frame *f = (struct trap_frame *)sp - 1;

	*f = (struct trap_frame){ .eip = USER_BASE, .cs = USER_CODE,
				  .eflags = EFLAGS_IF | EFLAGS_FIXED,
				  .user_esp = USER_BASE + USER_SIZE, .user_ss = USER_DATA,
				  .ds = USER_DATA, .es = USER_DATA };
	sp = (uint32_t *)f;
	*--sp = (uint32_t)trap_return;
	for (int i = 0; i < 4; i++)	/* EBP, EBX, ESI, EDI */
		*--sp = 0;
	p->esp = (uint32_t)sp;
}

int proc_spawn(unsigned program) {
	struct proc *p = NULL;
	uint32_t size;

	if (program >= PROGRAM_COUNT)
		return -1;
	for (int i = 0; i < PROC_MAX && !p; i++)
		if (procs[i].state == UNUSED)
			p = &procs[i];
	if (!p || !(p->slot = slot_alloc()))
		return -1;
	size = (uint32_t)(programs[program].end - programs[program].start);
	memset((void *)p->slot, 0, USER_SIZE);
	memcpy((void *)p->slot, programs[program].start, size);
	p->page_dir = page_dirs[p - procs];
	memcpy(p->page_dir, kernel_page_dir, 4096);
	p->page_dir[USER_BASE >> 22] = p->slot | PDE_4MB | PDE_USER | PDE_WRITABLE | PDE_PRESENT;
	p->pid = next_pid++;
	p->parent = current ? current->pid : 0;
	p->program = program;
	prepare_stack(p);
	p->state = RUNNABLE;
	return p->pid;
}

static void yield(void) {
	switch_context(&current->esp, scheduler_esp);
}

void proc_tick(void) {
	yield();
}

bool proc_current_is_user(void) {
	return current != NULL;
}

/* Hand a waiting process its input byte, if the console has one. */
static bool deliver_input(void) {
	for (int i = 0; i < PROC_MAX; i++) {
		if (procs[i].state == WAIT_INPUT) {
			int c = console_poll();

			if (c == -1)
				return false;
			procs[i].input = c < 0 ? -1 : c;
			procs[i].state = RUNNABLE;
			return true;
		}
	}
	return false;
}

static struct proc *next_runnable(void) {
	static int last;

	for (int n = 1; n <= PROC_MAX; n++) {
		struct proc *p = &procs[(last + n) % PROC_MAX];

		if (p->state == RUNNABLE) {
			last = (int)(p - procs);
			return p;
		}
	}
	return NULL;
}

static bool any_alive(void) {
	for (int i = 0; i < PROC_MAX; i++)
		if (procs[i].state != UNUSED && procs[i].state != ZOMBIE)
			return true;
	return false;
}

_Noreturn void scheduler(void) {
	for (;;) {
		struct proc *p = next_runnable();

		if (p) {
			current = p;
			tss_set_kernel_stack((uint32_t)(p->kernel_stack + KERNEL_STACK));
			__asm__ volatile("mov %0, %%cr3" : : "r"(p->page_dir) : "memory");
			switch_context(&scheduler_esp, p->esp);
			__asm__ volatile("mov %0, %%cr3" : : "r"(kernel_page_dir) : "memory");
			current = NULL;
		} else if (!any_alive()) {
			power_off(0);
		} else if (!deliver_input()) {
			/* Until the next interrupt: the tick, or IRQ1 with input on
			 * mini-kvm. STI delays interrupts by one instruction, so one
			 * that came since the check above wakes this very HLT. */
			__asm__ volatile("sti; hlt; cli");
		}
	}
}

static _Noreturn void exit_current(int code) {
	current->exit_code = code;
	current->state = ZOMBIE;
	slot_free(current->slot);
	for (int i = 0; i < PROC_MAX; i++)
		if (procs[i].state == WAIT_CHILD && procs[i].pid == current->parent)
			procs[i].state = RUNNABLE;
	yield();
	for (;;)
		;	/* a zombie is never scheduled again */
}

void proc_kill(const char *why, struct trap_frame *f) {
	uint32_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	kprintf("\n[%s, pid %d] killed: %s at eip %08x", programs[current->program].name,
		current->pid, why, f->eip);
	if (f->vector == 14)
		kprintf(", address %08x", cr2);
	kprintf("\n");
	exit_current(-1);
}

/* The one check of every user pointer: [addr, addr + len) must lie inside
 * the caller's own 4 MB. Returns the kernel's address for it, or NULL. */
static void *user_buffer(uint32_t addr, uint32_t len) {
	if (len > USER_SIZE || addr < USER_BASE || addr - USER_BASE > USER_SIZE - len)
		return NULL;
	return (void *)(current->slot + (addr - USER_BASE));
}

static void bad_pointer(struct trap_frame *f, const char *call) {
	kprintf("\n[%s, pid %d] killed: bad pointer %08x passed to %s\n",
		programs[current->program].name, current->pid, f->ebx, call);
	exit_current(-1);
}

static int32_t sys_write(struct trap_frame *f) {
	const char *buf = user_buffer(f->ebx, f->ecx);

	if (!buf)
		bad_pointer(f, "write");
	console_write(buf, f->ecx);
	return (int32_t)f->ecx;
}

static int32_t sys_getchar(struct trap_frame *f) {
	(void)f;
	current->state = WAIT_INPUT;
	yield();
	return current->input;
}

static int32_t sys_wait(struct trap_frame *f) {
	for (int i = 0; i < PROC_MAX; i++) {
		struct proc *child = &procs[i];

		if (child->state == UNUSED || child->pid != (int)f->ebx ||
		    child->parent != current->pid)
			continue;
		while (child->state != ZOMBIE) {
			current->state = WAIT_CHILD;
			yield();
		}
		child->state = UNUSED;
		return child->exit_code;
	}
	return -1;
}

static int32_t sys_info(struct trap_frame *f) {
	struct os_info *info = user_buffer(f->ebx, sizeof(*info));
	unsigned alive = 0, used = 0;

	if (!info)
		bad_pointer(f, "info");
	for (int i = 0; i < PROC_MAX; i++)
		alive += procs[i].state != UNUSED && procs[i].state != ZOMBIE;
	for (uint32_t i = 0; i < slot_count; i++)
		used += !!(slot_used & 1u << i);
	*info = (struct os_info){ .ticks = ticks, .processes = alive, .memory_kb = memory_kb,
				  .free_kb = (slot_count - used) * 4096,
				  .hypervisor = console_on_mini_kvm() };
	return 0;
}

/* A file name: a FS_NAME_MAX-byte buffer, checked like any other. */
static const char *user_name(struct trap_frame *f, const char *call) {
	const char *name = user_buffer(f->ebx, FS_NAME_MAX);

	if (!name)
		bad_pointer(f, call);
	return name;
}

static int32_t sys_list(struct trap_frame *f) {
	char *buf = user_buffer(f->ebx, f->ecx);

	if (!buf)
		bad_pointer(f, "list");
	return fs_list(buf, f->ecx);
}

static int32_t sys_file(struct trap_frame *f, bool write) {
	const char *name = user_name(f, write ? "write_file" : "read_file");
	uint8_t *buf = user_buffer(f->ecx, f->edx);

	if (!buf) {
		f->ebx = f->ecx;	/* the pointer that was bad, for the message */
		bad_pointer(f, write ? "write_file" : "read_file");
	}
	return write ? fs_write(name, buf, f->edx) : fs_read(name, buf, f->edx);
}

static int32_t sys_read_file(struct trap_frame *f) { return sys_file(f, false); }
static int32_t sys_write_file(struct trap_frame *f) { return sys_file(f, true); }
static int32_t sys_exit(struct trap_frame *f) { exit_current((int)f->ebx); }
static int32_t sys_spawn(struct trap_frame *f) { return proc_spawn(f->ebx); }
static int32_t sys_yield(struct trap_frame *f) { (void)f; yield(); return 0; }

static int32_t (*const syscalls[SYSCALL_COUNT])(struct trap_frame *) = {
	[SYS_EXIT] = sys_exit, [SYS_WRITE] = sys_write, [SYS_GETCHAR] = sys_getchar,
	[SYS_SPAWN] = sys_spawn, [SYS_WAIT] = sys_wait, [SYS_INFO] = sys_info,
	[SYS_YIELD] = sys_yield, [SYS_LIST] = sys_list, [SYS_READ_FILE] = sys_read_file,
	[SYS_WRITE_FILE] = sys_write_file,
};

void syscall(struct trap_frame *f) {
	f->eax = f->eax < SYSCALL_COUNT ? (uint32_t)syscalls[f->eax](f) : (uint32_t)-1;
}
