# fds-left-open.awk: reads strace -ttt output (all threads, sorted by time) and
# prints every fd opened (open/openat, KVM_CREATE_VM, KVM_CREATE_VCPU) and
# never closed; exits 1 if there is one. valgrind cannot see fds that
# ioctls return, hence this.
/ = [0-9]+$/ && (/open(at)?\(/ || /KVM_CREATE_VM/ || /KVM_CREATE_VCPU/) { open_fd[$NF] = $0 }
/close\([0-9]+\) += 0$/ { fd = $0; sub(/.*close\(/, "", fd); sub(/\).*/, "", fd); delete open_fd[fd] }
END { n = 0; for (fd in open_fd) { print "left open: " open_fd[fd]; n++ } exit n > 0 }
