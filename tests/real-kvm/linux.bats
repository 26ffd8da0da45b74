#!/usr/bin/env bats
# A real Linux kernel on mini-kvm: the tier's own Debian kernel
# (build/kvm-tier/vmlinuz, no extra download), and the same kernel
# uncompressed (build/kvm-tier/vmlinux, booted through its PVH entry), with an initramfs made here
# from busybox-static and tests/real-kvm/linux-init. It needs a real KVM,
# so tests/kvm-tier/check runs this file on one; nothing here is skipped.

load ../integration/helpers
load initramfs

KERNEL=build/kvm-tier/vmlinuz

# boots_to_init KERNEL: the --append token, a line typed, reboot.
boots_to_init() {
	local token="t$RANDOM$RANDOM" text kernel=$1
	out=$BATS_TEST_TMPDIR/stdout	# where vmm will write: the typist watches it
	make_initramfs
	# Type only once init asks: input that comes before the kernel has
	# opened the console is lost, as on a real serial line.
	type_after "type a line:" $'typed by the test\n' "$BATS_TEST_TMPDIR/in"
	STDIN=$BATS_TEST_TMPDIR/in vmm --timeout 150 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet token=$token" "$kernel"
	typist_done
	expect_status 0
	text=$(tr -d '\r' <"$out")
	grep -qx "token: $token" <<<"$text"
	grep -qx "echo: typed by the test" <<<"$text"
	expect_stderr ""
}

@test "Linux boots to its init: the --append token, a line in through IRQ4, reboot ends it with 0" {
	boots_to_init "$KERNEL"
}

@test "vmlinux through its PVH entry: the same kernel uncompressed boots the same way" {
	boots_to_init build/kvm-tier/vmlinux
}
