#!/usr/bin/env bats
# Protected-mode (ELF32) guests: loading, Multiboot state, CPUID, devices,
# the irqchip choice, and what happens where the host's KVM cannot follow.

load helpers

@test "protected hello: Multiboot state, memory size and CPUID signature" {
	vmm "$PGUESTS/hello.elf"
	expect_status 0
	expect_stdout "$GOLDEN/protected-hello.out"
	expect_stderr ""
}

@test "protected hello sees the memory -m gives it" {
	vmm -m 16M "$PGUESTS/hello.elf"
	expect_status 0
	grep -qx "memory: 16 MB" "$out"
}

@test "protected uart: output through the 16550 from 32-bit code" {
	vmm "$PGUESTS/uart.elf"
	expect_status 0
	expect_stdout "$GOLDEN/protected-uart.out"
	expect_stderr ""
}

@test "main's return value is the exit status (HC_EXIT)" {
	vmm "$TGUESTS/pm-exit.elf"
	expect_status 42
	[ "$(cat "$out")" = "returning 42" ]
}

@test "keyboard ports 0x60/0x64 read stdin by polling" {
	printf 'typed\n' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm "$TGUESTS/pm-keyboard.elf"
	expect_status 0
	[ "$(cat "$out")" = "got: typed" ]
}

@test "no irqchip unless asked: --stats has no irqchip line" {
	vmm --stats "$PGUESTS/hello.elf"
	expect_status 0
	refute grep -q "irqchip" "$err"
}

@test "--irqchip=on creates it and reports what each part cost" {
	vmm --stats --irqchip=on "$PGUESTS/hello.elf"
	expect_status 0
	expect_stdout "$GOLDEN/protected-hello.out"
	grep -Eq "^mini-kvm: hello: irqchip     KVM_CREATE_IRQCHIP [0-9.]+ ms, KVM_CREATE_PIT2 [0-9.]+ ms$" "$err"
}

@test "the ELF note asks for an irqchip; --irqchip=off overrides it" {
	vmm --stats --timeout 10 "$TGUESTS/probe-timer.elf"
	grep -q "irqchip     KVM_CREATE_IRQCHIP" "$err"
	vmm --stats --irqchip=off --timeout 10 "$TGUESTS/probe-timer.elf"
	refute grep -q "irqchip     KVM_CREATE_IRQCHIP" "$err"
}

@test "--irqchip with a bad value is a usage error" {
	vmm --irqchip=maybe "$PGUESTS/hello.elf"
	expect_status 64
	expect_stderr "mini-kvm: --irqchip: 'maybe' is not on, off or auto"
}

@test "a PT_LOAD segment beyond guest memory is refused" {
	vmm -m 1M "$PGUESTS/hello.elf"
	expect_status 65
	grep -Eq "^mini-kvm: hello: bad ELF image: segment 0 \(0x100000-0x[0-9a-f]+\) does not fit in guest memory \(see -m\)$" "$err"
}

@test "a truncated ELF file is refused" {
	head -c 80 "$PGUESTS/hello.elf" >"$BATS_TEST_TMPDIR/cut.elf"
	vmm "$BATS_TEST_TMPDIR/cut.elf"
	expect_status 65
	expect_stderr "mini-kvm: cut: bad ELF image: program headers past the end of the file"
}

@test "an ELF64 file that is not an executable (a PIE) is refused" {
	vmm "$MINI_KVM"
	expect_status 65
	expect_stderr "mini-kvm: mini-kvm: bad ELF image: not an executable (ET_EXEC) file"
}

@test "probe: 32-bit paging runs, or mini-kvm says the host cannot" {
	host_can paging || [ $? -eq 1 ]
}

@test "probe: interrupts run, or mini-kvm says the host cannot" {
	host_can interrupts || [ $? -eq 1 ]
}

# (Timer interrupts and IRQ1 need interrupt delivery: tests/real-kvm/.)

@test "--disk: sectors written in one run are there in the next" {
	dd if=/dev/zero of="$BATS_TEST_TMPDIR/disk.img" bs=512 count=4 status=none
	vmm --disk "$BATS_TEST_TMPDIR/disk.img" "$TGUESTS/pm-disk.elf"
	expect_status 0
	printf '%s\n' "sector 0 holds: " "read back: written by pm-disk" \
		"past the end: HC_ERR_RANGE" "bad buffer: HC_ERR_FAULT" >"$BATS_TEST_TMPDIR/first"
	expect_stdout "$BATS_TEST_TMPDIR/first"
	vmm --disk "$BATS_TEST_TMPDIR/disk.img" "$TGUESTS/pm-disk.elf"
	expect_status 0
	[ "$(head -1 "$out")" = "sector 0 holds: written by pm-disk" ]
}

@test "--disk FILE,readonly: HC_DISK_WRITE fails, the file stays as it was" {
	printf 'kept' >"$BATS_TEST_TMPDIR/disk.img"
	head -c 2044 /dev/zero >>"$BATS_TEST_TMPDIR/disk.img"
	cp "$BATS_TEST_TMPDIR/disk.img" "$BATS_TEST_TMPDIR/orig.img"
	vmm --disk "$BATS_TEST_TMPDIR/disk.img,readonly" "$TGUESTS/pm-disk.elf"
	expect_status 1				# its write was refused
	[ "$(cat "$out")" = "sector 0 holds: kept" ]
	cmp "$BATS_TEST_TMPDIR/disk.img" "$BATS_TEST_TMPDIR/orig.img"
}

@test "--disk twice: a protected-mode guest takes both (virtio-blk), a real-mode one refuses" {
	dd if=/dev/zero of="$BATS_TEST_TMPDIR/a.img" bs=512 count=4 status=none
	cp "$BATS_TEST_TMPDIR/a.img" "$BATS_TEST_TMPDIR/b.img"
	vmm --disk "$BATS_TEST_TMPDIR/a.img" --disk "$BATS_TEST_TMPDIR/b.img" "$TGUESTS/pm-disk.elf"
	expect_status 0				# HC_DISK_*: the first
	[ "$(sed -n 2p "$out")" = "read back: written by pm-disk" ]
	cmp -s "$BATS_TEST_TMPDIR/b.img" <(head -c 2048 /dev/zero)
	vmm --disk "$BATS_TEST_TMPDIR/a.img" --disk "$BATS_TEST_TMPDIR/b.img" "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: 2 disks: a real-mode guest has one, for HC_DISK_READ/WRITE (more: virtio-blk, for a Linux kernel or a protected-mode guest)"
}

@test "--net and --balloon: a real-mode guest refuses them; a tap that is not there is named" {
	vmm --net tap=mk-none "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --net: a real-mode guest has no network card (virtio-net is for a Linux kernel or a protected-mode guest)"
	vmm --balloon "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --balloon: a real-mode guest has no PCI bus for it (virtio-balloon is for a Linux kernel or a protected-mode guest)"
	vmm --net tap=mk-none "$TGUESTS/pm-disk.elf"
	expect_status 66
	expect_stderr "mini-kvm: pm-disk: --net: no tap device named 'mk-none' (make one: ip tuntap add mk-none mode tap user \$USER)"
}

@test "virtio-blk: a hostile driver's bad rings each need a reset; the VMM says why and survives" {
	head -c 512 /dev/zero >"$BATS_TEST_TMPDIR/disk.img"
	vmm --disk "$BATS_TEST_TMPDIR/disk.img" "$TGUESTS/pm-virtio-hostile.elf"
	expect_status 0		# and the sanitizers said nothing (they would exit 99)
	printf '%s\n' "a buffer past RAM: needs reset" "a length past RAM: needs reset" \
		"a loop: needs reset" "a next past the table: needs reset" \
		"a head past the table: needs reset" "an index that jumps: needs reset" \
		"a queue outside RAM: needs reset" "after a reset, a good request: ok" \
		>"$BATS_TEST_TMPDIR/expected"
	expect_stdout "$BATS_TEST_TMPDIR/expected"
	local p="mini-kvm: pm-virtio-hostile: virtio-blk:" n=": the device needs a reset"
	expect_stderr "$p descriptor 1: 4096 bytes at 0xfffff000, outside guest memory$n
$p descriptor 1: 268435456 bytes at 0x1000, outside guest memory$n
$p the chain at 0 is longer than the queue (8): a loop$n
$p descriptor 2: next 9 is past the table$n
$p available head 200 is past the table (8)$n
$p the available index moved 100 entries, the queue has 8$n
$p a ring lies outside guest memory$n"
}

@test "without --disk the disk calls return HC_ERR_NODEV" {
	vmm "$TGUESTS/pm-disk.elf"
	expect_status 3
	[ "$(cat "$out")" = "no disk" ]
}

@test "--disk refuses a missing file and a partial sector" {
	vmm --disk "$BATS_TEST_TMPDIR/none.img" "$TGUESTS/pm-disk.elf"
	expect_status 66
	expect_stderr "mini-kvm: pm-disk: cannot open disk '$BATS_TEST_TMPDIR/none.img': No such file or directory"
	head -c 700 /dev/zero >"$BATS_TEST_TMPDIR/odd.img"
	vmm --disk "$BATS_TEST_TMPDIR/odd.img" "$TGUESTS/pm-disk.elf"
	expect_status 65
	expect_stderr "mini-kvm: pm-disk: disk '$BATS_TEST_TMPDIR/odd.img' must be a regular file of whole 512-byte sectors"
}

