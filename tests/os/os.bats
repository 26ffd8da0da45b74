#!/usr/bin/env bats
# The 1K OS, one kernel image on two machines: transcripts (tests/os/NAME.in
# typed into the shell, tests/os/NAME.out expected byte for byte) under
# QEMU's emulator (TCG, always: it runs everything x86 has) and under
# mini-kvm where the host's KVM can run paging and interrupts.
# A NAME.sed, if there, blanks out what differs between machines and runs.

load ../integration/helpers

KERNEL=build/os/kernel.elf
OS_MEMORY=32M

# QEMU: serial on stdio, isa-debug-exit for the verdict: the kernel writes
# its exit code to port 0xf4, and QEMU exits with (code << 1) | 1.
# qemu_boot INPUT [DISK]
qemu_boot() {
	local disk=()
	[ -z "${2:-}" ] || disk=(-drive "file=$2,format=raw,if=ide,index=0")
	timeout 60 qemu-system-i386 -m "$OS_MEMORY" -display none -serial stdio \
		-monitor none -net none -no-reboot "${disk[@]}" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$KERNEL" \
		<"$1" >"$out" 2>"$err" || status=$?
}

# mini_kvm_boot INPUT [DISK]
mini_kvm_boot() {
	local disk=()
	[ -z "${2:-}" ] || disk=(--disk "$2")
	"$MINI_KVM" -m "$OS_MEMORY" --timeout 60 "${disk[@]}" "$KERNEL" <"$1" >"$out" \
		2>"$err" || status=$?
}

# files ENGINE: write a file, power off, boot again on the same disk, read it.
files() {
	local disk=$BATS_TEST_TMPDIR/disk.img boot=${1}_boot
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	if [ "$1" = mini_kvm ]; then
		require_host paging "use 32-bit paging"
		require_host interrupts "deliver interrupts in 32-bit protected mode"
	fi
	dd if=/dev/zero of="$disk" bs=1024 count=128 status=none
	$boot tests/os/files-write.in "$disk"
	expect_stdout tests/os/files-write.out
	$boot tests/os/files-read.in "$disk"
	expect_stdout tests/os/files-read.out
}

# transcript qemu|mini-kvm NAME
transcript() {
	local input=tests/os/$2.in expected=tests/os/$2.out
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	if [ "$1" = qemu ]; then
		qemu_boot "$input"
		expect_status 1		# exit code 0 from the kernel
	else
		require_host paging "use 32-bit paging"
		require_host interrupts "deliver interrupts in 32-bit protected mode"
		mini_kvm_boot "$input"
		expect_status 0
	fi
	if [ -f "tests/os/$2.sed" ]; then
		sed -f "tests/os/$2.sed" "$out" >"$out.sed" && mv "$out.sed" "$out"
	fi
	expect_stdout "$expected"
}

# setup: QEMU must be there in CI; KVM only for the mini-kvm tests.
setup() {
	if ! command -v qemu-system-i386 >/dev/null; then
		[ -z "${CI:-}" ] || { echo "CI must have qemu-system-i386" >&2; return 1; }
		skip "qemu-system-i386 is not installed"
	fi
}

@test "qemu: 1 multiplication table" { transcript qemu multiply; }
@test "qemu: 2 counter" { transcript qemu counter; }
@test "qemu: 3 echo" { transcript qemu echo; }
@test "qemu: 4 fibonacci" { transcript qemu fibonacci; }
@test "qemu: 5 primes" { transcript qemu primes; }
@test "qemu: 6 calculator, division by zero and bad input" { transcript qemu calc; }
@test "qemu: 7 factorials" { transcript qemu factorial; }
@test "qemu: 8 gcd, bad input re-prompts" { transcript qemu gcd; }
@test "qemu: 9 system info" { transcript qemu sysinfo; }
@test "qemu: the menu re-prompts on bad input" { transcript qemu menu; }
@test "qemu: protection: bad pointer, kernel memory, cli, out kill only the program" {
	transcript qemu protection
}

@test "qemu: files survive a power-off (IDE disk)" { files qemu; }

@test "qemu: a disk that is not ours: an error, files off, the shell works" {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	head -c 131072 /dev/urandom >"$BATS_TEST_TMPDIR/junk.img"
	qemu_boot tests/os/files-corrupt.in "$BATS_TEST_TMPDIR/junk.img"
	expect_status 1
	expect_stdout tests/os/files-corrupt.out
}

@test "qemu: a corrupt directory entry is refused, not trusted" {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	local disk=$BATS_TEST_TMPDIR/disk.img
	dd if=/dev/zero of="$disk" bs=1024 count=128 status=none
	printf '1KOS-FS1' | dd of="$disk" conv=notrunc status=none
	# entry 3: used = 1, size = 70000 (more than a file can hold)
	printf 'big\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\001\0\0\0\160\021\001\0' |
		dd of="$disk" bs=1 seek=$((512 + 3 * 32)) conv=notrunc status=none
	qemu_boot tests/os/files-corrupt.in "$disk"
	expect_status 1
	grep -qx "disk: directory entry 3 is corrupt; files are off" "$out"
	grep -qx "the disk's file system is corrupt" "$out"
}

@test "qemu: the timer runs at 100 Hz: uptime grows while the shell waits" {
	local ticks
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	# Type "9" half a second after the first prompt: at 100 Hz that is 50
	# ticks or more (QEMU's clock follows the host's, so a slow host only
	# adds ticks). The BIOS's own 18.2 Hz would give about 10, none at all
	# would mean the timer never interrupts.
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	(
		for _ in $(seq 200); do
			grep -q "choice> " "$out" 2>/dev/null && break
			sleep 0.05
		done
		sleep 0.5
		printf '9\n0\n'
	) >"$BATS_TEST_TMPDIR/fifo" &
	qemu_boot "$BATS_TEST_TMPDIR/fifo"
	expect_status 1
	ticks=$(sed -n 's/^uptime: *\([0-9]*\) ticks.*/\1/p' "$out")
	echo "uptime: $ticks ticks" >&2
	[ "$ticks" -ge 30 ]
}

@test "mini-kvm: 1 multiplication table" { transcript mini-kvm multiply; }
@test "mini-kvm: 5 primes" { transcript mini-kvm primes; }
@test "mini-kvm: 6 calculator" { transcript mini-kvm calc; }
@test "mini-kvm: 9 system info" { transcript mini-kvm sysinfo; }
@test "mini-kvm: protection" { transcript mini-kvm protection; }
@test "mini-kvm: files survive a power-off (--disk)" { files mini_kvm; }

@test "mini-kvm: on this host, the kernel either runs or is refused in one line" {
	[ -r /dev/kvm ] || skip "no usable /dev/kvm on this host"
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	mini_kvm_boot tests/os/primes.in
	if [ "$status" -eq 0 ]; then
		expect_stdout tests/os/primes.out
	else
		expect_status 70
		[ "$(wc -l <"$err")" -eq 1 ]
		grep -q "which this host's KVM cannot do" "$err"
	fi
}
