# Shared by the integration tests: run mini-kvm on real guests under /dev/kvm.
# Paths are relative to the repository root (tests/run starts bats there).

MINI_KVM=${MINI_KVM:-build/asan/mini-kvm}
GUESTS=build/guests/real
TGUESTS=build/tests/guests
GOLDEN=tests/golden
# The sanitizer build must stay silent: any report fails the run with exit 99.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:exitcode=99}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=99}

# Every test here needs KVM. Without it: SKIP on a workstation, FAIL in CI.
setup() {
	if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		return 0
	fi
	if [ -n "${CI:-}" ]; then
		echo "CI must run these tests, but /dev/kvm is missing or not usable" >&2
		return 1
	fi
	skip "no usable /dev/kvm on this host"
}

# vmm ARGS...: run mini-kvm with stdin from $STDIN (default: empty).
# Sets $status; stdout and stderr land in $out and $err.
vmm() {
	out=$BATS_TEST_TMPDIR/stdout
	err=$BATS_TEST_TMPDIR/stderr
	status=0
	"$MINI_KVM" "$@" <"${STDIN:-/dev/null}" >"$out" 2>"$err" || status=$?
}

expect_status() {
	if [ "$status" -ne "$1" ]; then
		echo "exit status $status, expected $1; stderr:" >&2
		cat "$err" >&2
		return 1
	fi
}

# expect_stdout FILE: stdout equals FILE byte for byte.
expect_stdout() {
	if ! cmp -s "$out" "$1"; then
		echo "stdout differs from $1:" >&2
		diff <(od -c "$1") <(od -c "$out") | head -20 >&2
		return 1
	fi
}

# expect_stderr TEXT: stderr is exactly TEXT plus a newline.
expect_stderr() {
	if [ "$(cat "$err")" != "$1" ]; then
		printf 'stderr was:\n%s\nexpected:\n%s\n' "$(cat "$err")" "$1" >&2
		return 1
	fi
}

# expect_stderr_line TEXT: one line of stderr is exactly TEXT.
expect_stderr_line() {
	if ! grep -qxF -- "$1" "$err"; then
		printf 'no stderr line:\n%s\nstderr was:\n%s\n' "$1" "$(cat "$err")" >&2
		return 1
	fi
}

# type_after PROMPT TEXT FIFO [SECONDS [FILE]]: in the background, wait
# until FILE (default $out) shows PROMPT (at most a minute), then SECONDS
# more (default 0), then write TEXT into FIFO, the guest's stdin: input
# typed only once the guest asks for it. Sets $typist; call typist_done
# once the guest has ended (bats would wait for what is left of it).
type_after() {
	local watched=${5:-$out}
	mkfifo "$3"
	(
		for _ in $(seq 600); do
			grep -q "$1" "$watched" 2>/dev/null && break
			sleep 0.1
		done
		sleep "${4:-0}"
		printf '%s' "$2"
	) >"$3" &
	typist=$!
}

typist_done() {
	kill "$typist" 2>/dev/null || true
}

# expect_triple_fault GUEST CS: stderr is the one line a triple fault in
# GUEST gives, at a cs:rip whose CS matches the regex CS. KVM on AMD SVM
# (kvm_amd) resets the vCPU after a triple fault, so there mini-kvm cannot
# say where it was, and says so instead.
expect_triple_fault() {
	local crashed="mini-kvm: $1: guest crashed: triple fault (KVM_EXIT_SHUTDOWN)" at
	if [ -d /sys/module/kvm_amd ]; then
		expect_stderr "$crashed; where is unknown: KVM reset the vCPU (it does on AMD SVM)"
		return
	fi
	at=$(sed -n "s/^$crashed at cs:rip //p" "$err")
	if [ "$(wc -l <"$err")" -ne 1 ] || ! [[ $at =~ ^$2:[0-9a-f]+$ ]]; then
		echo "stderr is not one line saying: a triple fault at CS $2:" >&2
		cat "$err" >&2
		return 1
	fi
}

# refute CMD...: fail if CMD succeeds. (A bare "! cmd" never fails a bats
# test: set -e ignores negated commands.)
refute() {
	if "$@"; then
		echo "unexpectedly succeeded: $*" >&2
		return 1
	fi
}

PGUESTS=build/guests/protected

# host_can paging|interrupts|timer: run the probe guest that tries it. It
# prints "<what>: ok" where the host's KVM can; where it cannot, mini-kvm
# must say so (exit 70, "which this host's KVM cannot do"), or the probe
# itself has found a bug and the test fails.
host_can() {
	local probe_out probe_err rc=0
	probe_out=$BATS_TEST_TMPDIR/probe.out
	probe_err=$BATS_TEST_TMPDIR/probe.err
	"$MINI_KVM" --timeout 10 "$TGUESTS/probe-$1.elf" </dev/null >"$probe_out" \
		2>"$probe_err" || rc=$?
	if [ "$rc" -eq 0 ] && grep -qx "$1: ok" "$probe_out"; then
		return 0
	fi
	if [ "$rc" -eq 70 ] && grep -q "which this host's KVM cannot do" "$probe_err"; then
		return 1
	fi
	echo "probe-$1 neither ran nor was refused cleanly (exit $rc):" >&2
	cat "$probe_err" >&2
	return 2
}

# require_host paging|interrupts|timer "what": skip with a named reason if
# the host's KVM cannot, fail if the probe misbehaves.
require_host() {
	local rc=0
	host_can "$1" || rc=$?
	[ "$rc" -ne 2 ] || return 1
	[ "$rc" -eq 0 ] || skip "host KVM cannot $2"
}

# wait_guest_thread PID: until mini-kvm PID has started its guest's thread
# (or has ended). By then it has SIGUSR1 blocked, its first step: /proc's
# SigBlk cannot show that, as sigtimedwait unblocks what it waits for.
wait_guest_thread() {
	local key value threads
	for _ in $(seq 20000); do
		threads=0
		while read -r key value; do
			[ "$key" = Threads: ] && threads=$value
		done < <(cat "/proc/$1/status" 2>/dev/null)
		[ "$threads" -ge 2 ] || [ ! -d "/proc/$1" ] && return 0
	done
}
