/* Unit-test helpers: a guest with fake memory and a fake vCPU, and capture
 * of what a function writes to a file descriptor. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "boards/board.h"
#include "core/guest.h"
#include "core/log.h"
#include "devices/devices.h"
#include "host/host.h"
#include "linux/linux.h"
#include "long/long.h"
#include "program/program.h"

/* A guest whose console writes to a pipe and whose stdin is another pipe;
 * its kvm_run is plain memory, so exits can be faked by filling it in. Its
 * board state is DEV, with an initialised UART (not on the bus). */
struct fake_guest {
	struct guest g;
	struct guest_config config;
	struct board_config board;
	struct board_devices dev;
	struct input input;
	int out[2], in[2];
};

/* What a handler told the exit loop. */
#define RUNS_ON(result) assert_false((result).ends)
#define ENDS_WITH(result, code) do { struct run_result r_ = (result); \
	assert_true(r_.ends); assert_int_equal(r_.status, (code)); } while (0)

void fake_guest_init(struct fake_guest *f, uint64_t memory_size);
void fake_guest_free(struct fake_guest *f);
/* Give the guest INPUT on stdin, then end of input. */
void fake_guest_stdin(struct fake_guest *f, const char *input, size_t len);
/* Everything the guest has written to its console (closes the console). */
const char *fake_guest_output(struct fake_guest *f);

/* Redirect FD into a pipe until capture_end, which returns what was written
 * (in a buffer that the next capture_end or fake_guest_output reuses). */
struct capture { int fd, saved, pipe_r; };
void capture_begin(struct capture *c, int fd);
const char *capture_end(struct capture *c);

/* One group per module, each returning cmocka's failure count. */
int test_options(void);
/* A temporary file with LEN bytes of CONTENT; its path in PATH (64 bytes). */
void temp_file(char *path, const void *content, size_t len);

int test_image(void);
int test_elf(void);
int test_bzimage(void);
int test_pvh(void);
int test_mptable(void);
int test_cpuid(void);
int test_seccomp(void);
int test_memory(void);
int test_pio(void);
int test_console(void);
int test_uart(void);
int test_kbd(void);
int test_hypercall(void);
int test_gdb(void);
int test_vcpu(void);
int test_virtio(void);
int test_virtio_devices(void);
int test_snapshot(void);

#endif
