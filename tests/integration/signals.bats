#!/usr/bin/env bats
# Signals and limits: SIGINT/SIGTERM stop every guest cleanly, a closed or
# broken stdout stops a guest with a defined status, and the guest count
# is bounded.

load helpers

# start_bg ARGS...: mini-kvm in the background; its pid in $pid.
start_bg() {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	"$MINI_KVM" "$@" </dev/null >"$out" 2>"$err" &
	pid=$!
}

# wait_for_start: until the guest threads are in their exit loops.
wait_for_start() { sleep 0.5; }

@test "SIGINT stops every guest, names each one, exit 130" {
	start_bg "$TGUESTS/forever.bin" "$TGUESTS/forever.bin"
	wait_for_start
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	expect_status 130
	expect_stderr_line "mini-kvm: forever: stopped by SIGINT"
	expect_stderr_line "mini-kvm: forever#2: stopped by SIGINT"
	[ "$(wc -l <"$err")" -eq 2 ]
}

@test "SIGTERM stops the guest, exit 143" {
	start_bg "$TGUESTS/forever.bin"
	wait_for_start
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	expect_status 143
	expect_stderr "mini-kvm: forever: stopped by SIGTERM"
}

@test "SIGINT while a guest waits for input stops it too" {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	mkfifo "$BATS_TEST_TMPDIR/in"
	sleep 3 >"$BATS_TEST_TMPDIR/in" &	# a writer that sends nothing
	"$MINI_KVM" "$GUESTS/echo.bin" <"$BATS_TEST_TMPDIR/in" >"$out" 2>"$err" &
	pid=$!
	wait_for_start
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
	expect_status 130
	expect_stderr "mini-kvm: echo: stopped by SIGINT"
}

@test "a closed stdout: the guest is stopped, exit 74" {
	out=/dev/null err=$BATS_TEST_TMPDIR/stderr status=0
	"$MINI_KVM" "$GUESTS/hello.bin" >&- 2>"$err" || status=$?
	expect_status 74
	expect_stderr "mini-kvm: hello: stopped: cannot write its output: Bad file descriptor"
}

@test "a reader that goes away (SIGPIPE): the guest is stopped, exit 74" {
	err=$BATS_TEST_TMPDIR/stderr status=0
	# stdout: a pipe whose read end is already closed (perl is in every
	# Debian: perl-base is essential).
	perl -e 'pipe(my $r, my $w) or die; close $r; open(STDOUT, ">&", $w) or die;
		 exec @ARGV or die' "$MINI_KVM" "$GUESTS/counter.bin" 2>"$err" || status=$?
	expect_status 74
	expect_stderr "mini-kvm: counter: stopped: cannot write its output: Broken pipe"
}

@test "more than 64 guests is a usage error" {
	local images=()
	for _ in $(seq 65); do images+=("$GUESTS/minimal.bin"); done
	vmm "${images[@]}"
	expect_status 64
	expect_stderr "mini-kvm: 65 images: at most 64 guests run in one mini-kvm"
}

@test "64 guests run" {
	local images=()
	for _ in $(seq 64); do images+=("$GUESTS/hello.bin"); done
	vmm --no-color "${images[@]}"
	expect_status 0
	[ "$(grep -c 'Hello, KVM!$' "$out")" -eq 64 ]
}

# build/mini-kvm is static; valgrind needs the dynamic link of the same objects.
@test "valgrind: a parallel run leaks no memory, no fd valgrind can see" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	valgrind --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
		--track-fds=yes --error-exitcode=9 build/mini-kvm-dynamic --no-seccomp --no-color \
		"$GUESTS/hello.bin" "$GUESTS/counter.bin" "$PGUESTS/hello.elf" \
		</dev/null >"$out" 2>"$err" || status=$?
	expect_status 0
	grep -q "All heap blocks were freed -- no leaks are possible" "$err"
	grep -q "ERROR SUMMARY: 0 errors" "$err"
	# Every fd open at exit was already open when we started.
	[ "$(grep -c '^==[0-9]*== Open file descriptor' "$err")" -eq \
	  "$(grep -c '<inherited from parent>' "$err")" ]
	[ "$(grep -c "^\[" "$out")" -eq 14 ]	# hello 1, counter 10, hello#3 3
}

# DRD (valgrind) knows every mutex made with pthread_mutex_init: one that
# is destroyed without it is "not a mutex".
@test "drd: a guest whose disk cannot be opened stops only the devices it made" {
	command -v valgrind >/dev/null || skip "valgrind is not installed"
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	valgrind --tool=drd build/mini-kvm-dynamic --no-seccomp \
		--disk "$BATS_TEST_TMPDIR/missing.img" "$GUESTS/hello.bin" \
		</dev/null >"$out" 2>"$err" || status=$?
	expect_status 66
	expect_stderr_line "mini-kvm: hello: cannot open disk '$BATS_TEST_TMPDIR/missing.img': No such file or directory"
	grep -q "ERROR SUMMARY" "$err"		# valgrind ran to the end
	! grep -q "is not a mutex" "$err"
}

@test "strace: every fd opened, KVM's VM and vCPU fds included, is closed" {
	command -v strace >/dev/null || skip "strace is not installed"
	local dir=$BATS_TEST_TMPDIR/strace
	mkdir "$dir"
	dd if=/dev/zero of="$BATS_TEST_TMPDIR/disk.img" bs=512 count=4 status=none
	strace -ff -ttt -e trace=open,openat,ioctl,close -o "$dir/t" build/mini-kvm \
		--disk "$BATS_TEST_TMPDIR/disk.img" --irqchip=on "$TGUESTS/pm-disk.elf" \
		"$GUESTS/hello.bin" "$PGUESTS/hello.elf" </dev/null >/dev/null 2>&1
	sort -n "$dir"/t.* | awk -f tests/integration/fds-left-open.awk
}

# seccomp_of PID: the Seccomp mode of each of its own threads, main first
# (KVM's "kvm-nx-lpage-recovery" kernel workers, one per VM, are left out).
seccomp_of() {
	local t
	for t in $(ls /proc/"$1"/task | sort -n); do
		[ "$(cat /proc/"$1"/task/"$t"/comm)" = mini-kvm ] || continue
		awk '/^Seccomp:/ { print $2 }' /proc/"$1"/task/"$t"/status
	done | tr '\n' ' '
}

@test "seccomp: guest threads are filtered, the supervisor is not" {
	start_bg "$TGUESTS/forever.bin" "$TGUESTS/forever.bin"
	wait_for_start
	modes=$(seccomp_of "$pid")
	kill -TERM "$pid"
	wait "$pid" || true
	echo "Seccomp modes: $modes" >&2
	[ "$modes" = "0 2 2 " ]		# main thread: none; vCPU threads: filter (2)
}

@test "seccomp: --no-seccomp leaves them unfiltered" {
	start_bg --no-seccomp "$TGUESTS/forever.bin"
	wait_for_start
	modes=$(seccomp_of "$pid")
	kill -TERM "$pid"
	wait "$pid" || true
	[ "$modes" = "0 0 " ]
}
