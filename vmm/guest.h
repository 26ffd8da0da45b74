/*
 * guest: one guest = one KVM VM + one vCPU thread, and everything it owns.
 * A guest can reach only its own memory: isolation comes from KVM, which
 * gives each VM its own address space, not from any convention of ours.
 */
#ifndef GUEST_H
#define GUEST_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sysexits.h>
#include <time.h>

#include <mini-kvm/hypercall.h>

#include "console.h"
#include "kvm.h"
#include "memory.h"
#include "pio.h"
#include "uart.h"

/* A handler's way of saying "carry on"; any other value is the exit status. */
#define GUEST_RUNNING (-1)

/* Exit statuses (DESIGN.md section 3); the rest come from <sysexits.h>. */
#define EXIT_GUEST_CRASHED EX_SOFTWARE	/* 70: triple fault, emulation failure */
#define EXIT_TIMEOUT 124

#define STATS_EXIT_REASONS 64		/* KVM_EXIT_* numbers counted one by one */

struct guest_stats {
	uint64_t exits[STATS_EXIT_REASONS];
	uint64_t hypercalls[HC_COUNT];
	uint64_t unknown_hypercalls;
	uint64_t unclaimed_memory;	/* MMIO exits: no device there */
	struct timespec start, end;	/* VM creation, guest end */
};

struct guest_config {
	uint64_t memory;		/* bytes; 0: the mode's default */
	double timeout;			/* seconds; 0: none */
};

struct guest {
	/* Given at creation */
	const char *image_path;
	char name[48];
	const struct guest_config *config;
	const struct kvm *kvm;

	/* Owned while it runs */
	struct vm vm;
	struct guest_memory mem;
	struct pio_bus pio;
	struct uart uart;
	struct console console;
	struct input *input;		/* NULL: this guest reads no stdin */
	struct guest_stats stats;

	/* Life cycle */
	pthread_t thread;
	atomic_bool stop_requested;	/* set by the supervisor on --timeout */
	bool started, done;
	int status;			/* exit status, once done */
};

/* Name a guest after its image: "guests/real/hello.bin" -> "hello". */
void guest_name_from_path(char *name, size_t size, const char *path);

/* Start the guest's thread; on failure the guest is done with a status. */
void guest_start(struct guest *g);

/* Wait for every started guest, stopping those that outlive TIMEOUT. */
void guests_wait(struct guest *guests, int count, double timeout);

/* Log the guest's failure with its registers; returns EXIT_GUEST_CRASHED. */
int guest_crashed(struct guest *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
