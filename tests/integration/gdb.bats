#!/usr/bin/env bats
# --gdb: gdb attaches before the first instruction, reads and writes
# registers and memory, steps, stops at breakpoints, detaches or kills;
# hostile clients get an error reply or a clean detach. A real-mode guest
# here (this host's KVM steps and stops at breakpoints in real mode), a
# 64-bit one as far as the host allows; tests/real-kvm/gdb.bats debugs the
# 1K OS on a real KVM.

load helpers
load gdb

# A test that fails must not leave mini-kvm waiting: bats would wait too.
teardown() {
	[ -z "${vmm_pid:-}" ] || kill "$vmm_pid" 2>/dev/null || true
}

@test "gdb: the first instruction, registers, memory, stepi, break and hbreak, then the guest ends as without gdb" {
	debug_start "$GUESTS/hello.bin"
	gdb_batch "show architecture" "printf \"pc %x\\n\", \$pc" "x/2xb 0" "stepi" \
		"printf \"pc %x\\n\", \$pc" "break *0xe" "hbreak *0x11" "continue" \
		"printf \"pc %x al %x\\n\", \$pc, \$al" "continue" "printf \"pc %x\\n\", \$pc" \
		"delete" "continue"
	debug_wait
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	grep -q 'currently "i8086"' "$gdb_out"		# from our target description
	grep -q '^0x0:	0x66	0xbb$' "$gdb_out"	# the guest's first bytes
	if grep -q "cannot stop a guest at breakpoints" "$err"; then	# QEMU 7.2's nested SVM
		grep -q "Cannot insert" "$gdb_out"
		skip_refused
	fi
	[ "$(grep -c '^pc ' "$gdb_out")" -eq 4 ]
	[ "$(grep '^pc ' "$gdb_out" | tr '\n' ' ')" = "pc 0 pc 6 pc e al 3 pc 11 " ]
	grep -q 'exited normally' "$gdb_out"
}

@test "gdb: a 64-bit guest steps and stops at breakpoints where the host's KVM can, and says in one line where it cannot" {
	debug_start build/guests/long/hello.elf64
	# 0x10000e: _start, after main returned; 0x100013: the exit hypercall
	gdb_batch "file build/guests/long/hello.elf64" "printf \"pc %x\\n\", \$pc" "stepi" \
		"printf \"pc %x\\n\", \$pc" "hbreak *0x10000e" "break *0x100013" "continue" \
		"printf \"pc %x\\n\", \$pc" "continue" "printf \"pc %x\\n\", \$pc" "delete" "continue"
	debug_wait
	expect_status 0
	expect_stdout "$GOLDEN/long-hello.out"
	grep -qx "pc 100000" "$gdb_out"			# the ELF entry, _start
	if grep -q "cannot single-step" "$err"; then	# PVM runs ring 3 natively
		expect_stderr_line "mini-kvm: hello: gdb: this host's KVM cannot single-step a guest in 64-bit mode (see docs/debugging.md)"
		grep -q "Remote failure reply: E01" "$gdb_out"
	else
		grep -qx "pc 100007" "$gdb_out"		# it moved: past the LEA
	fi
	if grep -q "cannot stop a guest at breakpoints" "$err"; then
		expect_stderr_line "mini-kvm: hello: gdb: this host's KVM cannot stop a guest at breakpoints in 64-bit mode (see docs/debugging.md)"
		grep -q "Cannot insert" "$gdb_out"
	else
		grep -q "^Breakpoint 1, 0x000000000010000e in _start" "$gdb_out"
		grep -q "^Breakpoint 2, 0x0000000000100013 in _start" "$gdb_out"
		[ "$(grep '^pc 1000[01]' "$gdb_out" | tail -2 | tr '\n' ' ')" = "pc 10000e pc 100013 " ]
	fi
	grep -q 'exited normally' "$gdb_out"
}

@test "gdb: --gdb PATH listens on a Unix socket" {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	"$MINI_KVM" --gdb "$BATS_TEST_TMPDIR/gdb.sock" "$GUESTS/hello.bin" >"$out" 2>"$err" &
	vmm_pid=$!
	for _ in $(seq 100); do [ -S "$BATS_TEST_TMPDIR/gdb.sock" ] && break; sleep 0.05; done
	timeout 60 gdb -q -batch -nx -ex "target remote $BATS_TEST_TMPDIR/gdb.sock" \
		-ex continue >"$BATS_TEST_TMPDIR/gdb.out" 2>&1
	debug_wait
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
	grep -q 'exited normally' "$BATS_TEST_TMPDIR/gdb.out"
}

@test "gdb: --gdb PATH removes its socket file, so a second run on the same path works" {
	local sock=$BATS_TEST_TMPDIR/gdb.sock run
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	for run in 1 2; do
		"$MINI_KVM" --gdb "$sock" "$GUESTS/hello.bin" >"$out" 2>"$err" &
		vmm_pid=$!
		for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
		timeout 60 gdb -q -batch -nx -ex "target remote $sock" -ex continue \
			>"$BATS_TEST_TMPDIR/gdb.out" 2>&1
		debug_wait
		expect_status 0
		expect_stdout "$GOLDEN/hello.out"
		[ ! -e "$sock" ]
	done
	vmm --gdb "$sock" "$BATS_TEST_TMPDIR/missing.bin"	# a guest that never starts
	expect_status 66
	[ ! -e "$sock" ]
}

@test "gdb: --timeout ends a guest still waiting for gdb to attach: 124" {
	vmm --timeout 1 --gdb "$BATS_TEST_TMPDIR/gdb.sock" "$GUESTS/hello.bin"
	expect_status 124
	expect_stderr_line "mini-kvm: hello: stopped: still running after the 1 s timeout (--timeout)"
	[ ! -e "$BATS_TEST_TMPDIR/gdb.sock" ]
}

@test "gdb: SIGTERM ends a guest waiting for gdb to attach, and one stopped in gdb: 143" {
	debug_start "$GUESTS/hello.bin"
	kill -TERM "$vmm_pid"
	debug_wait
	expect_status 143
	expect_stderr_line "mini-kvm: hello: stopped by SIGTERM"
	debug_start "$GUESTS/hello.bin"
	rsp_open
	rsp_send "?"
	[ "$(rsp_reply)" = "T05thread:01;" ]	# stopped, and gdb says nothing more
	kill -TERM "$vmm_pid"
	debug_wait
	expect_status 143
	expect_stderr_line "mini-kvm: hello: stopped by SIGTERM"
	[ "$(rsp_reply)" = "W8f" ]		# gdb hears how it ended
}

@test "gdb: Ctrl-C stops a running guest (SIGINT), k ends it: 137" {
	debug_start "$TGUESTS/forever.bin"
	rsp_open
	rsp_send "c"
	sleep 0.5
	rsp_raw '\x03'
	[[ "$(rsp_reply)" == T02* ]]
	rsp_send "k"
	debug_wait
	expect_status 137
	expect_stderr_line "mini-kvm: forever: stopped by gdb (kill)"
}

@test "gdb: detach lets the guest run on untouched" {
	debug_start "$GUESTS/hello.bin"
	rsp_open
	rsp_send "?"
	[ "$(rsp_reply)" = "T05thread:01;" ]
	rsp_send "D"
	[ "$(rsp_reply)" = "OK" ]
	debug_wait
	expect_status 0
	expect_stdout "$GOLDEN/hello.out"
}

@test "gdb, hostile client: an overlong packet, a bad checksum, memory outside RAM, then a hang-up mid-packet" {
	debug_start "$GUESTS/hello.bin"
	rsp_open
	rsp_raw "\$$(head -c 5000 /dev/zero | tr '\0' 'a')#00"
	[ "$(rsp_reply)" = "E01" ]			# too long: an error, no crash
	rsp_raw '$?#00'
	[ "$(rsp_byte)" = "-" ]				# bad checksum: send it again
	rsp_send "?"
	[ "$(rsp_reply)" = "T05thread:01;" ]		# and it still talks
	rsp_send "m100000,10"
	[ "$(rsp_reply)" = "E0e" ]			# past the end of 256K of RAM
	rsp_send "mffffffffffffff00,100"
	[ "$(rsp_reply)" = "E0e" ]			# wraps around: refused too
	rsp_send "M0,2:zzzz"
	[ "$(rsp_reply)" = "E16" ]			# not hex
	rsp_raw '$m0,1'					# and then it hangs up
	rsp_close
	debug_wait
	expect_status 0					# detached: the guest ran on
	expect_stdout "$GOLDEN/hello.out"
}

@test "gdb: usage errors -- two --gdb, not a port, a port in use" {
	vmm --gdb 1234 --gdb 1235 "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: --gdb: only one guest can be debugged (the first)"
	vmm --gdb 70000 "$GUESTS/hello.bin"
	expect_status 64
	expect_stderr "mini-kvm: hello: --gdb: '70000' is not a TCP port (1-65535)"
	debug_start "$GUESTS/hello.bin"
	vmm --gdb "$port" "$GUESTS/hello.bin"
	expect_status 71
	expect_stderr "mini-kvm: hello: --gdb: cannot listen on 127.0.0.1:$port: Address already in use"
	kill "$vmm_pid"
}
