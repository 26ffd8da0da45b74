#!/usr/bin/env bats
# Bad images, a missing or forbidden /dev/kvm, and guests that crash: one
# line on stderr naming the guest and the cause, and the DESIGN.md exit code.

load helpers

@test "missing image: 66" {
	vmm nope.bin
	expect_status 66
	expect_stderr "mini-kvm: nope: cannot open image 'nope.bin': No such file or directory"
}

@test "unreadable image: 66" {
	cp "$GUESTS/hello.bin" "$BATS_TEST_TMPDIR/locked.bin"
	chmod 000 "$BATS_TEST_TMPDIR/locked.bin"
	# Root reads anything; drop that power so the permission bits count.
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	setpriv --bounding-set -dac_override,-dac_read_search \
		"$MINI_KVM" "$BATS_TEST_TMPDIR/locked.bin" >"$out" 2>"$err" || status=$?
	expect_status 66
	expect_stderr "mini-kvm: locked: cannot open image '$BATS_TEST_TMPDIR/locked.bin': Permission denied"
}

@test "a directory is not an image: 66" {
	vmm "$BATS_TEST_TMPDIR"
	expect_status 66
	grep -q "is not a regular file$" "$err"
}

@test "empty image: 65" {
	: >"$BATS_TEST_TMPDIR/empty.bin"
	vmm "$BATS_TEST_TMPDIR/empty.bin"
	expect_status 65
	expect_stderr "mini-kvm: empty: image '$BATS_TEST_TMPDIR/empty.bin' is empty"
}

@test "image one byte larger than guest memory: 65" {
	head -c 65537 /dev/zero >"$BATS_TEST_TMPDIR/big.bin"
	vmm -m 64K "$BATS_TEST_TMPDIR/big.bin"
	expect_status 65
	expect_stderr "mini-kvm: big: image is 65537 bytes, larger than the 65536 bytes of guest memory (see -m)"
}

@test "an ELF image that loads into the boot area is refused: 65" {
	vmm "$GUESTS/hello.elf"
	expect_status 65
	expect_stderr "mini-kvm: hello: bad ELF image: segment 0 (0x0-0x1f) overlaps mini-kvm's boot area below 0x8000"
}

@test "no /dev/kvm: 69" {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	# A private mount namespace with an empty /dev.
	unshare -m sh -c 'mount -t tmpfs none /dev && exec "$@"' sh \
		"$MINI_KVM" "$GUESTS/hello.bin" >"$out" 2>"$err" || status=$?
	expect_status 69
	expect_stderr "mini-kvm: hello: cannot open /dev/kvm: No such file or directory (is KVM enabled on this host?)"
}

@test "no permission on /dev/kvm: 69" {
	[ "$(stat -c %a /dev/kvm)" = 600 ] || skip "/dev/kvm is open to others here"
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$MINI_KVM" "$GUESTS/hello.bin" >"$out" 2>"$err" || status=$?
	expect_status 69
	expect_stderr "mini-kvm: hello: cannot open /dev/kvm: Permission denied (run as root or join the 'kvm' group)"
}

@test "jump into unmapped memory: emulation failure, 70" {
	vmm "$TGUESTS/unmapped-jump.bin"
	expect_status 70
	expect_stderr "mini-kvm: unmapped-jump: guest crashed: emulation failure: KVM could not emulate an instruction (KVM_EXIT_INTERNAL_ERROR, suberror 1) at cs:rip 8000:0"
	expect_stdout /dev/null
}

# (A triple fault: tests/real-kvm/protected.bats. PVM's real-mode emulator
# loops on it instead of shutting the vCPU down.)
