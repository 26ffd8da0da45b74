#!/usr/bin/env bats
# gdb on the 1K OS, on a real KVM (tests/kvm-tier/check runs this file on
# one): attached before the kernel's first instruction, stepped, stopped
# with Ctrl-C at the shell's prompt, stopped in a system call -- and each
# time detached, after which the shell's transcript is what it is without
# gdb, byte for byte.

load ../integration/helpers
load ../integration/gdb

KERNEL=build/os/kernel.elf

teardown() {
	local pid
	for pid in "${vmm_pid:-}" "${typist:-}" "${interrupter:-}"; do
		[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	done
}

# start_os: the kernel under --gdb; the multiplication transcript's input
# (tests/os/multiply.in) is typed once gdb has detached.
start_os() {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	type_after "gdb detached" "$(cat tests/os/multiply.in)"$'\n' "$BATS_TEST_TMPDIR/in" 0 "$err"
	STDIN=$BATS_TEST_TMPDIR/in debug_start -m 32M "$KERNEL"
}

# The transcript, unchanged by gdb; the guest powered off with 0.
expect_transcript() {
	debug_wait
	typist_done
	expect_status 0
	expect_stdout tests/os/multiply.out
}

@test "gdb attaches at the kernel's ELF entry: CS, memory, stepi; Ctrl-C at the prompt; detach" {
	local entry
	entry=$(readelf -h "$KERNEL" | sed -n 's/.*Entry point address: *0x//p')
	start_os
	( for _ in $(seq 1200); do grep -q "choice> " "$out" && break; sleep 0.1; done
	  kill -INT "$(pgrep -n -x gdb)" ) &	# Ctrl-C, once the shell waits
	interrupter=$!
	GDB_FILE=$KERNEL gdb_batch "printf \"pc %x cs %x\\n\", \$pc, \$cs" "x/4xb \$pc" "stepi" \
		"printf \"pc %x\\n\", \$pc" "continue" "printf \"stopped: cs %x\\n\", \$cs" "detach"
	grep -qx "pc $entry cs 8" "$gdb_out"		# the Multiboot state, at _start
	# Guest memory at the entry, read through the stub: the file's bytes.
	[ "$(sed -n "s/^0x$entry <_start>:	//p" "$gdb_out" | tr -d '\t' | sed 's/0x//g')" = \
	  "$(objdump -s --start-address=0x$entry --stop-address=$((0x$entry + 4)) "$KERNEL" |
	     awk -v a="$entry" '$1 == a { print $2 }')" ]
	[ "$(grep -c '^pc ' "$gdb_out")" -eq 2 ]
	refute grep -qx "pc $entry" "$gdb_out"		# stepi moved it
	grep -q "received signal SIGINT" "$gdb_out"
	grep -qx "stopped: cs 8" "$gdb_out"		# in the kernel: the shell waits in HLT
	expect_transcript
}

@test "gdb stops the kernel in the shell's first write: the trap frame, a user address, stepi; detach" {
	start_os
	GDB_FILE=$KERNEL gdb_batch "break syscall if f->eax == 1" "continue" \
		"printf \"cs %x user cs %x user eip %x\\n\", \$cs, f->cs, f->eip" \
		"x/s f->ebx" "stepi" "printf \"stepped %d\\n\", \$pc != syscall" "delete" "detach"
	if grep -q "cannot stop a guest at breakpoints" "$err"; then
		expect_transcript	# refused in one line; detached, the OS runs on
		skip_refused
	fi
	grep -q "^Breakpoint 1, syscall (f=" "$gdb_out"
	grep -Eq "^cs 8 user cs 1b user eip [0-9a-f]+$" "$gdb_out"	# from ring 3
	grep -q '"\\n1K OS programs' "$gdb_out"		# the menu, read at the user's address
	grep -qx "stepped 1" "$gdb_out"
	expect_transcript
}

# The lesson of docs/debugging.md, its commands as written: the shell's
# print() in ring 3, its int $0x80 into the kernel's trap_128, syscall(),
# and trap_return's iret back to ring 3 with the result in EAX.
@test "gdb follows docs/debugging.md: print in ring 3, int \$0x80 into trap_128, syscall, iret back with the result" {
	local frame
	start_os
	GDB_FILE=$KERNEL gdb_batch "add-symbol-file build/os/user/shell.elf" "hbreak print" \
		"continue" "printf \"print: cs %x\\n\", \$cs" "x/s s" "delete" \
		"hbreak trap_128" "continue" "printf \"trap_128: cs %x\\n\", \$cs" "x/5xw \$esp" \
		"delete" "break syscall" "continue" "print/x *f" "delete" \
		"break trap_return" "continue" "stepi" "stepi" "stepi" "stepi" "stepi" \
		"printf \"back: cs %x eip %x eax %x\\n\", \$cs, \$eip, \$eax" "delete" "detach"
	if grep -q "cannot stop a guest at breakpoints" "$err"; then
		expect_transcript
		skip_refused
	fi
	grep -q "^Breakpoint 1.1, print (s=0x[0-9a-f]* <menu>" "$gdb_out"
	grep -qx "print: cs 1b" "$gdb_out"			# ring 3
	grep -q '"\\n1K OS programs' "$gdb_out"		# x/s s: a user address
	grep -q "^Breakpoint 2, 0x[0-9a-f]* in trap_128 ()" "$gdb_out"
	grep -qx "trap_128: cs 8" "$gdb_out"			# ring 0
	# What the CPU pushed: EIP, CS 0x1b, EFLAGS, then the user's ESP and SS 0x23
	grep -Eq "^0x[0-9a-f]+ <procs\+[0-9]+>:	0x4[0-9a-f]{7}	0x0000001b	0x[0-9a-f]{8}	0x[0-9a-f]{8}$" "$gdb_out"
	grep -Eq "^0x[0-9a-f]+ <procs\+[0-9]+>:	0x00000023$" "$gdb_out"
	grep -q "^Breakpoint 3, syscall (f=" "$gdb_out"
	frame=$(grep '^\$1 = {' -A3 "$gdb_out" | tr -d '\n')
	[[ $frame == *"eax = 0x1,"* && $frame == *"vector = 0x80,"* && $frame == *"cs = 0x1b,"* ]]
	# Back in ring 3 just after the int, EAX the bytes written (the frame's ECX)
	[ "$(grep '^back: ' "$gdb_out")" = "back: cs 1b eip $(sed -E 's/.* eip = 0x([0-9a-f]+),.*/\1/' <<<"$frame") eax $(sed -E 's/.* ecx = 0x([0-9a-f]+),.*/\1/' <<<"$frame")" ]
	expect_transcript
}
