#!/usr/bin/env bats
# The 1K OS under QEMU's emulator (TCG, always: it runs everything x86 has):
# every transcript, files across a power-off, foreign and corrupt disks, the
# 100 Hz timer. tests/real-kvm/os.bats runs the same on mini-kvm, on a real
# KVM; here, mini-kvm only has to run the kernel or refuse it in one line.
# The helpers are in tests/os/helpers.bash.

load helpers

# setup: QEMU must be there in CI.
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

@test "qemu: files survive a power-off (virtio-blk-pci)" { files qemu; }
@test "qemu: files survive a power-off (IDE disk)" { QEMU_DISK=ide files qemu; }
@test "qemu: a disk that is not ours: an error, files off, the shell works" { foreign_disk qemu; }
@test "qemu: a corrupt directory entry is refused, not trusted" { corrupt_entry qemu; }
@test "qemu: the timer runs at 100 Hz: uptime grows while the shell waits" {
	uptime_while_waiting qemu
}

@test "mini-kvm: on this host, the kernel either runs or is refused in one line" {
	os_test_init
	boot mini_kvm tests/os/primes.in
	if [ "$status" -eq 0 ]; then
		expect_stdout tests/os/primes.out
	elif [ ! -e /dev/kvm ]; then			# no KVM at all: 69, EX_UNAVAILABLE
		expect_status 69
		expect_stderr "mini-kvm: kernel: cannot open /dev/kvm: No such file or directory (is KVM enabled on this host?)"
	elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then	# not ours to use
		expect_status 69
		[ "$(wc -l <"$err")" -eq 1 ]
		grep -q "cannot open /dev/kvm: Permission denied" "$err"
	else
		expect_status 70
		[ "$(wc -l <"$err")" -eq 1 ]
		grep -q "which this host's KVM cannot do" "$err"
	fi
}
