/*
 * vmm.h: the interfaces between mini-kvm's modules, one section per .c file.
 * Read top to bottom, it is the map of the VMM (see docs/architecture.md).
 */
#ifndef VMM_H
#define VMM_H

#include <asm/bootparam.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sysexits.h>
#include <time.h>

#include <mini-kvm/hypercall.h>

/* Exit statuses (DESIGN.md section 3) beyond those of <sysexits.h>. */
#define EXIT_GUEST_CRASHED EX_SOFTWARE	/* 70 */
#define EXIT_TIMEOUT 124
#define EXIT_SIGNAL_BASE 128		/* 130 after SIGINT, 143 after SIGTERM */
#define GUEST_RUNNING (-1)	/* what a handler returns to let the guest go on */

/* log.c: the VMM's own messages on stderr, "mini-kvm: WHO: ...", a line per write */
extern bool log_verbose_enabled;
extern int log_fd;
void log_error(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_verbose(...) do { if (log_verbose_enabled) log_error(__VA_ARGS__); } while (0)

/* memory.c: guest RAM, and guest_ptr(), the one checked way into it */
struct guest_memory {
	uint8_t *host;		/* where guest-physical address 0 is, in our memory */
	uint64_t size;
};
int guest_memory_map(struct guest_memory *mem, uint64_t size);
void guest_memory_unmap(struct guest_memory *mem);
uint64_t guest_memory_resident(const struct guest_memory *mem);
void *guest_ptr(const struct guest_memory *mem, uint64_t gpa, uint64_t len);

/* kvm.c: /dev/kvm, a VM and its vCPU; every ioctl checked and named */
struct kvm {
	int fd;
	size_t run_size;	/* size of a vCPU's kvm_run mapping */
	int coalesced_page;	/* its page that holds the coalesced ring; 0: none */
};
struct vm {
	int fd, vcpu_fd;
	struct kvm_run *run;	/* shared with KVM: exit data, synced registers */
	size_t run_size;
	bool irqchip;		/* in-kernel PIC/IOAPIC/LAPIC + PIT created */
	uint64_t irqchip_ns, pit_ns;	/* what creating them cost */
	struct kvm_coalesced_mmio_ring *ring;	/* port writes queued without an exit */
	uint16_t coalesced_port;		/* the port they are for */
};
#define VM_CPUID_MAX 128	/* CPUID leaves we can pass to KVM_SET_CPUID2 */
int kvm_open(struct kvm *kvm, char *why, size_t why_size);
void kvm_close(struct kvm *kvm);
int kvm_ioctl(int fd, unsigned long request, void *arg, const char *name, const char *who);
#define KVM_IOCTL(fd, request, arg, who) kvm_ioctl(fd, request, arg, #request, who)
enum vm_features {
	VM_IRQCHIP = 1,		/* in-kernel PIC, I/O APIC, local APIC and PIT */
	VM_PC = 2,		/* what a PC operating system needs of VT-x: kvm.c */
};
int vm_create(const struct kvm *kvm, struct vm *vm, struct guest_memory *mem,
	      unsigned features, const char *who);
/* MINI_KVM_LEAF: say "mini-kvm" in CPUID 0x40000000; else keep KVM's own
 * leaves there (a Linux guest then finds its paravirtual clock). */
int vm_set_cpuid(const struct kvm *kvm, struct vm *vm, bool mini_kvm_leaf, const char *who);
void vm_coalesce_port(const struct kvm *kvm, struct vm *vm, uint16_t port, const char *who);
#define KVM_RUN_PAGE 4096	/* the unit of the vCPU mapping's page offsets (x86) */
#define COALESCED_RING_ENTRIES \
	((KVM_RUN_PAGE - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio))
int vcpu_sync_regs_now(struct vm *vm, const char *who);
int vm_irq_line(struct vm *vm, uint32_t line, bool level, const char *who);
int vm_irq_pulse(struct vm *vm, uint32_t line, const char *who);
void vm_destroy(struct vm *vm);

/* cpu_mode.c: the registers a guest starts with */
#define REAL_MODE_MEMORY_DEFAULT (256u << 10)
#define REAL_MODE_MEMORY_MAX (1u << 20)	/* all that segment:offset can reach */
#define PROTECTED_MODE_MEMORY_DEFAULT (4u << 20)
#define PROTECTED_MODE_MEMORY_MAX (3ull << 30)	/* below the 32-bit device hole */
int cpu_mode_setup_real(struct vm *vm, uint64_t memory_size, const char *who);
int cpu_mode_setup_protected(struct vm *vm, struct guest_memory *mem, uint32_t entry,
			     const char *who);
int cpu_mode_setup_long(struct vm *vm, struct guest_memory *mem, uint64_t entry,
			const char *who);

/* bzimage.c: Linux kernel files, read through the boot protocol's setup header */
#define LINUX_HEADER_END 0x290	/* the setup header lies in [0x1f1, 0x290) of the file */
#define LINUX_PROTOCOL_MIN 0x020c	/* 2.12: xloadflags, the 64-bit entry point */
struct linux_kernel {
	struct setup_header hdr;	/* from the file, checked by bzimage_parse */
	uint64_t setup_size;		/* real-mode setup code before the kernel, bytes */
	uint64_t kernel_size;		/* the protected-mode kernel: the rest of the file */
	size_t header_end;		/* the header is the file's [0x1f1, header_end) */
};
bool bzimage_detect(const uint8_t *head, size_t len);
int bzimage_parse(const uint8_t *head, size_t head_len, uint64_t file_size,
		  struct linux_kernel *k, char *why, size_t why_size);

/* image.c: guest image files */
enum image_format { IMAGE_FLAT, IMAGE_ELF32, IMAGE_ELF64, IMAGE_ELF_INVALID, IMAGE_BZIMAGE };
struct image {
	int fd;
	uint64_t size;
	enum image_format format;
	uint8_t head[LINUX_HEADER_END];	/* the file's first bytes, for the loaders */
	size_t head_len;
};
enum image_format image_detect(const uint8_t *head, size_t len);
int image_open(struct image *img, const char *path, const char *who);
void image_close(struct image *img);
int image_load_flat(const struct image *img, struct guest_memory *mem, const char *who);

/* elf.c: ELF32 (protected mode) and ELF64 (long mode) images. MEM must be
 * all zeros (fresh from guest_memory_map): .bss is not written again. */
struct elf_info {
	uint64_t entry;		/* e_entry */
	uint32_t features;	/* MINI_KVM_FEATURE_* from the guest's ELF note */
};
int image_load_elf(const struct image *img, struct guest_memory *mem, struct elf_info *info,
		   const char *who);

/* console.c: guest output, whole lines at a time; guest input from stdin */
#define CONSOLE_LINE_MAX 4096	/* a longer prefixed line is wrapped */
struct console {
	int fd;
	bool prefixed;		/* several guests: "[name] " and whole lines only */
	char prefix[96], line[CONSOLE_LINE_MAX];
	size_t prefix_len, len;
	int write_error;	/* errno of a failed write: the output is lost */
};
void console_init(struct console *c, int fd, const char *name, bool prefixed, int color);
void console_putc(struct console *c, uint8_t byte);
void console_write(struct console *c, const void *buf, size_t len);
void console_flush(struct console *c);	/* before waiting for input */
void console_close(struct console *c);

#define INPUT_EOF (-1)
struct input {
	int fd;
	bool eof;		/* sticky: once at the end, always at the end */
	int peeked;		/* a byte read ahead by input_ready(), or -1 */
};
/* IN may be NULL (a guest without stdin); STOP ends a wait (--timeout). */
void input_init(struct input *in, int fd);
int input_getc(struct input *in, const atomic_bool *stop);	/* byte or INPUT_EOF */
ssize_t input_read(struct input *in, void *dst, size_t len, const atomic_bool *stop);
bool input_ready(struct input *in);	/* never blocks */

#include "devices.h"	/* the port devices: registry, UART, keyboard, RTC, disk */

/* guest.c: one guest = one KVM VM + one vCPU thread, and its supervisor */
#define STATS_EXIT_REASONS 64
enum irqchip_choice { IRQCHIP_AUTO, IRQCHIP_ON, IRQCHIP_OFF };
struct guest_config {
	uint64_t memory;	/* bytes; 0: the mode's default */
	double timeout;		/* seconds; 0: none */
	enum irqchip_choice irqchip;	/* AUTO: as the guest's ELF note asks */
	const char *disk;		/* --disk FILE: the first guest's disk */
	const char *initrd, *append;	/* --initrd FILE, --append CMDLINE: Linux guests */
	const char *gdb;		/* --gdb PORT|PATH: debug the first guest */
	bool no_seccomp;		/* --no-seccomp: for valgrind and debuggers */
	bool stats;			/* --stats: count what costs a count at the end */
};
enum cpu_mode { MODE_REAL, MODE_PROTECTED, MODE_LONG, MODE_LINUX };
struct guest {
	const char *image_path;
	char name[48];
	const struct guest_config *config;
	const struct kvm *kvm;
	struct vm vm;
	struct guest_memory mem;
	struct pio_bus pio;
	struct uart uart;
	struct kbd kbd;
	struct rtc rtc;
	struct console console;
	enum cpu_mode mode;
	struct input *input;		/* NULL: no stdin for this guest */
	const char *disk_path;		/* NULL: no --disk for this guest */
	struct disk disk;
	struct gdb *gdb;		/* --gdb: the debugger's connection; NULL: none */
	struct guest_stats {
		uint64_t exits[STATS_EXIT_REASONS];	/* by KVM_EXIT_* number */
		uint64_t hypercalls[HC_COUNT], unknown_hypercalls, unclaimed_memory;
		uint64_t coalesced_writes;		/* port writes that made no exit */
		uint64_t irqchip_ns, pit_ns;		/* 0: not created */
		uint64_t memory, resident;	/* guest RAM, and how much of it was in
						   host memory at the end (--stats) */
		struct timespec start, ready, end;	/* VM creation, first KVM_RUN, end */
	} stats;
	pthread_t thread;
	bool started;
	pthread_t supervisor;		/* told when this guest has finished */
	atomic_bool stop_requested;	/* set by the supervisor: --timeout or a signal */
	atomic_int stop_signal;		/* SIGINT/SIGTERM that stopped it, 0: --timeout */
	atomic_bool finished;
	int status;			/* the exit status, once joined */
};
void guest_name_from_path(char *name, size_t size, const char *path);
int guest_map_memory(struct guest *g, uint64_t default_size, uint64_t max_size);
void guest_start(struct guest *g);
#define GUEST_DONE_SIGNAL SIGUSR2	/* a guest thread to the supervisor: finished */
int guests_wait(struct guest *guests, int count, double timeout, const sigset_t *signals);
int guest_crashed(struct guest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* vcpu.c: the KVM_RUN loop and the exit switch */
int vcpu_run(struct guest *g);
int vcpu_handle_exit(struct guest *g);
const char *exit_reason_name(uint32_t reason);
void vcpu_kick_setup(void);
void vcpu_kick(pthread_t thread);

/* linux.c, pc.c: a Linux kernel (bzImage) on the PC it expects */
#define LINUX_MEMORY_DEFAULT (256ull << 20)
struct linux_boot {		/* what linux_prepare checked and planned */
	struct linux_kernel kernel;
	uint64_t memory;		/* guest RAM, bytes */
	const char *cmdline;
	int initrd_fd;			/* -1: no initrd */
	uint64_t initrd_start, initrd_size;
};
int boot_linux(struct guest *g, const struct image *img);
int linux_prepare(struct guest *g, const struct image *img, struct linux_boot *b);
int linux_load(struct guest *g, const struct image *img, const struct linux_boot *b);
void linux_finish(struct linux_boot *b);
void pc_register(struct guest *g);

/* host_probe.c: after a crash, was it a limit of the host's KVM? */
enum host_feature { HOST_PAGING32, HOST_INTERRUPTS, HOST_FEATURES };
const char *host_cannot_run(struct guest *g);	/* what it needed, or NULL */
const char *host_lacks_interrupts(const struct kvm *kvm);	/* before a Linux boot */
bool host_can_debug(const struct kvm *kvm, enum cpu_mode mode, bool step);	/* --gdb */

/* gdb.h: --gdb, the GDB remote stub (gdb_packet.c, gdb.c, gdb_commands.c, gdb_cpu.c) */
struct gdb;

/* seccomp.c: the system calls a guest's threads may make after set-up */
void seccomp_report_setup(void);	/* SIGSYS: say which call, then exit 71 */
int seccomp_confine(int disk_fd, int gdb_fd, const char *who);	/* -1: none */

/* hypercall.c: the table behind port HC_PORT */
int hypercall_dispatch(struct guest *g, uint32_t nr, struct kvm_regs *regs);
const char *hypercall_name(uint32_t nr);
int hypercall_io(void *guest, uint16_t offset, struct pio_access *access);

/* stats.c: --stats */
void stats_print(const struct guest *g);

/* options.c: the command line */
#define MINI_KVM_VERSION "0.2.0"
#define GUESTS_MAX 64		/* threads, VMs and file descriptors stay bounded */
struct options {
	struct guest_config guest;
	bool verbose, stats, no_color;
	int image_count;
	char **images;
};
enum options_result { OPTIONS_RUN, OPTIONS_DONE, OPTIONS_BAD };
enum options_result options_parse(int argc, char **argv, struct options *opts);
int parse_size(const char *text, uint64_t *bytes);

#endif
