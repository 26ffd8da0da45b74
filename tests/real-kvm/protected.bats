#!/usr/bin/env bats
# What only a real KVM (VT-x or AMD-V, or QEMU's emulation of SVM) can do
# for a 32-bit guest: paging, interrupts through the in-kernel irqchip, a
# triple fault reported as KVM_EXIT_SHUTDOWN. tests/kvm-tier/check runs
# this file on a real KVM -- this host's, or the tier's machine -- so
# nothing here is skipped: a host that cannot is a failure.

load ../integration/helpers

@test "32-bit paging with 4 MB pages (PSE) runs" {
	host_can paging
}

@test "INT and IRET run in protected mode" {
	host_can interrupts
}

@test "the PIT's timer interrupts arrive through the in-kernel irqchip" {
	host_can timer
}

@test "keyboard: IRQ1 for each stdin byte, even one there before the guest set up its PIC" {
	# stdin is a file: every byte is waiting before the guest's first
	# instruction, so the first IRQ1 comes before its PIC is programmed.
	printf 'typed\n' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm --timeout 20 "$TGUESTS/pm-keyboard-irq.elf"
	expect_status 0
	[ "$(cat "$out")" = "irq: typed" ]
}

@test "keyboard: the end of stdin raises IRQ1 and shows in the status port" {
	printf 'no newline' >"$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm --timeout 20 "$TGUESTS/pm-keyboard-irq.elf"
	expect_status 0
	[ "$(cat "$out")" = "irq: no newline (end of input)" ]
}

@test "a real-mode triple fault ends the guest: KVM_EXIT_SHUTDOWN, 70" {
	vmm --timeout 20 "$TGUESTS/triple-fault.bin"
	expect_status 70
	expect_triple_fault triple-fault 0000
}

# A signal during the host probe's KVM_RUN (tests/tools/eintr-probe.c makes
# the first one fail with EINTR) is no answer: the probe runs again, and the
# crash is the guest's, as it is without the signal. (--no-seccomp: the
# shim's own file, which says it struck, is not one the filter allows.)
@test "a crash with paging on is the guest's, even when a signal interrupts the host probe" {
	local expected="mini-kvm: paging-crash: guest crashed: emulation failure: KVM could not emulate an instruction (KVM_EXIT_INTERNAL_ERROR, suberror 1) at cs:rip 0008:600000"
	vmm "$TGUESTS/paging-crash.elf"
	expect_status 70
	expect_stderr "$expected"
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr status=0
	EINTR_PROBE_LOG=$BATS_TEST_TMPDIR/interrupted LD_PRELOAD=build/tests/eintr-probe.so \
		build/mini-kvm-dynamic --no-seccomp "$TGUESTS/paging-crash.elf" </dev/null >"$out" 2>"$err" ||
		status=$?
	[ -e "$BATS_TEST_TMPDIR/interrupted" ]	# the shim did interrupt the probe
	expect_status 70
	expect_stderr "$expected"
}
