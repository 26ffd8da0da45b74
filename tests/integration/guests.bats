#!/usr/bin/env bats
# Every sample guest: stdout byte for byte against tests/golden, exit 0,
# and nothing on stderr (with one guest the VMM adds nothing to the output).

load helpers

@test "minimal: HLT ends the guest with status 0 and no output" {
	vmm "$GUESTS/minimal.bin"
	expect_status 0
	expect_stdout "$GOLDEN/minimal.out"
	expect_stderr ""
}

@test "hello prints Hello, KVM!" {
	vmm "$GUESTS/hello.bin"
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	expect_stderr ""
}

@test "counter counts 0 to 9" {
	vmm "$GUESTS/counter.bin"
	expect_status 0
	expect_stdout "$GOLDEN/counter.out"
	expect_stderr ""
}

@test "multiplication prints the 9x9 table" {
	vmm "$GUESTS/multiplication.bin"
	expect_status 0
	expect_stdout "$GOLDEN/multiplication.out"
	expect_stderr ""
}

@test "fibonacci prints F(0) to F(24)" {
	vmm "$GUESTS/fibonacci.bin"
	expect_status 0
	expect_stdout "$GOLDEN/fibonacci.out"
	expect_stderr ""
}

@test "matrix prints the product of two 3x3 matrices" {
	vmm "$GUESTS/matrix.bin"
	expect_status 0
	expect_stdout "$GOLDEN/matrix.out"
	expect_stderr ""
}

@test "uart prints through the 16550" {
	vmm "$GUESTS/uart.bin"
	expect_status 0
	expect_stdout "$GOLDEN/uart.out"
	expect_stderr ""
}

@test "UART writes queued without an exit arrive whole, in order, before later accesses" {
	vmm --stats "$TGUESTS/uart-burst.bin"
	expect_status 0
	{ perl -e 'print chr(97 + $_ % 26) for 0 .. 5999'; printf '\nZ\n'; } \
		>"$BATS_TEST_TMPDIR/expected"
	expect_stdout "$BATS_TEST_TMPDIR/expected"
	# Each of the 6,007 port accesses is either an exit or a queued write;
	# the first 1,024 bytes always exit (none are queued where the host
	# lacks KVM_CAP_COALESCED_PIO).
	local exits queued
	exits=$(sed -n 's/.*exits .*(IO \([0-9]*\).*/\1/p' "$err")
	queued=$(sed -n 's/.*no exit  *\([0-9]*\) port writes.*/\1/p' "$err")
	[ $((exits + ${queued:-0})) -eq 6007 ]
	[ "${queued:-0}" -le $((6007 - 1024)) ]
}

@test "echo copies all 256 byte values from stdin, 0xFF included" {
	STDIN=$GOLDEN/echo.in vmm "$GUESTS/echo.bin"
	expect_status 0
	expect_stdout "$GOLDEN/echo.out"
	expect_stderr ""
}

@test "echo with empty stdin ends at once" {
	vmm "$GUESTS/echo.bin"
	expect_status 0
	expect_stdout /dev/null
}

@test "hypercall ABI: unknown numbers, buffer edges, clock, read, EOF" {
	STDIN=$GOLDEN/hypercalls.in vmm --stats "$TGUESTS/hypercalls.bin"
	expect_status 0
	expect_stdout "$GOLDEN/hypercalls.out"
	expect_stderr_line "mini-kvm: hypercalls: hypercalls  49 (PUTCHAR 10, GETCHAR 1, WRITE 28, READ 7, CLOCK 2, EXIT_STATUS 1), unknown 2"
}

@test "HC_EXIT_STATUS code becomes the exit status" {
	vmm "$TGUESTS/exit-code.bin"
	expect_status 42
	[ "$(cat "$out")" = "exiting with 42" ]
	expect_stderr ""
}

@test "HC_EXIT ends with 0 whatever BL holds, as the original Mini-KVM's guests expect" {
	vmm --stats "$TGUESTS/original-exit.bin"
	expect_status 0
	printf '2x9=18 ' >"$BATS_TEST_TMPDIR/expected"
	expect_stdout "$BATS_TEST_TMPDIR/expected"
	expect_stderr_line "mini-kvm: original-exit: hypercalls  8 (EXIT 1, PUTCHAR 7), unknown 0"
}

@test "an image of exactly the memory size loads and runs" {
	head -c 65536 /dev/zero | tr '\0' '\364' >"$BATS_TEST_TMPDIR/hlt.bin"	# 0xF4 = HLT
	vmm -m 64K "$BATS_TEST_TMPDIR/hlt.bin"
	expect_status 0
	expect_stderr ""
}

@test "a guest with less than 64K of memory gets a stack inside it" {
	vmm -m 4K "$TGUESTS/exit-code.bin"	# calls subroutines: uses the stack
	expect_status 42
	expect_stderr ""
}

@test "the release build passes the same golden test" {
	MINI_KVM=build/mini-kvm vmm "$GUESTS/matrix.bin"
	expect_status 0
	expect_stdout "$GOLDEN/matrix.out"
}
