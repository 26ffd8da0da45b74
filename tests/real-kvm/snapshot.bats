#!/usr/bin/env bats
# Snapshots on a real KVM (docs/snapshots.md): a guest saved with
# --snapshot on SIGUSR1 and resumed with --restore goes on exactly where it
# was. The 1K OS and Linux need interrupts and paging, so tests/kvm-tier/check
# runs this file on a real KVM (this host's, or the tier's machine);
# nothing here is skipped. Each test compares the two halves, saved and
# restored, with what one run without a stop prints.

load ../integration/helpers
load initramfs

OS=build/os/kernel.elf
LGUESTS=build/guests/long

# save_when TEXT COUNT PID [FILE]: in the background, once FILE (default
# $BATS_TEST_TMPDIR/out1) shows TEXT COUNT times, send PID SIGUSR1.
save_when() {
	local file=${4:-$BATS_TEST_TMPDIR/out1}
	(
		for _ in $(seq 12000); do
			[ "$(grep -o -- "$1" "$file" 2>/dev/null | wc -l)" -ge "$2" ] && break
			sleep 0.01
		done
		kill -USR1 "$3"
	) &
	saver=$!
}

# run_saved FILE ARGS...: mini-kvm --snapshot FILE ARGS in the background,
# stdin from $STDIN, stdout to out1, stderr to err1; $saved_pid.
run_saved() {
	local file=$1
	shift
	"$MINI_KVM" --snapshot "$file" "$@" <"${STDIN:-/dev/null}" \
		>"$BATS_TEST_TMPDIR/out1" 2>"$BATS_TEST_TMPDIR/err1" &
	saved_pid=$!
}

# wait_saved FILE: the run ended with 0, said where it saved, and FILE is there.
wait_saved() {
	status=0
	wait "$saved_pid" || status=$?
	wait "$saver" 2>/dev/null || true
	err=$BATS_TEST_TMPDIR/err1
	expect_status 0
	grep -q "^mini-kvm: [^:]*: saved to $1: " "$err"
	[ -s "$1" ]
}

# The 1K OS's uptime lines differ from run to run: blanked, as its transcripts do.
ticks_blanked() {
	sed -f tests/os/sysinfo.sed "$@"
}

@test "1K OS: saved at the prompt after writing a file; resumed, the transcript goes on byte for byte" {
	local snap=$BATS_TEST_TMPDIR/os.snap disk=$BATS_TEST_TMPDIR/disk.img before after sum
	dd if=/dev/zero of="$disk" bs=1024 count=128 status=none
	mkfifo "$BATS_TEST_TMPDIR/in"
	# Typed only once the shell asks; saved at the third prompt.
	(
		exec 3>"$BATS_TEST_TMPDIR/in"
		for n in 1 2; do
			for _ in $(seq 600); do
				[ "$(grep -o 'choice> ' "$BATS_TEST_TMPDIR/out1" 2>/dev/null | wc -l)" -ge $n ] && break
				sleep 0.1
			done
			[ $n = 1 ] && printf 'write note saved with the machine\n' >&3
			[ $n = 2 ] && printf '9\n' >&3
		done
		sleep 5
	) &
	typist=$!
	STDIN=$BATS_TEST_TMPDIR/in run_saved "$snap" -m 32M --timeout 120 --disk "$disk" "$OS"
	save_when 'choice> ' 3 "$saved_pid"
	wait_saved "$snap"
	kill "$typist" 2>/dev/null || true

	printf 'ls\ncat note\n9\n0\n' >"$BATS_TEST_TMPDIR/rest"
	STDIN=$BATS_TEST_TMPDIR/rest vmm --timeout 120 --restore "$snap"
	expect_status 0
	expect_stderr ""
	cat "$BATS_TEST_TMPDIR/out1" "$out" | ticks_blanked >"$BATS_TEST_TMPDIR/whole"
	cmp "$BATS_TEST_TMPDIR/whole" tests/real-kvm/snapshot-os.out
	# The timer went on ticking: more ticks after than before.
	before=$(sed -n 's/^uptime: *\([0-9]*\) ticks.*/\1/p' "$BATS_TEST_TMPDIR/out1")
	after=$(sed -n 's/^uptime: *\([0-9]*\) ticks.*/\1/p' "$out")
	echo "uptime: $before ticks when saved, $after after the restore" >&2
	[ "$after" -gt "$before" ]

	# The disk written to since: refused, status 65, the file unchanged.
	sum=$(sha256sum <"$snap")
	printf 'x' | dd of="$disk" bs=1 seek=100000 conv=notrunc status=none
	vmm --restore "$snap"
	expect_status 65
	expect_stderr "mini-kvm: os: snapshot: the disk '$(realpath "$disk")' has changed since it was saved (written to): restoring would corrupt it"
	[ "$(sha256sum <"$snap")" = "$sum" ]
}

@test "Linux: saved while it waits for a line; restored twice from the same file, each answers its line" {
	local snap=$BATS_TEST_TMPDIR/linux.snap sum
	make_initramfs
	run_saved "$snap" --timeout 150 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet token=saved" build/kvm-tier/vmlinuz
	save_when "type a line:" 1 "$saved_pid"
	wait_saved "$snap"
	grep -qx "token: saved" <(tr -d '\r' <"$BATS_TEST_TMPDIR/out1")
	sum=$(sha256sum <"$snap")
	for n in 1 2; do
		printf 'restored %s\n' $n >"$BATS_TEST_TMPDIR/line"
		STDIN=$BATS_TEST_TMPDIR/line vmm --timeout 120 --restore "$snap"
		expect_status 0
		expect_stderr ""
		grep -qx "echo: restored $n" <(tr -d '\r' <"$out")
		refute grep -q "token:" "$out"	# it did not boot again
	done
	[ "$(sha256sum <"$snap")" = "$sum" ]	# the file never changes
}

# saved_mid_computation SNAP TEXT EXPECTED ARGS...: mini-kvm ARGS saved once
# it has printed TEXT, then restored; both halves together are EXPECTED.
saved_mid_computation() {
	local snap=$1 text=$2 expected=$3
	shift 3
	run_saved "$snap" --timeout 300 "$@"
	save_when "$text" 1 "$saved_pid"
	wait_saved "$snap"
	vmm --timeout 300 --restore "$snap"
	expect_status 0
	[ -s "$out" ]	# it was saved before its end
	cat "$BATS_TEST_TMPDIR/out1" "$out" >"$BATS_TEST_TMPDIR/whole"
	cmp "$BATS_TEST_TMPDIR/whole" "$expected"
}

@test "real mode: saved mid-computation, resumed, prints what a run without a stop prints" {
	# Saved once its first round's line is coming out.
	saved_mid_computation "$BATS_TEST_TMPDIR/spin.snap" "[0-9]" tests/real-kvm/spin.out \
		"$GUESTS/spin.bin"
}

@test "64-bit: saved mid-computation, resumed, prints what a run without a stop prints" {
	saved_mid_computation "$BATS_TEST_TMPDIR/spin64.snap" "round" tests/real-kvm/spin64.out \
		-m 16M "$LGUESTS/spin.elf64"
}

@test "Linux: SIGUSR1 during its boot saves it there; resumed, it boots on to init and answers" {
	local snap=$BATS_TEST_TMPDIR/boot.snap
	make_initramfs
	mkfifo "$BATS_TEST_TMPDIR/in"
	exec 4<>"$BATS_TEST_TMPDIR/in"	# we hold it open: stdin never ends
	STDIN=$BATS_TEST_TMPDIR/in run_saved "$snap" --timeout 150 \
		--initrd "$BATS_TEST_TMPDIR/initrd" --append "console=ttyS0 quiet token=early" \
		build/kvm-tier/vmlinuz
	wait_guest_thread "$saved_pid"	# it is booting the guest; a second more
	sleep 1
	kill -USR1 "$saved_pid"
	saver=$saved_pid
	wait_saved "$snap"
	exec 4>&-
	refute grep -q "token:" "$BATS_TEST_TMPDIR/out1"	# saved before init ran
	# Typed once init asks: input before the kernel opened its console is
	# lost, as on a real serial line.
	out=$BATS_TEST_TMPDIR/stdout
	type_after "type a line:" $'typed after the restore\n' "$BATS_TEST_TMPDIR/line"
	STDIN=$BATS_TEST_TMPDIR/line vmm --timeout 150 --restore "$snap"
	typist_done
	expect_status 0
	grep -qx "token: early" <(tr -d '\r' <"$out")
	grep -qx "echo: typed after the restore" <(tr -d '\r' <"$out")
}
