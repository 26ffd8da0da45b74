/*
 * seccomp: once a guest is set up, the threads that run it -- the vCPU
 * thread and its devices' threads -- may make only the system calls the exit
 * loop needs (docs/security.md). Even a guest that found a bug in the exit
 * handlers could not open a file, start a process or talk to the network
 * from there. The filter is per thread (no TSYNC): the supervisor and the
 * other guests' set-up are not bound by it. A forbidden call raises SIGSYS,
 * and the handler says so before the process ends: never silent.
 */
#include <errno.h>
#include <seccomp.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"
#include "host.h"

/* What the exit loop, the hypercalls, the devices, a crash report with its
 * host probe, and thread exit need. */
static const int allowed[] = {
	SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(futex), SCMP_SYS(clock_gettime),
	SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask), SCMP_SYS(tgkill), SCMP_SYS(getpid),
	SCMP_SYS(gettid), SCMP_SYS(sched_yield), SCMP_SYS(restart_syscall),
	SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(madvise), SCMP_SYS(mprotect), SCMP_SYS(brk),
	SCMP_SYS(mincore),	/* --stats: guest memory in use, at teardown */
	SCMP_SYS(close), SCMP_SYS(exit), SCMP_SYS(exit_group),
#ifdef __SANITIZE_ADDRESS__	/* the sanitizers' runtime, in the test build */
	SCMP_SYS(sigaltstack), SCMP_SYS(prctl), SCMP_SYS(getrlimit), SCMP_SYS(openat),
	SCMP_SYS(readlink), SCMP_SYS(fstat), SCMP_SYS(newfstatat), SCMP_SYS(sched_getaffinity),
#endif
};

/* The only ioctls: running the vCPU, reading its state for a crash report,
 * an IRQ line, queueing a busy UART's writes (and undoing that at the end),
 * and what the host probe's small VM needs. */
static const unsigned long allowed_ioctls[] = {
	KVM_RUN, KVM_GET_SREGS, KVM_SET_SREGS, KVM_IRQ_LINE, KVM_REGISTER_COALESCED_MMIO,
	KVM_UNREGISTER_COALESCED_MMIO, KVM_CREATE_VM, KVM_SET_USER_MEMORY_REGION,
	KVM_CREATE_VCPU,
};

/* Async-signal-safe: no stdio, just write(2) of a line we build. */
static void on_forbidden_call(int signo, siginfo_t *info, void *context) {
	char line[128] = "mini-kvm: seccomp: a guest thread made system call ";
	size_t len = strlen(line);
	char digits[12];
	int n = 0, nr = info->si_syscall;

	(void)signo, (void)context;
	do
		digits[n++] = (char)('0' + nr % 10);
	while ((nr /= 10) > 0 && n < 11);
	while (n > 0)
		line[len++] = digits[--n];
	memcpy(line + len, ", which its filter forbids\n", 27);
	if (write(STDERR_FILENO, line, len + 27) < 0)
		_exit(EX_OSERR);
	_exit(EX_OSERR);
}

void seccomp_report_setup(void) {
	struct sigaction sa = { .sa_sigaction = on_forbidden_call, .sa_flags = SA_SIGINFO };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGSYS, &sa, NULL);
}

/* Allow SYSCALL when its argument number ARG equals VALUE. */
static int allow_if(scmp_filter_ctx ctx, int syscall, unsigned arg, uint64_t value) {
	struct scmp_arg_cmp cmp = { .arg = arg, .op = SCMP_CMP_EQ, .datum_a = value, .datum_b = 0 };

	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, syscall, 1, &cmp);
}

/* A disk: sectors read and written where the guest says, and flushed
 * (virtio-blk's flush request); its size and time, for a snapshot. */
static int allow_disk(scmp_filter_ctx ctx, int fd) {
	return allow_if(ctx, SCMP_SYS(fstat), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(newfstatat), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(pread64), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(pwrite64), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(preadv), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(pwritev), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(fsync), 0, (uint64_t)fd);
}

/* The debugger's socket, and the ioctls the stub uses (vmm/gdb). */
static int allow_debugger(scmp_filter_ctx ctx, int fd) {
	return allow_if(ctx, SCMP_SYS(read), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(write), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(recvfrom), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(ioctl), 1, KVM_SET_GUEST_DEBUG) ?:
	       allow_if(ctx, SCMP_SYS(ioctl), 1, KVM_SET_REGS) ?:
	       allow_if(ctx, SCMP_SYS(ioctl), 1, KVM_TRANSLATE);
}

/* A tap: frames read one at a time, written from a chain's buffers. */
static int allow_network(scmp_filter_ctx ctx, int fd) {
	return allow_if(ctx, SCMP_SYS(read), 0, (uint64_t)fd) ?:
	       allow_if(ctx, SCMP_SYS(writev), 0, (uint64_t)fd);
}

/* A snapshot's file, and the ioctls that read the state it holds
 * (vmm/snapshot/cpu.c). */
static const unsigned long snapshot_ioctls[] = {
	KVM_GET_REGS, KVM_GET_XSAVE, KVM_GET_XCRS, KVM_GET_DEBUGREGS, KVM_GET_MSRS,
	KVM_GET_MSR_INDEX_LIST, KVM_GET_VCPU_EVENTS, KVM_GET_MP_STATE, KVM_GET_LAPIC,
	KVM_GET_CPUID2, KVM_GET_IRQCHIP, KVM_GET_PIT2, KVM_GET_CLOCK, KVM_GET_TSC_KHZ,
};
static int allow_snapshot(scmp_filter_ctx ctx, int fd) {
	int rc = allow_if(ctx, SCMP_SYS(pwrite64), 0, (uint64_t)fd) ?:
		 allow_if(ctx, SCMP_SYS(ftruncate), 0, (uint64_t)fd);

	for (size_t i = 0; !rc && i < sizeof(snapshot_ioctls) / sizeof(snapshot_ioctls[0]); i++)
		rc = allow_if(ctx, SCMP_SYS(ioctl), 1, snapshot_ioctls[i]);
	return rc;
}

static int allow_file(scmp_filter_ctx ctx, const struct guest_file *f) {
	switch (f->use) {
	case GUEST_FILE_DISK: return allow_disk(ctx, f->fd);
	case GUEST_FILE_DEBUGGER: return allow_debugger(ctx, f->fd);
	case GUEST_FILE_NETWORK: return allow_network(ctx, f->fd);
	case GUEST_FILE_EVENT: return allow_if(ctx, SCMP_SYS(read), 0, (uint64_t)f->fd);
	case GUEST_FILE_SNAPSHOT: return allow_snapshot(ctx, f->fd);
	}
	return -EINVAL;
}

static int allow_files(scmp_filter_ctx ctx, const struct guest_files *files) {
	int rc = 0;

	for (int i = 0; !rc && files && i < files->count; i++)
		rc = allow_file(ctx, &files->file[i]);
	return rc;
}

/* Confine the calling thread. Reads and writes only on the fds it owns:
 * stdin, stdout, stderr, and FILES (NULL: none). WHO names it in a
 * failure's message; NULL: no message.
 * The API level is set, not probed: left to itself, libseccomp's first
 * seccomp_init tries nine seccomp(2) calls to learn which flags and
 * actions the kernel has (seccomp_api_get(3)). Level 1 loads the filter
 * with prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER), in Linux since 3.5: all
 * a TRAP-or-ALLOW filter for one thread needs. (Level 2 would use
 * seccomp(2), but libseccomp 2.5 finds that call's number only by
 * probing.) A real-mode guest's whole run: 73 system calls, not 82. */
int seccomp_confine(const struct guest_files *files, const char *who) {
	int rc = seccomp_api_set(1);
	scmp_filter_ctx ctx = rc ? NULL : seccomp_init(SCMP_ACT_TRAP);

	rc = rc ?: ctx ? 0 : -ENOMEM;

	for (size_t i = 0; !rc && i < sizeof(allowed) / sizeof(allowed[0]); i++)
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
	for (size_t i = 0; !rc && i < sizeof(allowed_ioctls) / sizeof(allowed_ioctls[0]); i++)
		rc = allow_if(ctx, SCMP_SYS(ioctl), 1, allowed_ioctls[i]);
	if (!rc)
		rc = allow_if(ctx, SCMP_SYS(read), 0, STDIN_FILENO);
	for (int fd = STDOUT_FILENO; !rc && fd <= STDERR_FILENO; fd++)
		rc = allow_if(ctx, SCMP_SYS(write), 0, (uint64_t)fd);
	if (!rc)
		rc = allow_files(ctx, files);
	if (!rc)
		rc = seccomp_load(ctx);
	seccomp_release(ctx);
	if (rc && who)	/* no WHO: silent, the caller's choice */
		log_error(who, "cannot install the seccomp filter: %s", strerror(-rc));
	return rc ? EX_OSERR : 0;
}
