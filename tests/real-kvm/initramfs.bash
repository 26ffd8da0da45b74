# make_initramfs: an initramfs in $BATS_TEST_TMPDIR/initrd with busybox as
# /bin/busybox and tests/real-kvm/linux-init as /init, for the tier's own
# Debian kernel (linux.bats, snapshot.bats).
BUSYBOX=$PWD/build/kvm-tier/busybox

make_initramfs() {
	local root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/bin" "$root/dev"
	cp "$BUSYBOX" "$root/bin/busybox"
	cp tests/real-kvm/linux-init "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) >"$BATS_TEST_TMPDIR/initrd"
}
