#!/usr/bin/env bats
# The 1K OS on mini-kvm, on a real KVM: the same kernel file and the same
# transcripts that tests/os/os.bats runs under QEMU's emulator, every one.
# It needs 32-bit paging and interrupts, so tests/kvm-tier/check runs this
# file on a real KVM (this host's, or the tier's machine); nothing here is
# skipped.

load ../os/helpers

@test "1 multiplication table" { transcript mini_kvm multiply; }
@test "2 counter" { transcript mini_kvm counter; }
@test "3 echo" { transcript mini_kvm echo; }
@test "4 fibonacci" { transcript mini_kvm fibonacci; }
@test "5 primes" { transcript mini_kvm primes; }
@test "6 calculator, division by zero and bad input" { transcript mini_kvm calc; }
@test "7 factorials" { transcript mini_kvm factorial; }
@test "8 gcd, bad input re-prompts" { transcript mini_kvm gcd; }
@test "9 system info" { transcript mini_kvm sysinfo; }
@test "the menu re-prompts on bad input" { transcript mini_kvm menu; }
@test "protection: bad pointer, kernel memory, cli, out kill only the program" {
	transcript mini_kvm protection
}

@test "files survive a power-off (--disk: virtio-blk)" { files mini_kvm; }
@test "a disk that is not ours: an error, files off, the shell works" { foreign_disk mini_kvm; }
@test "a corrupt directory entry is refused, not trusted" { corrupt_entry mini_kvm; }

@test "the timer runs at 100 Hz while the shell waits for input on IRQ1, not HC_GETCHAR" {
	MINI_KVM_ARGS=--stats uptime_while_waiting mini_kvm
	# HC_GETCHAR would stop the whole machine while the shell waits (KVM's
	# PIT then makes up the lost ticks afterwards, so the count alone
	# cannot tell): input must come from the keyboard port.
	grep -q "^mini-kvm: kernel: hypercalls " "$err"
	refute grep -q "GETCHAR" "$err"
}
