/*
 * eintr-probe.so: an LD_PRELOAD shim for the dynamic mini-kvm that makes
 * the first KVM_RUN of a host probe VM (vmm/host/probe.c: 32 KB of RAM)
 * fail with EINTR, as when a signal lands during it. It says so by
 * creating the file $EINTR_PROBE_LOG, so a test can tell that it happened.
 * Nothing else changes: every other ioctl goes to the C library's.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#define PROBE_MEMORY (32u << 10)

static int probe_vm = -1, probe_vcpu = -1, interrupted;

int ioctl(int fd, unsigned long request, ...) {
	static int (*real)(int, unsigned long, void *);
	const char *log = getenv("EINTR_PROBE_LOG");
	va_list ap;
	void *arg;
	int r;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!real)
		real = (int (*)(int, unsigned long, void *))dlsym(RTLD_NEXT, "ioctl");
	if (request == KVM_RUN && fd == probe_vcpu && !interrupted) {
		interrupted = 1;
		if (log)
			close(open(log, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		errno = EINTR;
		return -1;
	}
	r = real(fd, request, arg);
	if (request == KVM_SET_USER_MEMORY_REGION && r == 0 &&
	    ((struct kvm_userspace_memory_region *)arg)->memory_size == PROBE_MEMORY)
		probe_vm = fd;
	if (request == KVM_CREATE_VCPU && fd == probe_vm && r >= 0)
		probe_vcpu = r;
	return r;
}
