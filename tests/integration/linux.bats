#!/usr/bin/env bats
# Linux kernels (bzImage): every check of the kernel file, the initrd and
# the options, with kernels that tests/integration/make-bzimage.pl makes
# (a real setup header, no real kernel). These run on any KVM: each check
# comes before anything runs. tests/real-kvm/linux.bats boots a real one.

load helpers

kernel() {
	perl tests/integration/make-bzimage.pl "$BATS_TEST_TMPDIR/vmlinuz" "$@"
	echo "$BATS_TEST_TMPDIR/vmlinuz"
}

@test "a truncated bzImage is refused: 65" {
	vmm "$(kernel --short 100)"
	expect_status 65
	expect_stderr "mini-kvm: vmlinuz: bad Linux kernel '$BATS_TEST_TMPDIR/vmlinuz': truncated: the kernel needs 4096 bytes after 2560 of setup code, the file has 3996"
}

@test "a kernel too old for the 64-bit entry (boot protocol 2.06) is refused: 65" {
	vmm "$(kernel --version 0x0206)"
	expect_status 65
	expect_stderr "mini-kvm: vmlinuz: bad Linux kernel '$BATS_TEST_TMPDIR/vmlinuz': boot protocol 2.06 is too old: mini-kvm needs 2.12 or later (the 64-bit entry point)"
}

@test "a kernel that needs more memory than -m gives: 65" {
	vmm -m 16M "$(kernel)"
	expect_status 65
	expect_stderr "mini-kvm: vmlinuz: the kernel needs 25 MB of memory to unpack itself, the guest has 16 MB (see -m)"
}

@test "an initrd that does not fit in memory above the kernel: 65" {
	head -c $((16 << 20)) /dev/zero >"$BATS_TEST_TMPDIR/initrd"
	vmm -m 32M --initrd "$BATS_TEST_TMPDIR/initrd" "$(kernel)"
	expect_status 65
	expect_stderr "mini-kvm: vmlinuz: initrd '$BATS_TEST_TMPDIR/initrd' (16384 KB) does not fit in guest memory above the kernel (32 MB; see -m)"
}

@test "a missing initrd file: 66" {
	vmm --initrd "$BATS_TEST_TMPDIR/none" "$(kernel)"
	expect_status 66
	expect_stderr "mini-kvm: vmlinuz: cannot open initrd '$BATS_TEST_TMPDIR/none': No such file or directory"
}

@test "a command line longer than the kernel's cmdline_size: 64" {
	vmm --append "$(printf 'a%.0s' $(seq 300))" "$(kernel)"
	expect_status 64
	expect_stderr "mini-kvm: vmlinuz: --append: 300 bytes, more than the 254 this kernel takes"
}

@test "--append and --initrd are for a Linux kernel: 64 for a flat binary or an ELF file" {
	vmm --append "console=ttyS0" "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --append is for a Linux kernel; '$GUESTS/hello.bin' is a flat binary"
	expect_stdout /dev/null
	vmm --initrd "$GUESTS/hello.bin" build/guests/long/hello.elf64
	expect_status 64
	expect_stderr "mini-kvm: hello: --initrd is for a Linux kernel; 'build/guests/long/hello.elf64' is an ELF64 file"
}

@test "--cpus: 1 to 64, above 1 only for a Linux kernel, and neither with --gdb nor --snapshot: 64" {
	local bad
	for bad in 0 65 two 2x -1 ""; do
		vmm --cpus "$bad" "$(kernel)"
		expect_status 64
		expect_stderr "mini-kvm: --cpus: '$bad' is not a number of vCPUs from 1 to 64"
	done
	vmm --cpus 2 "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --cpus is for a Linux kernel; '$GUESTS/hello.bin' is a flat binary"
	vmm --cpus 4 build/guests/long/hello.elf64
	expect_status 64
	expect_stderr "mini-kvm: hello: --cpus is for a Linux kernel; 'build/guests/long/hello.elf64' is an ELF64 file"
	vmm --cpus 2 --gdb 1234 "$(kernel)"
	expect_status 64
	expect_stderr "mini-kvm: --gdb debugs a guest with one vCPU; not with --cpus 2"
	vmm --cpus 2 --snapshot x.snap "$(kernel)"
	expect_status 64
	expect_stderr "mini-kvm: --snapshot: a guest with --cpus cannot be saved"
	vmm --restore x.snap --cpus 2
	expect_status 64
	expect_stderr "mini-kvm: --restore: --cpus comes from the snapshot file"
}

@test "--cpus 1 is every guest's one vCPU, as without it" {
	vmm --cpus 1 "$GUESTS/hello.bin"
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	expect_stderr ""
}

@test "where the host's KVM cannot deliver interrupts, a kernel is refused at once in one line: 70" {
	local rc=0
	host_can interrupts || rc=$?
	[ "$rc" -ne 2 ]
	[ "$rc" -eq 1 ] || skip "this host's KVM can boot Linux (tests/real-kvm/linux.bats does)"
	vmm --timeout 10 "$(kernel)"
	expect_status 70
	expect_stderr "mini-kvm: vmlinuz: cannot boot Linux: it needs interrupts and exceptions in protected mode (INT/IRET), which this host's KVM cannot do (VT-x or AMD-V hosts can)"
}
