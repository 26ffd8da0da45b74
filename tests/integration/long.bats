#!/usr/bin/env bats
# 64-bit (ELF64) guests: long mode in ring 3 on page tables the VMM builds.

load helpers

LGUESTS=build/guests/long
LTESTS=build/tests/long

@test "long hello: 64-bit printf through the SDK, memory size in RDI" {
	vmm "$LGUESTS/hello.elf64"
	expect_status 0
	expect_stdout "$GOLDEN/long-hello.out"
	expect_stderr ""
}

@test "long fib: reads N from stdin, computes in ring 3" {
	printf '25\n' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm -m 16M "$LGUESTS/fib.elf64"
	expect_status 0
	[ "$(cat "$out")" = "fib(25) = 75025" ]
}

@test "main's return value is the exit status; -m reaches RDI" {
	vmm -m 64M "$LTESTS/exit-code.elf64"
	expect_status 42
	[ "$(cat "$out")" = "memory 67108864 bytes" ]
}

@test "a 64-bit guest gets 3G of memory mapped" {
	vmm -m 3G "$LTESTS/exit-code.elf64"
	expect_status 42
	[ "$(cat "$out")" = "memory 3221225472 bytes" ]
}

# protection N: what test N of tests/long/protection.c must cause: a
# triple fault in ring 3 (CS 001b).
protection() {
	printf '%s' "$1" >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm "$LTESTS/protection.elf64"
	expect_status 70
	[ "$(cat "$out")" = "trying" ]
	expect_triple_fault protection 001b
}

@test "ring 3 cannot write the page tables" { protection 1; }
@test "ring 3 cannot HLT" { protection 2; }
@test "ring 3 cannot CLI" { protection 3; }
@test "ring 3 cannot reach a port past the I/O bitmap" { protection 4; }
@test "ring 3 cannot read past the end of RAM" { protection 5; }

@test "the protection guest itself runs when it does nothing wrong" {
	printf '0' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm "$LTESTS/protection.elf64"
	expect_status 0
}
