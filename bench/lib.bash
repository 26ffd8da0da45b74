# bench/lib.bash: what bench/run, bench/rows and bench/report share.
# Sourced, from the top of the checkout; DATA is the directory of measured
# rows. A row's file holds one line, bench/measure's "min median max rss"
# (milliseconds, and KB of peak RSS).

med() { awk '{ print $2 }' "$DATA/$1"; }
rss() { awk '{ print $4 }' "$DATA/$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# median_ms FILE: the median of the nanosecond values in $DATA/FILE, in ms.
median_ms() {
	sort -n "$DATA/$1" | awk '{ v[NR] = $1 }
		END { printf "%.3f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) / 1e6 }'
}

# kvm_usable: mini-kvm runs the minimal guest on this machine's /dev/kvm.
# It exits 69 where there is none or it cannot be opened -- the test the
# Makefile's run target makes -- and 70 where the KVM cannot run even that.
kvm_usable() {
	build/mini-kvm --timeout 10 build/guests/real/minimal.bin </dev/null >/dev/null 2>&1
}

# kvm_real: this machine's KVM boots Linux, and we may use what the Linux
# rows need. A probe guest that takes an interrupt shows a VT-x/AMD-V KVM
# (a software KVM such as PVM refuses it, 70: docs/testing.md); root, for
# bench/virtio's tap and bench/linux-explained's debugfs counters.
kvm_real() {
	[ "$(id -u)" = 0 ] &&
		build/mini-kvm --timeout 10 build/tests/guests/probe-interrupts.elf </dev/null >/dev/null 2>&1
}

# in_tier_machine: this is the real-KVM tier's machine (tests/kvm-tier/run
# puts the command file's name on the kernel's command line).
in_tier_machine() { grep -q ' tier_cmd=' /proc/cmdline; }

# kvm_kind: which KVM module this machine's /dev/kvm comes from.
kvm_kind() {
	if [ -d /sys/module/kvm_pvm ]; then echo "PVM (software KVM)"
	elif [ -d /sys/module/kvm_intel ]; then echo "VT-x (kvm_intel)"
	elif [ -d /sys/module/kvm_amd ]; then echo "AMD-V (kvm_amd)"
	elif [ -e /dev/kvm ]; then echo "unknown"
	else echo "none (no /dev/kvm)"
	fi
}
