/*
 * guest.h: one guest = one KVM VM, its boot vCPU on the guest's own thread
 * (a board may add more, each on a thread of its own). Its life (guest.c),
 * the exit loop of a vCPU (vcpu.c), the seed's two ways to build one
 * (boot.c), and the supervisor that runs several in parallel (supervisor.c).
 *
 * Everything beyond the seed plugs in here, through three interfaces:
 *   struct board        assembles the machine for one kind of guest: its
 *                       memory, VM and vCPU state, and its devices
 *   struct guest_hooks  what the program adds to every guest's life:
 *                       the seccomp filter, a diagnosis after a crash,
 *                       a trace of every exit
 *   struct debug_hook   a debugger, which the exit loop calls when set
 * The core calls them only through these pointers: it includes and calls
 * nothing of the layers that fill them in (docs/architecture.md).
 */
#ifndef CORE_GUEST_H
#define CORE_GUEST_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "console.h"
#include "cpu.h"
#include "hypercall.h"
#include "image.h"
#include "kvm.h"
#include "memory.h"
#include "pio.h"

struct guest;

enum irqchip_choice { IRQCHIP_AUTO, IRQCHIP_ON, IRQCHIP_OFF };
struct guest_config {		/* the command line's part that the core uses */
	uint64_t memory;	/* bytes; 0: the board's default */
	double timeout;		/* seconds; 0: none */
	enum irqchip_choice irqchip;	/* AUTO: as the guest's ELF note asks */
	bool stats;		/* --stats: count what costs a count at the end */
};

/* A kind of guest: the first board of g->boards that claims the image
 * builds its machine. */
struct board {
	const char *name;	/* in messages: "real-mode", "Linux" */
	bool (*claims)(const struct image *img);
	/* Memory, VM, the vCPU's first state, devices: 0 or an exit status. */
	int (*boot)(struct guest *g, const struct image *img);
	/* After the run, or after a boot that failed halfway: stop the devices. */
	void (*stop)(struct guest *g);
	size_t state_size;	/* g->board_state: its devices, zeroed before boot */
};

/* The files a guest's vCPU thread (or a device's thread) keeps using once
 * confined, beyond stdin, stdout and stderr: a disk (pread, pwrite), a
 * debugger's socket (read, write, recv, and the debug ioctls), a network
 * device's tap (read and write whole frames), an eventfd (read), the file
 * a snapshot goes to (written, its length set). */
enum guest_file_use { GUEST_FILE_DISK, GUEST_FILE_DEBUGGER, GUEST_FILE_NETWORK,
		      GUEST_FILE_EVENT, GUEST_FILE_SNAPSHOT };
#define GUEST_FILES_MAX 8
struct guest_files {
	struct guest_file {
		int fd;
		enum guest_file_use use;
	} file[GUEST_FILES_MAX];
	int count;
};

struct guest_hooks {		/* any of them may be NULL */
	/* Confine the calling thread, which from now on only runs the guest
	 * (the vCPU thread) or helps it (a device's thread, the debugger's):
	 * FILES are the files it keeps using, NULL none. 0, or an exit status,
	 * said in a message naming WHO (NULL: none). */
	int (*confine)(const struct guest_files *files, const char *who);
	/* After a crash of vCPU V: what the guest needed that this host's KVM
	 * cannot do, in words, or NULL. */
	const char *(*diagnose)(struct guest *g, const struct vcpu *v);
	/* Each exit of vCPU V, before it is handled (--verbose). */
	void (*trace)(struct guest *g, const struct vcpu *v);
	/* The supervisor got GUEST_SAVE_SIGNAL: save the stopped guest (its
	 * vCPU thread calls this between two exits); its exit status. */
	int (*save)(struct guest *g);
};

/* Why a debugger gets the guest: before its first instruction, at a
 * breakpoint or after a step, or because it asked (Ctrl-C). */
enum debug_stop { DEBUG_START, DEBUG_TRAP, DEBUG_INTERRUPT };
struct debug_hook {
	void *state;		/* the debugger's own */
	/* Set-up is done, the filter not yet on: wait for the debugger. */
	int (*attach)(struct guest *g);
	/* The guest is stopped: talk to the debugger until it goes on. */
	struct run_result (*stopped)(struct guest *g, enum debug_stop why);
	/* After a kick: was it the debugger's? */
	bool (*interrupted)(struct guest *g);
	/* The guest has ended with STATUS (or never ran). */
	void (*ended)(struct guest *g, int status);
};

/* Port writes KVM queued without an exit (coalesced I/O, vmm/devices):
 * REPLAY hands them to the bus before the exit loop handles an exit. */
struct queued_writes {
	struct run_result (*replay)(struct guest *g, void *arg);
	void *arg;
};

#define STATS_EXIT_REASONS 64
struct guest_stats {		/* each vCPU's count of exits: struct vcpu */
	uint64_t exits[STATS_EXIT_REASONS];	/* by KVM_EXIT_* number, of all vCPUs */
	uint64_t unclaimed_memory;		/* MMIO exits: no RAM there */
	uint64_t coalesced_writes;		/* port writes that made no exit */
	uint64_t memory, resident;	/* guest RAM, and how much of it was in
					   host memory at the end (--stats) */
	struct timespec start, ready, end;	/* image opened, first KVM_RUN, end */
};

struct guest {
	/* Given before guest_start: */
	const char *image_path;
	char name[48];
	const struct guest_config *config;
	const void *board_config;	/* the command line's part for the boards */
	const struct board *const *boards;	/* tried in order, NULL-terminated */
	const struct guest_hooks *hooks;
	const struct kvm *kvm;
	struct console console;
	struct input *input;		/* NULL: no stdin for this guest */
	struct debug_hook *debug;	/* NULL: no debugger */
	pthread_t supervisor;		/* told when this guest has finished */
	/* Built by its board: */
	const struct board *board;
	void *board_state;
	enum cpu_mode cpu;		/* the mode its first instruction runs in */
	struct guest_memory mem;
	struct vm vm;
	struct pio_bus pio;
	struct hypercalls hc;
	struct guest_files files;
	struct queued_writes queued;
	struct guest_stats stats;
	/* Its life: */
	pthread_t thread;
	bool started;
	atomic_bool stop_requested;	/* set by the supervisor: --timeout or a signal */
	atomic_int stop_signal;		/* SIGINT/SIGTERM that stopped it, 0: --timeout */
	/* GUEST_RUNNING, or the status of the first vCPU loop to end: every
	 * other loop ends when it sees it (a board's vCPU threads set it too). */
	atomic_int end_status;
	pthread_mutex_t bus_lock;	/* held while the devices answer an exit */
	atomic_bool finished;
	int status;			/* the exit status, once joined */
};
#define GUEST_RUNNING (-1)

/* guest.c */
int guest_map_memory(struct guest *g, uint64_t default_size, uint64_t max_size);
int guest_add_file(struct guest *g, int fd, enum guest_file_use use);
void guest_start(struct guest *g);

/* boot.c: the seed's guests, for the boards (vmm/boards) to build on */
int boot_real(struct guest *g, const struct image *img);	/* a flat binary */
int boot_protected(struct guest *g, const struct image *img);	/* an ELF32 file */

/* vcpu.c */
int vcpu_run(struct guest *g, struct vcpu *v);
struct run_result vcpu_handle_exit(struct guest *g, struct vcpu *v);
/* Say that the guest crashed and where; returns EXIT_GUEST_CRASHED. */
int guest_crashed(struct guest *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Say why the supervisor stopped the guest; its exit status (124, 130, 143). */
int guest_stopped(struct guest *g);
void vcpu_kick_setup(void);
void vcpu_kick(pthread_t thread);

/* supervisor.c */
#define GUEST_DONE_SIGNAL SIGUSR2	/* a guest thread to the supervisor: finished */
#define GUEST_SAVE_SIGNAL SIGUSR1	/* the user: save the guests (guest_hooks.save) */
int guests_wait(struct guest *guests, int count, double timeout, const sigset_t *signals);

#endif
