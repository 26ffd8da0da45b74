#!/usr/bin/env bats
# Hostile guests and images: each attack with the VMM's expected reaction
# (exit status, message, output) asserted. More attacks live elsewhere:
# buffer edges (tests/guests/hypercalls.S), triple fault, jump into
# unmapped memory, endless loop (tests/integration/errors.bats), and every
# malformed ELF header (tests/unit/test_elf.c).

load ../integration/helpers

HGUESTS=build/tests/hostile

@test "OUT and IN on every port at every width: the VMM survives, all counted" {
	vmm --stats "$HGUESTS/port-scan.bin"
	expect_status 0
	# The one byte that reaches the UART's data register, then the verdict.
	printf '\377\nsurvived the port scan\n' >"$BATS_TEST_TMPDIR/expected"
	expect_stdout "$BATS_TEST_TMPDIR/expected"
	# 65,536 ports x 3 widths x (OUT + IN), but for the 9 claimed ports.
	expect_stderr_line "mini-kvm: port-scan: unclaimed   393162 port accesses, 0 memory accesses"
	expect_stderr_line "mini-kvm: port-scan: hypercalls  2 (WRITE 1, EXIT_STATUS 1), unknown 3"
}

@test "every unknown 16-bit hypercall number and two 32-bit ones: HC_ERR_NOSYS" {
	vmm --stats "$HGUESTS/unknown-calls.bin"
	expect_status 0
	expect_stderr_line "mini-kvm: unknown-calls: hypercalls  1 (EXIT_STATUS 1), unknown 65529"
}

@test "100 MB of output: every byte arrives, VMM memory does not grow" {
	local flood_kb hello_kb
	command -v /usr/bin/time >/dev/null || skip "/usr/bin/time is not installed"
	err=$BATS_TEST_TMPDIR/stderr
	# The plain build: the sanitizers' own memory would hide ours.
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/hello.kb" build/mini-kvm \
		"$GUESTS/hello.bin" >/dev/null
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/flood.kb" build/mini-kvm \
		"$HGUESTS/flood.bin" 2>"$err" | cksum >"$BATS_TEST_TMPDIR/sum"
	# 25,600 lines of 4,095 'x' and a newline:
	[ "$(cat "$BATS_TEST_TMPDIR/sum")" = "$(perl -e 'print "x" x 4095, "\n" for 1 .. 25600' |
		cksum)" ]
	expect_stderr ""
	flood_kb=$(cat "$BATS_TEST_TMPDIR/flood.kb") hello_kb=$(cat "$BATS_TEST_TMPDIR/hello.kb")
	echo "peak RSS: hello $hello_kb KB, flood $flood_kb KB" >&2
	[ "$flood_kb" -le $((hello_kb + 1024)) ]
}

@test "reading stdin after its end: HC_EOF and 0, every time" {
	printf 'abc' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm "$HGUESTS/read-after-eof.bin"
	expect_status 0
	[ "$(cat "$out")" = "abc" ]
}

# image_of SIZE: a flat image of SIZE bytes: HLT, then zeros.
image_of() {
	{ printf '\364'; head -c $(($1 - 1)) /dev/zero; } >"$BATS_TEST_TMPDIR/img.bin"
}

@test "an image exactly the size of guest memory runs" {
	image_of 65536
	vmm -m 64K "$BATS_TEST_TMPDIR/img.bin"
	expect_status 0
}

@test "an image one byte larger than guest memory is refused" {
	image_of 65537
	vmm -m 64K "$BATS_TEST_TMPDIR/img.bin"
	expect_status 65
	expect_stderr "mini-kvm: img: image is 65537 bytes, larger than the 65536 bytes of guest memory (see -m)"
}

# elf NAME SEGMENT...: a crafted ELF32 (tests/hostile/make-elf.pl).
elf() {
	local name=$1
	shift
	perl tests/hostile/make-elf.pl "$BATS_TEST_TMPDIR/$name.elf" "$@"
	vmm "$BATS_TEST_TMPDIR/$name.elf"
}

@test "crafted ELF: a well-formed one runs (the tool itself is right)" {
	elf good 0x100000:16:4096
	expect_status 0
}

@test "crafted ELF: overlapping segments are refused" {
	elf overlap 0x100000:16:4096 0x100800:16:16
	expect_status 65
	expect_stderr "mini-kvm: overlap: bad ELF image: segment 1 (0x100800-0x100810) overlaps another segment"
}

@test "crafted ELF: a truncated segment is refused" {
	elf cut 0x100000:4096:4096 --short 100
	expect_status 65
	expect_stderr "mini-kvm: cut: bad ELF image: segment 0 (0x100000-0x101000) lies past the end of the file (truncated image?)"
}

@test "crafted ELF: file size over memory size is refused" {
	elf oversize 0x100000:32:16
	expect_status 65
	expect_stderr "mini-kvm: oversize: bad ELF image: segment 0 (0x100000-0x100010) has a file size larger than its memory size"
}

@test "crafted ELF: a segment past the end of memory is refused" {
	elf far 0x3ff000:16:0x2000
	expect_status 65
	expect_stderr "mini-kvm: far: bad ELF image: segment 0 (0x3ff000-0x401000) does not fit in guest memory (see -m)"
}

@test "crafted ELF: a segment at 4 GB - 16 that wraps is refused" {
	elf wrap 0xfffffff0:16:0x100
	expect_status 65
	grep -q "does not fit in guest memory" "$err"
}

@test "8 hostile guests beside 8 good ones: the good ones' output is unchanged" {
	local good=(hello counter multiplication fibonacci matrix minimal uart protected-hello)
	local hostile=("$HGUESTS/port-scan.bin" "$HGUESTS/unknown-calls.bin"
		       "$HGUESTS/read-after-eof.bin" "$TGUESTS/forever.bin"
		       "$TGUESTS/triple-fault.bin" "$TGUESTS/unmapped-jump.bin"
		       "$TGUESTS/exit-code.bin" "$TGUESTS/hypercalls.bin")
	local images=() name
	for name in "${good[@]::7}"; do images+=("$GUESTS/$name.bin"); done
	cp "$PGUESTS/hello.elf" "$BATS_TEST_TMPDIR/protected-hello.elf"	# its own name
	images+=("$BATS_TEST_TMPDIR/protected-hello.elf")
	vmm --no-color --timeout 10 "${images[@]}" "${hostile[@]}"
	refute [ "$status" -eq 0 ]
	for name in "${good[@]}"; do
		sed -n "s/^\[$name\] //p" "$out" >"$BATS_TEST_TMPDIR/$name.got"
		if ! cmp -s "$BATS_TEST_TMPDIR/$name.got" "$GOLDEN/$name.out"; then
			echo "$name's output changed" >&2
			diff "$GOLDEN/$name.out" "$BATS_TEST_TMPDIR/$name.got" | head >&2
			return 1
		fi
	done
}
