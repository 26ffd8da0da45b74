#!/usr/bin/env bats
# Several vCPUs (--cpus) on a real KVM, with Debian's own kernel and its
# modules (as virtio.bats), an initramfs made here with busybox and
# tests/real-kvm/smp-init, which prints the processors the kernel brought
# up and what a job pinned to each computed. The tier's machine has one
# CPU, so these show that N vCPUs work, not that they run faster
# (docs/linux.md).

load ../integration/helpers

KERNEL=build/kvm-tier/vmlinuz
BUSYBOX=$PWD/build/kvm-tier/busybox
MODULES=$PWD/build/kvm-tier/guest-modules
SUM=2666646666700000	# the sum of i*i for i below 200000: each job's

make_initramfs() {
	local root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
	cp "$BUSYBOX" "$root/bin/busybox"
	cp -r "$MODULES" "$root/modules"
	cp tests/real-kvm/smp-init "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) >"$BATS_TEST_TMPDIR/initrd"
}

# boot_smp TEST ARGS...: the kernel (or what ARGS end with) with smptest=TEST
# and $APPEND.
boot_smp() {
	local test=$1
	shift
	make_initramfs
	vmm --timeout 300 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet smptest=$test${APPEND:+ $APPEND}" "$@"
	tr -d '\r' <"$out" >"$BATS_TEST_TMPDIR/console"
	cat "$BATS_TEST_TMPDIR/console" >&2	# shown if the test fails
}

# brought_up N: the kernel found N processors, as one package of N cores
# with a thread each (what CPUID says, whatever the host), and each ran its job.
brought_up() {
	local n=$1 last=$(($1 - 1)) c
	grep -qx "online: 0-$last" "$BATS_TEST_TMPDIR/console"
	grep -qx "nproc: $n" "$BATS_TEST_TMPDIR/console"
	for c in $(seq 0 $last); do
		grep -qx "topology cpu$c: package 0, core $c, siblings $c" "$BATS_TEST_TMPDIR/console"
		grep -qx "job $c ran on cpu $c: $SUM" "$BATS_TEST_TMPDIR/console"
	done
	[ "$(grep -c '^topology cpu' "$BATS_TEST_TMPDIR/console")" -eq "$n" ]
}

@test "--cpus 2, a vmlinux through PVH: 2 processors online, 2 cores of one package, a job on each, virtio-blk through the I/O APIC" {
	local img=$BATS_TEST_TMPDIR/disk.img
	printf 'read through IO-APIC' >"$img"
	truncate -s 1M "$img"
	boot_smp disk --cpus 2 --stats --disk "$img" build/kvm-tier/vmlinux
	expect_status 0
	brought_up 2
	grep -qx "disk: read through IO-APIC" "$BATS_TEST_TMPDIR/console"
	grep -qx "virtio0: IO-APIC 10-fasteoi" "$BATS_TEST_TMPDIR/console"
	cat "$err" >&2
	# --stats: how many exits each vCPU made, and their sum as the guest's
	local per_cpu total
	per_cpu=$(sed -nE 's/^mini-kvm: vmlinux: vCPU [01] +([1-9][0-9]*) exits$/\1/p' "$err")
	total=$(sed -nE 's/^mini-kvm: vmlinux: exits +([0-9]+) .*/\1/p' "$err")
	[ "$(wc -l <<<"$per_cpu")" -eq 2 ]
	[ "$(awk '{ s += $1 } END { print s }' <<<"$per_cpu")" -eq "$total" ]
}

@test "--cpus 4, a bzImage: 4 processors online, 4 cores of one package, a job on each; a reboot while all 4 spin ends it with 0" {
	boot_smp busy --cpus 4 "$KERNEL"
	expect_status 0
	brought_up 4
	grep -qx "spinning on 4" "$BATS_TEST_TMPDIR/console"
	expect_stderr ""
}

@test "--cpus 2: SIGTERM while both vCPUs spin stops every vCPU, status 143" {
	make_initramfs
	"$MINI_KVM" --timeout 300 --cpus 2 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet smptest=stop" "$KERNEL" \
		</dev/null >"$BATS_TEST_TMPDIR/console" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! i
	for i in $(seq 600); do
		grep -q "spinning on 2" "$BATS_TEST_TMPDIR/console" && break
		sleep 0.5
	done
	kill -TERM "$pid"
	wait "$pid" && status=0 || status=$?
	cat "$BATS_TEST_TMPDIR/console" "$BATS_TEST_TMPDIR/err" >&2
	[ "$status" -eq 143 ]
	[ "$(cat "$BATS_TEST_TMPDIR/err")" = "mini-kvm: vmlinuz: stopped by SIGTERM" ]
}

# On the vmlinux: a PVH kernel starts in protected mode, so a crash is also
# diagnosed (host/probe.c), from the registers of the vCPU that crashed.
@test "--cpus 2, a vmlinux: a triple fault on vCPU 1 ends every vCPU, and the message names it: 70; --verbose names each exit's vCPU" {
	APPEND="reboot=t panic=-1" boot_smp crash --cpus 2 --verbose build/kvm-tier/vmlinux
	expect_status 70
	brought_up 2
	grep -q "^mini-kvm: vmlinux: vCPU 0 exit: port write 0x03f8 (uart), 1 byte(s) x 1" "$err"
	grep -q "^mini-kvm: vmlinux: vCPU 1 exit: " "$err"
	! grep -q "^mini-kvm: vmlinux: exit: " "$err"
	# as expect_triple_fault (helpers.bash): AMD SVM resets the vCPU
	local crashed="mini-kvm: vmlinux: guest crashed: triple fault (KVM_EXIT_SHUTDOWN) on vCPU 1"
	if [ -d /sys/module/kvm_amd ]; then
		expect_stderr_line "$crashed; where is unknown: KVM reset the vCPU (it does on AMD SVM)"
	else
		grep -qF "$crashed at cs:rip " "$err"
	fi
}

# Without ACPI a kernel cannot turn a PC off: poweroff halts it. --timeout
# then ends the run, every vCPU with it. (60 s: the kernel halts after
# about 10 s in the tier.)
@test "--cpus 2: poweroff halts the kernel (no ACPI), and --timeout ends every vCPU: 124" {
	make_initramfs
	vmm --timeout 60 --cpus 2 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet smptest=off" "$KERNEL"
	tr -d '\r' <"$out" >"$BATS_TEST_TMPDIR/console"
	cat "$BATS_TEST_TMPDIR/console" >&2
	expect_status 124
	brought_up 2
	grep -q "reboot: System halted$" "$BATS_TEST_TMPDIR/console"
	expect_stderr "mini-kvm: vmlinuz: stopped: still running after the 60 s timeout (--timeout)"
}
