#!/usr/bin/env bats
# make install and make uninstall, with DESTDIR and PREFIX: the binary, its
# man page, the guest ABI headers and the SDK; then a 64-bit guest built
# against the installed SDK alone runs on the installed mini-kvm.

load helpers

# The flags of docs/writing-guests.md (the Makefile's SDK_GUEST_CFLAGS).
SDK_CFLAGS=(-m64 -std=gnu11 -O2 -ffreestanding -fno-pic -fno-stack-protector
	    -fno-asynchronous-unwind-tables -fno-builtin)

@test "make install puts the program, man page, headers and SDK under DESTDIR/PREFIX; an SDK guest builds and runs; uninstall removes them" {
	local dest=$BATS_TEST_TMPDIR/dest prefix=$BATS_TEST_TMPDIR/dest/usr f
	make --no-print-directory -s install DESTDIR="$dest" PREFIX=/usr
	for f in bin/mini-kvm share/man/man1/mini-kvm.1 include/mini-kvm/hypercall.h \
		 include/mini-kvm/boot.h include/mini-kvm/sdk.h lib/mini-kvm/start.o \
		 lib/mini-kvm/libsdk.a lib/mini-kvm/sdk.ld; do
		[ -f "$prefix/$f" ] || { echo "not installed: $f" >&2; return 1; }
	done
	[ -x "$prefix/bin/mini-kvm" ]
	"$prefix/bin/mini-kvm" --version | grep -q '^mini-kvm [0-9]'
	# The guest: only the installed headers and objects.
	cc "${SDK_CFLAGS[@]}" -nostdinc -isystem "$(cc -print-file-name=include)" \
		-I"$prefix/include" -c -o "$BATS_TEST_TMPDIR/guest.o" tests/install/sdk-guest.c
	ld -m elf_x86_64 --no-warn-rwx-segments -z noexecstack -T "$prefix/lib/mini-kvm/sdk.ld" \
		-o "$BATS_TEST_TMPDIR/guest.elf64" \
		"$prefix/lib/mini-kvm/start.o" "$BATS_TEST_TMPDIR/guest.o" "$prefix/lib/mini-kvm/libsdk.a"
	MINI_KVM=$prefix/bin/mini-kvm vmm "$BATS_TEST_TMPDIR/guest.elf64"
	expect_status 7
	[ "$(cat "$out")" = "built against the installed SDK, 4 MB" ]
	make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/usr
	[ -z "$(find "$dest" -type f)" ]
}
