#!/usr/bin/env bats
# The command line: help, version, --stats, --verbose, --timeout, and every
# usage error with its message and exit status (DESIGN.md section 3).

load helpers

@test "--help prints usage on stdout and exits 0" {
	vmm --help
	expect_status 0
	grep -q '^Usage: mini-kvm \[OPTIONS\] IMAGE\.\.\.$' "$out"
	grep -q -- '--timeout SECS' "$out"
	expect_stderr ""
}

@test "--version prints the version" {
	vmm -V
	expect_status 0
	[ "$(cat "$out")" = "mini-kvm 0.3.0" ]
}

@test "no arguments: usage error 64" {
	vmm
	expect_status 64
	expect_stderr "mini-kvm: no image given (usage: mini-kvm [OPTIONS] IMAGE...)"
}

@test "unknown option: usage error 64" {
	vmm --frobnicate "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: unknown option '--frobnicate' (see mini-kvm --help)"
	expect_stdout /dev/null
}

@test "-m above 1M is refused for a real-mode guest" {
	vmm -m 2M "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --memory: 2048K is more than the 1024K a real-mode guest can address"
}

@test "-m above 3G is refused for any guest" {
	vmm -m 4G "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --memory: 4G is more than the 3G a guest can address"
}

@test "-m that is not a number is refused" {
	vmm -m lots "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --memory: 'lots' is not a size (e.g. 256K or 1M)"
}

@test "--timeout that is not a positive number is refused" {
	vmm --timeout -3 "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --timeout: '-3' is not a positive number of seconds (at most 604800)"
}

@test "--stats: exits by reason, hypercalls by number, wall time" {
	vmm --stats "$GUESTS/hello.bin"
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	expect_stderr_line "mini-kvm: hello: exits       2 (IO 1, HLT 1)"
	expect_stderr_line "mini-kvm: hello: hypercalls  1 (WRITE 1), unknown 0"
	expect_stderr_line "mini-kvm: hello: unclaimed   0 port accesses, 0 memory accesses"
	grep -Eq '^mini-kvm: hello: wall time   [0-9]+\.[0-9]{3} ms \(VM creation to guest end\), set-up [0-9]+\.[0-9]{3} ms$' "$err"
}

@test "--stats counts one exit per byte for PUTCHAR" {
	vmm --stats "$GUESTS/counter.bin"
	expect_stderr_line "mini-kvm: counter: exits       21 (IO 21)"
	expect_stderr_line "mini-kvm: counter: hypercalls  21 (PUTCHAR 20, EXIT_STATUS 1), unknown 0"
}

@test "--verbose describes each exit on stderr, stdout unchanged" {
	vmm -v "$GUESTS/hello.bin"
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	expect_stderr "mini-kvm: hello: exit: port write 0x0500 (hypercall), 1 byte(s) x 1, value 0x3: WRITE
mini-kvm: hello: exit: the guest executed HLT"
}

@test "--verbose names the device behind each port" {
	vmm -v "$GUESTS/uart.bin"
	grep -q '^mini-kvm: uart: exit: port read 0x03fd (uart), 1 byte(s) x 1$' "$err"
}

@test "--timeout stops a guest that loops forever: 124" {
	SECONDS=0
	vmm --timeout 1 "$TGUESTS/forever.bin"
	expect_status 124
	expect_stderr "mini-kvm: forever: stopped: still running after the 1 s timeout (--timeout)"
	[ "$SECONDS" -lt 10 ]
}

@test "--timeout stops a guest blocked reading stdin" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	sleep 30 >"$BATS_TEST_TMPDIR/fifo" &	# a writer that never writes
	writer=$!
	STDIN=$BATS_TEST_TMPDIR/fifo vmm -t 0.5 "$GUESTS/echo.bin"
	kill "$writer"
	expect_status 124
	expect_stderr "mini-kvm: echo: stopped: still running after the 0.5 s timeout (--timeout)"
}
