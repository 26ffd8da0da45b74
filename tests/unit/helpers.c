/* Unit-test helpers: fake guests and output capture. */
#include "helpers.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char captured[65536];

static const char *read_all(int fd)
{
	size_t len = 0;
	ssize_t n;

	while (len < sizeof(captured) - 1 &&
	       (n = read(fd, captured + len, sizeof(captured) - 1 - len)) > 0)
		len += (size_t)n;
	captured[len] = '\0';
	return captured;
}

void fake_guest_init(struct fake_guest *f, uint64_t memory_size)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(pipe(f->out), 0);
	assert_int_equal(pipe(f->in), 0);
	strcpy(f->g.name, "fake");
	f->g.config = &f->config;
	f->g.board_config = &f->board;
	f->g.board_state = &f->dev;
	f->g.mem.host = calloc(1, memory_size);
	f->g.mem.size = memory_size;
	assert_non_null(f->g.mem.host);
	f->g.vm = (struct vm){ .fd = -1, .vcpu = { { .fd = -1 } }, .vcpus = 1, .run_size = 8192 };
	for (int i = 0; i < BOARD_DISKS_MAX; i++)
		f->dev.disk[i].fd = -1;
	f->g.vm.vcpu[0].run = calloc(1, f->g.vm.run_size);
	assert_non_null(f->g.vm.vcpu[0].run);
	input_init(&f->input, f->in[0]);
	f->g.input = &f->input;
	console_init(&f->g.console, f->out[1], "fake", false, 0);
	uart_init(&f->dev.uart, &f->g.console, f->g.input);
	hypercalls_init(&f->g.hc, "fake", &f->g.mem, &f->g.console, f->g.input,
			&f->g.stop_requested);
	f->g.hc.run = f->g.vm.vcpu[0].run;
	clock_gettime(CLOCK_MONOTONIC, &f->g.stats.start);
}

void fake_guest_stdin(struct fake_guest *f, const char *input, size_t len)
{
	assert_int_equal(write(f->in[1], input, len), (ssize_t)len);
	close(f->in[1]);
	f->in[1] = -1;
}

const char *fake_guest_output(struct fake_guest *f)
{
	console_close(&f->g.console);
	close(f->out[1]);
	f->out[1] = -1;
	return read_all(f->out[0]);
}

void fake_guest_free(struct fake_guest *f)
{
	for (int i = 0; i < 2; i++) {
		if (f->out[i] >= 0)
			close(f->out[i]);
		if (f->in[i] >= 0)
			close(f->in[i]);
	}
	uart_stop(&f->dev.uart);
	free(f->g.mem.host);
	free(f->g.vm.vcpu[0].run);
}

void capture_begin(struct capture *c, int fd)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	c->fd = fd;
	c->saved = dup(fd);
	c->pipe_r = p[0];
	dup2(p[1], fd);
	close(p[1]);
}

const char *capture_end(struct capture *c)
{
	const char *text;

	dup2(c->saved, c->fd);
	close(c->saved);
	text = read_all(c->pipe_r);
	close(c->pipe_r);
	return text;
}

/* A temporary file with LEN bytes of CONTENT; its path in PATH. */
void temp_file(char *path, const void *content, size_t len)
{
	int fd;

	strcpy(path, "/tmp/mini-kvm-test-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	close(fd);
}
