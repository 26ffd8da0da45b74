/* fuzz.h: what the libFuzzer harnesses share: a guest with nothing real
 * behind it (no KVM), whose output goes nowhere. */
#ifndef FUZZ_H
#define FUZZ_H

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "boards/board.h"
#include "core/guest.h"
#include "core/log.h"
#include "devices/devices.h"
#include "linux/linux.h"
#include "long/long.h"
#include "program/program.h"

/* Every harness starts the same way: the VMM's messages (log_fd) and
 * anything on stdout (--help, --version) would drown the fuzzer's own, so
 * both go to /dev/null. Each harness is one file that includes this once. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
	(void)argc, (void)argv;
	log_fd = open("/dev/null", O_WRONLY);
	if (log_fd < 0 || !freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

/* A guest with SIZE bytes of zeroed memory, no stdin, output to /dev/null,
 * its hypercall device and (not on the bus) a UART; board state DEV. */
static inline void fake_guest(struct guest *g, struct board_devices *dev, uint64_t size) {
	static struct guest_config config;
	static struct board_config board;
	static struct kvm_run run[3];	/* three pages, like KVM's mapping */

	memset(g, 0, sizeof(*g));
	memset(dev, 0, sizeof(*dev));
	strcpy(g->name, "fuzz");
	g->config = &config;
	g->board_config = &board;
	g->board_state = dev;
	g->mem.size = size;
	g->mem.host = calloc(1, size);
	g->vm = (struct vm){ .fd = -1, .vcpu = { { .fd = -1, .run = run } }, .vcpus = 1,
			     .run_size = sizeof(run) };
	for (int i = 0; i < BOARD_DISKS_MAX; i++)
		dev->disk[i].fd = -1;
	console_init(&g->console, open("/dev/null", O_WRONLY), "fuzz", false, 0);
	uart_init(&dev->uart, &g->console, NULL);
	hypercalls_init(&g->hc, g->name, &g->mem, &g->console, NULL, &g->stop_requested);
	g->hc.run = run;
}

static inline void fake_guest_free(struct guest *g, struct board_devices *dev) {
	uart_stop(&dev->uart);
	console_close(&g->console);
	close(g->console.fd);
	free(g->mem.host);
}

#endif
