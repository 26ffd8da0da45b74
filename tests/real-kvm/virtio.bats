#!/usr/bin/env bats
# virtio over PCI on a real KVM, with Debian's own kernel (the tier's,
# build/kvm-tier/vmlinuz) and its modules (build/kvm-tier/guest-modules),
# an initramfs made here (busybox and tests/real-kvm/virtio-init). The
# guest's init does what vtest= asks and prints it; the test reads that
# and the disk images afterwards.

load ../integration/helpers

KERNEL=build/kvm-tier/vmlinuz
BUSYBOX=$PWD/build/kvm-tier/busybox
MODULES=$PWD/build/kvm-tier/guest-modules

make_initramfs() {
	local root=$BATS_TEST_TMPDIR/root
	mkdir -p "$root/bin" "$root/dev" "$root/proc" "$root/sys"
	cp "$BUSYBOX" "$root/bin/busybox"
	cp -r "$MODULES" "$root/modules"
	cp tests/real-kvm/virtio-init "$root/init"
	chmod 755 "$root/init"
	(cd "$root" && find . | "$BUSYBOX" cpio -o -H newc 2>/dev/null) >"$BATS_TEST_TMPDIR/initrd"
}

# boot TEST ARGS...: the kernel with vtest=TEST, and ARGS (its disks).
boot() {
	local test=$1
	shift
	make_initramfs
	vmm --timeout 200 --initrd "$BATS_TEST_TMPDIR/initrd" \
		--append "console=ttyS0 quiet vtest=$test" "$@" "$KERNEL"
	tr -d '\r' <"$out" >"$BATS_TEST_TMPDIR/console"
	cat "$BATS_TEST_TMPDIR/console" >&2	# shown if the test fails
}

@test "virtio-blk: Linux mounts an ext4 disk, reads a file, writes one the host then reads" {
	local dir=$BATS_TEST_TMPDIR/files img=$BATS_TEST_TMPDIR/disk.img
	mkdir "$dir"
	echo "made by the host" >"$dir/hello.txt"
	mke2fs -q -t ext4 -d "$dir" "$img" 8M
	boot disk --disk "$img"
	expect_status 0
	grep -qx "mounted /dev/vda" "$BATS_TEST_TMPDIR/console"
	grep -qx "read: made by the host" "$BATS_TEST_TMPDIR/console"
	grep -qx "unmounted" "$BATS_TEST_TMPDIR/console"
	[ "$(debugfs -R "cat /guest.txt" "$img" 2>/dev/null)" = "written by the guest" ]
	e2fsck -fn "$img" >&2	# and the file system is sound
}

@test "virtio-blk: two disks, the second read-only: it reads, refuses writes, stays unchanged" {
	local a=$BATS_TEST_TMPDIR/a.img b=$BATS_TEST_TMPDIR/b.img
	head -c 1M /dev/zero >"$a"
	{ printf 'second disk'; head -c 4085 /dev/zero; } >"$b"
	cp "$b" "$BATS_TEST_TMPDIR/b.orig"
	boot disks --disk "$a" --disk "$b,readonly"
	expect_status 0
	grep -qx "vda: 2048 sectors, ro 0" "$BATS_TEST_TMPDIR/console"
	grep -qx "vdb: 8 sectors, ro 1" "$BATS_TEST_TMPDIR/console"
	grep -qx "vdb reads: second disk" "$BATS_TEST_TMPDIR/console"
	grep -qx "vdb: write refused" "$BATS_TEST_TMPDIR/console"
	cmp "$b" "$BATS_TEST_TMPDIR/b.orig"
}
