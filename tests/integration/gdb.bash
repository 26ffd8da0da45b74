# Shared by tests/integration/gdb.bats and tests/real-kvm/gdb.bats: mini-kvm
# waiting for gdb (--gdb), gdb in batch mode, and a raw client of GDB's
# remote protocol (bash's /dev/tcp) that can also misbehave on purpose.

# debug_start ARGS...: mini-kvm --gdb on a free port, in the background,
# stdin from $STDIN, stdout $out, stderr $err; returns once it listens.
debug_start() {
	out=$BATS_TEST_TMPDIR/stdout err=$BATS_TEST_TMPDIR/stderr
	port=$((20000 + RANDOM % 20000))
	"$MINI_KVM" --gdb "$port" "$@" <"${STDIN:-/dev/null}" >"$out" 2>"$err" &
	vmm_pid=$!
	for _ in $(seq 200); do
		grep -q "waiting for gdb" "$err" && return 0
		kill -0 "$vmm_pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "mini-kvm did not wait for gdb:" >&2
	cat "$err" >&2
	return 1
}

# debug_wait: mini-kvm's exit status into $status; one still running after
# 60 s is killed, and the status says so (KILL: 137).
debug_wait() {
	for _ in $(seq 1200); do
		kill -0 "$vmm_pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$vmm_pid" 2>/dev/null && echo "mini-kvm still ran after 60 s: killed" >&2
	status=0
	wait "$vmm_pid" || status=$?
}

# gdb_batch COMMAND...: gdb attached to it, running the commands; its
# output (and errors) in $gdb_out. GDB_FILE: the program's ELF file, for
# its symbols.
gdb_batch() {
	local args=() c
	gdb_out=$BATS_TEST_TMPDIR/gdb.out
	for c in "$@"; do args+=(-ex "$c"); done
	timeout 120 gdb -q -batch -nx -ex "set pagination off" ${GDB_FILE:+"$GDB_FILE"} \
		-ex "target remote 127.0.0.1:$port" "${args[@]}" >"$gdb_out" 2>&1 || true
	# bats shows this only if the test fails: what gdb and mini-kvm said
	{ echo "--- gdb:"; cat "$gdb_out"; echo "--- mini-kvm's stderr:"; cat "$err"; } >&2
}

# skip_refused: skip this test, giving as its reason mini-kvm's one line
# that this host's KVM cannot do what gdb asked (after the test has checked
# what still holds).
skip_refused() {
	skip "$(sed -n 's/.*gdb: this host/this host/p' "$err" | head -1)"
}

# The raw client: rsp_open, then rsp_send PAYLOAD (framed, checksummed)
# or rsp_raw BYTES (sent as they are), rsp_reply (the next packet's
# payload, acknowledgements skipped) or rsp_byte (one byte: '+' or '-').
rsp_open() {
	exec {rsp_fd}<>"/dev/tcp/127.0.0.1/$port"	# a free fd: bats itself uses 3
}
rsp_checksum() {
	local sum=0 i
	for ((i = 0; i < ${#1}; i++)); do
		sum=$(( (sum + $(printf '%d' "'${1:i:1}")) % 256 ))
	done
	printf '%02x' "$sum"
}
rsp_send() {
	printf '$%s#%s' "$1" "$(rsp_checksum "$1")" >&"$rsp_fd"
}
rsp_raw() {
	printf '%b' "$1" >&"$rsp_fd"
}
rsp_byte() {
	local c
	IFS= read -r -N1 -t 10 c <&"$rsp_fd" && printf '%s' "$c"
}
rsp_reply() {
	local c payload
	while IFS= read -r -N1 -t 10 c <&"$rsp_fd"; do
		[ "$c" != '$' ] || break
	done
	IFS= read -r -d '#' -t 10 payload <&"$rsp_fd"
	IFS= read -r -N2 -t 10 c <&"$rsp_fd"
	printf '%s' "$payload"
}
rsp_close() {
	exec {rsp_fd}>&-
}
