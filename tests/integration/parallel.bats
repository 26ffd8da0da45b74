#!/usr/bin/env bats
# Several guests at once: one VM and thread each, whole prefixed lines,
# failures kept to their guest, the first non-zero status wins.

load helpers

# Lines of $out that carry PREFIX, with the prefix removed.
lines_of() {
	grep -F "[$1] " "$out" | sed "s/^\[$1\] //"
}

@test "three guests: every line prefixed, none mixed, each output intact" {
	vmm --no-color "$GUESTS/counter.bin" "$GUESTS/multiplication.bin" "$GUESTS/fibonacci.bin"
	expect_status 0
	expect_stderr ""
	# Every line starts with exactly one known prefix ...
	refute grep -Ev '^\[(counter|multiplication|fibonacci)\] ' "$out"
	[ "$(wc -l <"$out")" -eq $((10 + 9 + 25)) ]
	# ... and each guest's lines, prefix removed, are its golden output.
	diff <(lines_of counter) "$GOLDEN/counter.out"
	diff <(lines_of multiplication) "$GOLDEN/multiplication.out"
	diff <(lines_of fibonacci) "$GOLDEN/fibonacci.out"
}

@test "a crashing guest does not stop the others; its status wins" {
	vmm "$GUESTS/hello.bin" "$TGUESTS/unmapped-jump.bin" "$TGUESTS/exit-code.bin"
	expect_status 70		# the first non-zero, in command-line order
	[ "$(lines_of hello)" = "Hello, KVM!" ]
	[ "$(lines_of exit-code)" = "exiting with 42" ]
	grep -q '^mini-kvm: unmapped-jump: guest crashed: ' "$err"
}

@test "the first non-zero status is the HC_EXIT_STATUS code" {
	vmm "$GUESTS/hello.bin" "$TGUESTS/exit-code.bin"
	expect_status 42
}

@test "several guests that end like the original's (HC_EXIT, BL left over) exit 0" {
	vmm "$TGUESTS/original-exit.bin" "$GUESTS/hello.bin" "$TGUESTS/original-exit.bin"
	expect_status 0
	[ "$(lines_of original-exit)" = "2x9=18 " ]
	[ "$(lines_of 'original-exit#3')" = "2x9=18 " ]
}

@test "a partial last line gets its own prefixed line" {
	STDIN=$GOLDEN/hypercalls.in vmm "$TGUESTS/hypercalls.bin" "$GUESTS/hello.bin"
	expect_status 0
	diff <(lines_of hypercalls) "$GOLDEN/hypercalls.out"
}

@test "the same image twice: distinct names, separate memory" {
	STDIN=<(echo A) vmm "$TGUESTS/isolation.bin" "$TGUESTS/isolation.bin"
	expect_status 0
	[ "$(lines_of isolation)" = "mine" ]
	[ "$(lines_of 'isolation#2')" = "mine" ]
}

@test "colour only on a terminal, never with --no-color or NO_COLOR" {
	command -v script >/dev/null || skip "no script(1) to provide a terminal"
	two="$MINI_KVM $GUESTS/hello.bin $GUESTS/minimal.bin"
	script -qec "$two" /dev/null >"$BATS_TEST_TMPDIR/tty"
	grep -q $'\033\\[31m\\[hello\\]\033\\[0m Hello, KVM!' "$BATS_TEST_TMPDIR/tty"
	script -qec "$two --no-color" /dev/null >"$BATS_TEST_TMPDIR/tty"
	refute grep -q $'\033' "$BATS_TEST_TMPDIR/tty"
	NO_COLOR=1 script -qec "$two" /dev/null >"$BATS_TEST_TMPDIR/tty"
	refute grep -q $'\033' "$BATS_TEST_TMPDIR/tty"
	vmm "$GUESTS/hello.bin" "$GUESTS/minimal.bin"	# a file: no colour
	refute grep -q $'\033' "$out"
}
