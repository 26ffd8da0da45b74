# The 1K OS on two machines, shared by tests/os/os.bats (QEMU's emulator)
# and tests/real-kvm/os.bats (mini-kvm on a real KVM): one kernel image,
# the same transcripts. tests/os/NAME.in is typed into the shell and
# tests/os/NAME.out expected byte for byte; a NAME.sed, if there, blanks out
# what differs between machines and runs.

load ../integration/helpers

KERNEL=build/os/kernel.elf
OS_MEMORY=32M

# boot ENGINE INPUT [DISK]: boot the kernel on qemu or mini_kvm, stdin from
# INPUT; sets $status, $out, $err. MINI_KVM_ARGS adds options to mini-kvm.
# QEMU gets the disk as a virtio-blk-pci device, as mini-kvm gives it
# (the kernel's virtio.c drives both), or with QEMU_DISK=ide as an IDE disk
# (its ATA driver).
boot() {
	local disk=()
	if [ "$1" = qemu ]; then
		# Serial on stdio, isa-debug-exit for the verdict: the kernel
		# writes its exit code to port 0xf4, and QEMU exits with
		# (code << 1) | 1.
		if [ -n "${3:-}" ] && [ "${QEMU_DISK:-virtio}" = ide ]; then
			disk=(-drive "file=$3,format=raw,if=ide,index=0")
		elif [ -n "${3:-}" ]; then
			disk=(-drive "file=$3,format=raw,if=none,id=disk"
				-device virtio-blk-pci,drive=disk)
		fi
		timeout 60 qemu-system-i386 -m "$OS_MEMORY" -display none -serial stdio \
			-monitor none -net none -no-reboot "${disk[@]}" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$KERNEL" \
			<"$2" >"$out" 2>"$err" || status=$?
	else
		[ -z "${3:-}" ] || disk=(--disk "$3")
		# shellcheck disable=SC2086 # MINI_KVM_ARGS is a list of options
		"$MINI_KVM" -m "$OS_MEMORY" --timeout 60 ${MINI_KVM_ARGS:-} "${disk[@]}" \
			"$KERNEL" <"$2" >"$out" 2>"$err" || status=$?
	fi
}

# The kernel powered off with code 0: QEMU says 1, mini-kvm 0.
expect_clean_power_off() {
	if [ "$1" = qemu ]; then expect_status 1; else expect_status 0; fi
}

os_test_init() {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
}

# transcript ENGINE NAME
transcript() {
	os_test_init
	boot "$1" "tests/os/$2.in"
	expect_clean_power_off "$1"
	if [ -f "tests/os/$2.sed" ]; then
		sed -f "tests/os/$2.sed" "$out" >"$out.sed" && mv "$out.sed" "$out"
	fi
	expect_stdout "tests/os/$2.out"
}

# files ENGINE: write a file, power off, boot again on the same disk, read it.
files() {
	local disk=$BATS_TEST_TMPDIR/disk.img
	os_test_init
	dd if=/dev/zero of="$disk" bs=1024 count=128 status=none
	boot "$1" tests/os/files-write.in "$disk"
	expect_clean_power_off "$1"
	expect_stdout tests/os/files-write.out
	boot "$1" tests/os/files-read.in "$disk"
	expect_clean_power_off "$1"
	expect_stdout tests/os/files-read.out
}

# foreign_disk ENGINE: a disk of random bytes is refused, the shell works.
foreign_disk() {
	os_test_init
	head -c 131072 /dev/urandom >"$BATS_TEST_TMPDIR/junk.img"
	boot "$1" tests/os/files-corrupt.in "$BATS_TEST_TMPDIR/junk.img"
	expect_clean_power_off "$1"
	expect_stdout tests/os/files-corrupt.out
}

# corrupt_entry ENGINE: a directory entry claiming too large a file.
corrupt_entry() {
	local disk=$BATS_TEST_TMPDIR/disk.img
	os_test_init
	dd if=/dev/zero of="$disk" bs=1024 count=128 status=none
	printf '1KOS-FS1' | dd of="$disk" conv=notrunc status=none
	# entry 3: used = 1, size = 70000 (more than a file can hold)
	printf 'big\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\001\0\0\0\160\021\001\0' |
		dd of="$disk" bs=1 seek=$((512 + 3 * 32)) conv=notrunc status=none
	boot "$1" tests/os/files-corrupt.in "$disk"
	expect_clean_power_off "$1"
	grep -qx "disk: directory entry 3 is corrupt; files are off" "$out"
	grep -qx "the disk's file system is corrupt" "$out"
}

# uptime_while_waiting ENGINE: the timer runs at 100 Hz while the shell
# waits for input. "9" is typed half a second after the first prompt: at
# 100 Hz that is 50 ticks or more (the clock follows the host's, so a slow
# machine only adds ticks); the BIOS's own 18.2 Hz would give about 10,
# and a machine that stops while waiting none.
uptime_while_waiting() {
	local ticks
	os_test_init
	type_after "choice> " $'9\n0\n' "$BATS_TEST_TMPDIR/fifo" 0.5
	boot "$1" "$BATS_TEST_TMPDIR/fifo"
	typist_done
	expect_clean_power_off "$1"
	ticks=$(sed -n 's/^uptime: *\([0-9]*\) ticks.*/\1/p' "$out")
	echo "uptime: $ticks ticks" >&2
	[ "$ticks" -ge 30 ]
}
