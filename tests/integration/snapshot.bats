#!/usr/bin/env bats
# Snapshots on any KVM that runs real mode (docs/snapshots.md): a guest
# saved on SIGUSR1 and resumed, the command line's refusals, and every kind
# of bad file refused with status 65. The 1K OS, Linux and 64-bit guests
# are saved and resumed in tests/real-kvm/snapshot.bats.

load helpers

# save_echo FILE: the echo guest, fed "abc" and saved while it waits for
# more; sets $out1 (what it printed before).
save_echo() {
	local pid
	mkfifo "$BATS_TEST_TMPDIR/in"
	exec 4<>"$BATS_TEST_TMPDIR/in"
	out1=$BATS_TEST_TMPDIR/out1
	"$MINI_KVM" --snapshot "$1" "$GUESTS/echo.bin" <"$BATS_TEST_TMPDIR/in" >"$out1" \
		2>"$BATS_TEST_TMPDIR/err1" 4>&- &
	pid=$!
	printf 'abc' >&4
	for _ in $(seq 600); do
		[ "$(cat "$out1")" = abc ] && break
		sleep 0.05
	done
	kill -USR1 "$pid"
	status=0
	wait "$pid" || status=$?
	exec 4>&-
	err=$BATS_TEST_TMPDIR/err1
	if grep -q "steps past an OUT before its exit" "$err"; then
		skip "this host's KVM (PVM) steps past an OUT before its exit: a guest waiting for input cannot be saved on it"
	fi
	expect_status 0
}

# save_early FILE GUEST: GUEST saved as soon as its thread has started.
save_early() {
	local pid
	"$MINI_KVM" --snapshot "$1" "$2" </dev/null >"$BATS_TEST_TMPDIR/out1" \
		2>"$BATS_TEST_TMPDIR/err1" &
	pid=$!
	wait_guest_thread "$pid"
	kill -USR1 "$pid"
	status=0
	wait "$pid" || status=$?
	err=$BATS_TEST_TMPDIR/err1
	expect_status 0
	[ -s "$1" ]
}

@test "a guest saved while it waits for input asks again once resumed, and goes on" {
	local snap=$BATS_TEST_TMPDIR/echo.snap
	save_echo "$snap"
	grep -qx "mini-kvm: echo: saved to $snap: 0.3 MB, of which 0.0 MB on disk (guest memory that holds only zeros is a hole)" "$err"
	printf 'def\n' >"$BATS_TEST_TMPDIR/rest"
	STDIN=$BATS_TEST_TMPDIR/rest vmm --restore "$snap"
	expect_status 0
	expect_stderr ""
	[ "$(cat "$out1" "$out")" = "abcdef" ]
	# The same file again: the same answer.
	STDIN=$BATS_TEST_TMPDIR/rest vmm --restore "$snap"
	[ "$(cat "$out1" "$out")" = "abcdef" ]
}

@test "a run never signalled leaves no file behind" {
	printf 'hi' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm --snapshot "$BATS_TEST_TMPDIR/never.snap" "$GUESTS/echo.bin"
	expect_status 0
	[ "$(cat "$out")" = hi ]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep snap)" ]
}

@test "SIGUSR1 without --snapshot is ignored" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	exec 4<>"$BATS_TEST_TMPDIR/in"
	"$MINI_KVM" "$GUESTS/echo.bin" <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" 4>&- &
	pid=$!
	printf 'x' >&4
	for _ in $(seq 600); do
		[ "$(cat "$BATS_TEST_TMPDIR/out")" = x ] && break
		sleep 0.05
	done
	kill -USR1 "$pid"
	printf 'y' >&4
	exec 4>&-
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = xy ]
}

@test "bad snapshot files: each refused in one line with status 65 (66: none)" {
	local snap=$BATS_TEST_TMPDIR/spin.snap f=$BATS_TEST_TMPDIR/bad.snap size
	save_early "$snap" "$GUESTS/spin.bin"
	size=$(stat -c %s "$snap")

	head -c 4000 "$snap" >"$f"
	vmm --restore "$f"
	expect_status 65
	expect_stderr "mini-kvm: bad: snapshot '$f': the file has 4000 bytes, its header says $size: cut short"

	head -c 50 "$snap" >"$f"
	vmm --restore "$f"
	expect_status 65
	expect_stderr "mini-kvm: bad: snapshot '$f': cut short inside its header (50 bytes)"

	cp "$snap" "$f"
	printf '\x07' | dd of="$f" bs=1 seek=300 conv=notrunc status=none	# a section's byte
	vmm --restore "$f"
	expect_status 65
	expect_stderr "mini-kvm: bad: snapshot '$f': its checksum does not match: the file is corrupt"

	cp "$snap" "$f"
	printf '\x09' | dd of="$f" bs=1 seek=8 conv=notrunc status=none	# the format version
	vmm --restore "$f"
	expect_status 65
	expect_stderr "mini-kvm: bad: snapshot '$f': snapshot format 9 from mini-kvm 0.3.0; this mini-kvm 0.3.0 reads format 1"

	vmm --restore "$GUESTS/hello.bin"
	expect_status 65
	expect_stderr "mini-kvm: hello: snapshot '$GUESTS/hello.bin': not a mini-kvm snapshot (no MKVMSNAP magic)"

	vmm --restore "$BATS_TEST_TMPDIR/missing.snap"
	expect_status 66
	expect_stderr "mini-kvm: missing: cannot open snapshot '$BATS_TEST_TMPDIR/missing.snap': No such file or directory"
}

@test "--snapshot and --restore: what they cannot be given, refused in one line (64)" {
	vmm --restore x.snap "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --restore takes no IMAGE: the machine comes from the snapshot"
	vmm --restore x.snap -m 1M
	expect_status 64
	expect_stderr "mini-kvm: --restore: --memory comes from the snapshot file"
	vmm --restore x.snap --gdb 1234
	expect_status 64
	expect_stderr "mini-kvm: --restore: --gdb cannot debug a restored guest"
	vmm --snapshot x.snap "$GUESTS/hello.bin" "$GUESTS/counter.bin"
	expect_status 64
	expect_stderr "mini-kvm: --snapshot saves one guest; 2 images given"
	vmm --snapshot x.snap --balloon "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --snapshot: a guest with --balloon (virtio-balloon) cannot be saved"
	vmm --snapshot "$BATS_TEST_TMPDIR/no/such/dir/x.snap" "$GUESTS/hello.bin"
	expect_status 73
	expect_stderr "mini-kvm: hello: --snapshot: cannot make a file in $BATS_TEST_TMPDIR/no/such/dir: No such file or directory"
}
