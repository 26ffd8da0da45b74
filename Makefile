# mini-kvm -- `make run` builds everything and runs the hello guest;
# `make check` builds everything and runs every test (docs/testing.md);
# `make check-kvm` only the tests that need a real KVM.

CC       ?= cc
CFLAGS   ?= -O2 -g
WARNINGS := -std=gnu11 -Wall -Wextra -Werror
CPPFLAGS := -Iinclude -Ivmm -MMD -MP
LDLIBS   := -pthread -lseccomp
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
            -fno-omit-frame-pointer
B        := build

# vmm/core is the hypervisor; every other folder of vmm/ is a layer on it
# (docs/architecture.md).
VMM_SRCS  := $(wildcard vmm/*/*.c)
VMM_OBJS  := $(VMM_SRCS:%.c=$(B)/%.o)
ASAN_OBJS := $(VMM_SRCS:%.c=$(B)/asan/%.o)
# The unit tests link every module but main.c, built with the sanitizers.
UNIT_SRCS := $(wildcard tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(B)/asan/%.o) $(filter-out %/program/main.o,$(ASAN_OBJS))

GUESTS      := minimal hello counter multiplication fibonacci matrix echo uart spin
GUEST_BINS  := $(GUESTS:%=$(B)/guests/real/%.bin)
TEST_GUESTS := $(patsubst %.S,$(B)/%.bin,$(wildcard tests/guests/*.S tests/hostile/*.S))
# (defined before the rules: a rule's prerequisites are expanded as it is read)
FUZZ_NAMES := image hypercall uart options bzimage gdb virtio snapshot
FUZZERS    := $(FUZZ_NAMES:%=$(B)/fuzz/fuzz_%)
PM_GUESTS      := hello uart
LONG_GUESTS    := hello fib spin
PM_GUEST_ELFS  := $(PM_GUESTS:%=$(B)/guests/protected/%.elf)
PM_TEST_GUESTS := $(patsubst %.c,$(B)/%.elf,$(wildcard tests/guests/*.c)) \
                  $(patsubst %.c,$(B)/%.elf64,$(wildcard tests/long/*.c))

.PHONY: all run run-tier run-os run-os-tier run-os-qemu debug-os debug-os-tier check check-kvm \
        test-deps fuzz bench install uninstall clean
# Keep intermediate objects: no "rm" after the test summary, faster rebuilds.
.SECONDARY:
all: $(B)/mini-kvm $(GUEST_BINS) $(PM_GUEST_ELFS) $(LONG_GUESTS:%=$(B)/guests/long/%.elf64) \
     $(B)/os/kernel.elf

# Where this host has no usable KVM (status 69) or one that cannot run the
# guest (70), say where it can run: run-tier, on a real KVM inside QEMU.
run: all
	@$(B)/mini-kvm $(B)/guests/real/hello.bin; s=$$?; \
	if [ $$s -eq 69 ] || [ $$s -eq 70 ]; then echo "make run: this host's KVM cannot run" \
	  "it; 'make run-tier' runs the same guest on a real KVM inside QEMU (slower)" >&2; fi; \
	exit $$s

run-tier: all
	@echo "booting the real-KVM tier's machine (QEMU TCG, a few seconds)..." >&2
	@tests/kvm-tier/run $(B)/mini-kvm $(B)/guests/real/hello.bin

# Everything the tests run, built before any test starts.
TEST_DEPS := all $(B)/asan/mini-kvm $(B)/mini-kvm-dynamic $(B)/tests/unit-tests \
             $(B)/tests/race-tests $(B)/tests/eintr-probe.so $(B)/guests/sdk/libsdk.a \
             $(TEST_GUESTS) \
             $(PM_TEST_GUESTS) $(FUZZERS)
test-deps: $(TEST_DEPS)

check: $(TEST_DEPS)
	tests/run

# The real-KVM tier alone: on this host's KVM if it can, else inside the
# tier's machine (tests/kvm-tier, QEMU TCG); says how long it took.
check-kvm: $(TEST_DEPS)
	@start=$$(date +%s); tests/run kvm; s=$$?; \
	echo "make check-kvm: $$(( $$(date +%s) - start )) s"; exit $$s

# Each fuzzer for FUZZ_SECONDS (make check: 10), new inputs kept in build/.
FUZZ_SECONDS ?= 300
fuzz: $(FUZZERS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run

# --- the VMM ---------------------------------------------------------------
# Linked statically: measured with make bench, a dynamic mini-kvm peaked at
# ~1.8 MB RSS (mostly shared-library pages), a static one at ~0.8 MB, with
# the same start-up time. (The sanitizer build below stays dynamic.)
$(B)/mini-kvm: $(VMM_OBJS)
	$(CC) $(CFLAGS) -static -o $@ $^ $(LDLIBS)

# The same objects linked dynamically, for valgrind (which cannot follow
# malloc inside a static binary).
$(B)/mini-kvm-dynamic: $(VMM_OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(B)/vmm/%.o: vmm/%.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) $(CFLAGS) $(CPPFLAGS) -c -o $@ $<

# The same sources with AddressSanitizer + UndefinedBehaviorSanitizer:
# the integration tests run this binary.
$(B)/asan/mini-kvm: $(ASAN_OBJS)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(LDLIBS)

$(B)/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) $(CFLAGS) $(SANITIZE) $(CPPFLAGS) -Itests/unit -c -o $@ $<

$(B)/tests/unit-tests: $(UNIT_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ -lcmocka $(LDLIBS)

# An LD_PRELOAD shim for the dynamic build: a signal during a host probe
# (tests/real-kvm/protected.bats).
$(B)/tests/eintr-probe.so: tests/tools/eintr-probe.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) -O2 -shared -fPIC -o $@ $< -ldl

# --- ThreadSanitizer: stdin between the vCPU thread and a device thread --
TSAN_OBJS := $(patsubst %.c,$(B)/tsan/%.o,$(wildcard vmm/core/*.c) vmm/devices/uart.c \
               vmm/devices/input_watch.c)

$(B)/tsan/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) -g -O1 -fsanitize=thread $(CPPFLAGS) -c -o $@ $<

$(B)/tests/race-tests: $(B)/tsan/tests/race/race.o $(TSAN_OBJS)
	@mkdir -p $(@D)
	$(CC) -g -fsanitize=thread -o $@ $^ -pthread

# --- libFuzzer harnesses (clang): the VMM's parsers with ASan + UBSan -----
FUZZ_CC    := clang
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS  := $(patsubst %.c,$(B)/fuzz/%.o,$(filter-out vmm/program/main.c,$(VMM_SRCS)))

$(B)/fuzz/vmm/%.o: vmm/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARNINGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link $(CPPFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(WARNINGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -Iinclude -Ivmm -o $@ $< \
	   $(FUZZ_OBJS) $(LDLIBS)

# --- guests: assembled with the C preprocessor, linked at 0, then stripped
# --- to a flat binary ------------------------------------------------------
GUEST_DEPS := guests/real/real.ld guests/real/real-mode.h guests/real/lib.S \
              include/mini-kvm/hypercall.h

$(B)/%.bin: %.S $(GUEST_DEPS)
	@mkdir -p $(@D)
	$(CC) -m32 -c -Iinclude -Iguests/real -o $(B)/$*.o $<
	ld -m elf_i386 --no-warn-rwx-segments -T guests/real/real.ld -o $(B)/$*.elf $(B)/$*.o
	objcopy -O binary $(B)/$*.elf $@

# --- protected-mode guests: freestanding 32-bit C, linked at 1 MB ----------
GUEST_CFLAGS := -m32 -std=gnu11 -Wall -Wextra -Werror -O2 -ffreestanding -fno-pic \
                -fno-stack-protector -fno-asynchronous-unwind-tables -Iinclude \
                -Iguests/protected
PM_DEPS := guests/protected/protected.ld guests/protected/guest.h \
           include/mini-kvm/hypercall.h include/mini-kvm/boot.h

$(B)/guests/protected/start.o: guests/protected/start.S $(PM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $@ $<

$(B)/tests/guests/probe-paging.elf $(B)/tests/guests/paging-crash.elf: tests/guests/paging.h

$(B)/%.elf: %.c $(B)/guests/protected/start.o $(PM_DEPS)
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c -o $(B)/$*.o $<
	ld -m elf_i386 --no-warn-rwx-segments -z noexecstack -T guests/protected/protected.ld -o $@ \
	   $(B)/guests/protected/start.o $(B)/$*.o

# --- 64-bit guests: C on the SDK (guests/sdk), linked at 1 MB -------------
# The flags a 64-bit guest is built with, also against an installed SDK.
SDK_GUEST_CFLAGS := -m64 -std=gnu11 -O2 -ffreestanding -fno-pic -fno-stack-protector \
                    -fno-asynchronous-unwind-tables -fno-builtin
LONG_CFLAGS := $(SDK_GUEST_CFLAGS) -Wall -Wextra -Werror -Iinclude -Iguests/sdk
SDK_OBJS    := $(B)/guests/sdk/start.o $(B)/guests/sdk/lib.o
SDK_DEPS    := guests/sdk/sdk.h guests/sdk/sdk.ld include/mini-kvm/hypercall.h

$(B)/guests/sdk/%.o: guests/sdk/%.[cS] $(SDK_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LONG_CFLAGS) -c -o $@ $<

$(B)/guests/long/%.o: guests/long/%.c $(SDK_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LONG_CFLAGS) -c -o $@ $<

$(B)/tests/long/%.o: tests/long/%.c $(SDK_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LONG_CFLAGS) -c -o $@ $<

$(B)/%.elf64: $(B)/%.o $(SDK_OBJS)
	ld -m elf_x86_64 --no-warn-rwx-segments -z noexecstack -T guests/sdk/sdk.ld -o $@ \
	   $(SDK_OBJS) $<

# --- make bench: mini-kvm against the raw-KVM floor and QEMU (bench/run) --
# On any host: where this host's KVM cannot, in the real-KVM tier's machine;
# BENCH_WHERE=tier sends every row there.
BENCH_BINS := $(B)/bench/measure $(B)/bench/boot-time $(B)/bench/floor $(B)/bench/compute/host \
              $(B)/bench/mini-kvm-exits \
              $(B)/bench/compute/guest.elf64 $(B)/bench/guests/qemu-minimal.elf \
              $(patsubst %.S,$(B)/%.bin,$(filter-out %/qemu-minimal.S,$(wildcard bench/guests/*.S)))

bench: all $(BENCH_BINS) $(PM_TEST_GUESTS)
	bench/run

# mini-kvm whose virtio notifications are all exits (no KVM_IOEVENTFD):
# bench/virtio measures what the eventfds gain.
$(B)/bench/mini-kvm-exits: $(filter-out %/virtio/kick.o,$(VMM_OBJS)) vmm/virtio/kick.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) $(CFLAGS) $(CPPFLAGS) -DVIRTIO_KICK_EXITS -c -o $(B)/bench/kick-exits.o vmm/virtio/kick.c
	$(CC) $(CFLAGS) -static -o $@ $(filter %.o,$^) $(B)/bench/kick-exits.o $(LDLIBS)

# Static like mini-kvm, so that linking is not what the floor compares.
$(B)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) -O2 -static -o $@ $<

# Static: QEMU's user-mode emulator runs the very same file.
$(B)/bench/compute/host: bench/compute/host.c bench/compute/work.c bench/compute/work.h
	@mkdir -p $(@D)
	$(CC) $(WARNINGS) -O2 -static -o $@ bench/compute/host.c bench/compute/work.c

$(B)/bench/compute/%.o: bench/compute/%.c bench/compute/work.h $(SDK_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LONG_CFLAGS) -Ibench/compute -c -o $@ $<

$(B)/bench/compute/guest.elf64: $(B)/bench/compute/guest.o $(B)/bench/compute/work.o $(SDK_OBJS)
	ld -m elf_x86_64 --no-warn-rwx-segments -z noexecstack -T guests/sdk/sdk.ld -o $@ $^

$(B)/bench/guests/qemu-minimal.elf: bench/guests/qemu-minimal.S bench/guests/qemu-minimal.ld
	@mkdir -p $(@D)
	$(CC) -m32 -c -o $(B)/bench/guests/qemu-minimal.o $<
	ld -m elf_i386 -T bench/guests/qemu-minimal.ld -o $@ $(B)/bench/guests/qemu-minimal.o

# --- the 1K OS: a Multiboot kernel with its user programs inside ----------
OS_CFLAGS   := $(GUEST_CFLAGS) -fno-builtin -fno-omit-frame-pointer -g	# -g: for gdb (make debug-os)
OS_PROGRAMS := shell multiply counter echo fibonacci primes calc factorial gcd \
               sysinfo bad
OS_BINS     := $(OS_PROGRAMS:%=$(B)/os/user/%.bin)
OS_KOBJS    := $(patsubst %,$(B)/os/kernel/%.o,boot programs main console cpu proc \
               disk virtio fs) $(B)/os/common/common.o
OS_HEADERS  := os/include/os.h os/common/common.h os/kernel/kernel.h os/user/user.h \
               include/mini-kvm/hypercall.h include/mini-kvm/boot.h

$(B)/os/%.o: os/%.c $(OS_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(OS_CFLAGS) -c -o $@ $<

$(B)/os/%.o: os/%.S $(OS_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(OS_CFLAGS) -c -o $@ $<

$(B)/os/kernel/programs.o: os/kernel/programs.S $(OS_BINS)
	@mkdir -p $(@D)
	$(CC) $(OS_CFLAGS) -Wa,-I$(B)/os/user -c -o $@ $<

$(B)/os/user/%.bin: $(B)/os/user/start.o $(B)/os/user/lib.o $(B)/os/common/common.o \
                    $(B)/os/user/%.o os/user/user.ld
	ld -m elf_i386 --no-warn-rwx-segments -z noexecstack -T os/user/user.ld -o $(B)/os/user/$*.elf \
	   $(B)/os/user/start.o $(B)/os/user/$*.o $(B)/os/user/lib.o $(B)/os/common/common.o
	objcopy -O binary $(B)/os/user/$*.elf $@

$(B)/os/kernel.elf: $(OS_KOBJS) os/kernel/kernel.ld
	ld -m elf_i386 --no-warn-rwx-segments -z noexecstack -T os/kernel/kernel.ld -o $@ $(OS_KOBJS)

OS_MEMORY := 32M
QEMU_OS   := qemu-system-i386 -m $(OS_MEMORY) -display none -serial stdio \
             -monitor none -net none -no-reboot \
             -device isa-debug-exit,iobase=0xf4,iosize=0x04

# The disk the OS keeps its files on, between boots: 128K of zeros at first.
OS_DISK := $(B)/os/disk.img
$(OS_DISK):
	@mkdir -p $(@D)
	dd if=/dev/zero of=$@ bs=1024 count=128 status=none

# On a host with no usable KVM (status 69), or one that cannot page or
# interrupt in 32-bit mode (a software KVM such as PVM: 70), mini-kvm says so
# in one line; then
# run-os-tier runs the same shell on mini-kvm in the real-KVM tier's machine.
run-os: $(B)/mini-kvm $(B)/os/kernel.elf $(OS_DISK)
	@$(B)/mini-kvm -m $(OS_MEMORY) --disk $(OS_DISK) $(B)/os/kernel.elf; s=$$?; \
	if [ $$s -eq 69 ] || [ $$s -eq 70 ]; then echo "make run-os: where this host's KVM cannot run it," \
	  "'make run-os-tier' runs the same shell on a real KVM inside QEMU (slower)" >&2; fi; \
	exit $$s

# The 1K OS shell on mini-kvm on a real KVM, on any host: inside the tier's
# machine (tests/kvm-tier/run). Keyboard in, output out; "0" quits and the
# machine powers off. Its disk lives in the machine's memory, for one run.
TIER_DISK := dd if=/dev/zero of=/tmp/disk.img bs=1024 count=128 status=none
TIER_OS := $(TIER_DISK) && exec $(B)/mini-kvm -m $(OS_MEMORY) --disk /tmp/disk.img $(B)/os/kernel.elf
run-os-tier: $(B)/mini-kvm $(B)/os/kernel.elf
	@echo "booting the real-KVM tier's machine (QEMU TCG, a few seconds)..." >&2
	@tests/kvm-tier/run sh -c '$(TIER_OS)'

# The 1K OS waiting for gdb before its first instruction (docs/debugging.md).
GDB_PORT ?= 1234
debug-os: $(B)/mini-kvm $(B)/os/kernel.elf $(OS_DISK)
	@echo "the 1K OS waits for gdb; in another terminal:" >&2
	@echo "  gdb -ex 'target remote 127.0.0.1:$(GDB_PORT)' $(B)/os/kernel.elf" >&2
	$(B)/mini-kvm -m $(OS_MEMORY) --disk $(OS_DISK) --gdb $(GDB_PORT) $(B)/os/kernel.elf

# The same on any host: the OS and gdb both inside the real-KVM tier's
# machine, on the QEMU that stops a nested guest at breakpoints. gdb reads
# this terminal line by line; the OS's output shows between its replies.
TIER_DEBUG_OS := $(TIER_DISK) && mkfifo /tmp/kbd && { sleep 100000 >/tmp/kbd & } && \
  { $(B)/mini-kvm -m $(OS_MEMORY) --disk /tmp/disk.img --gdb $(GDB_PORT) \
      $(B)/os/kernel.elf </tmp/kbd 2>/tmp/vmm.err & } && \
  until grep -q "waiting for gdb" /tmp/vmm.err; do sleep 0.1; done && \
  exec gdb -q -ex "target remote 127.0.0.1:$(GDB_PORT)" $(B)/os/kernel.elf
debug-os-tier: $(B)/mini-kvm $(B)/os/kernel.elf
	@echo "booting the real-KVM tier's machine (QEMU TCG, a few seconds)..." >&2
	@tests/kvm-tier/run --breakpoints sh -c '$(TIER_DEBUG_OS)'

run-os-qemu: $(B)/os/kernel.elf $(OS_DISK)
	$(QEMU_OS) -drive file=$(OS_DISK),format=raw,if=none,id=disk -device virtio-blk-pci,drive=disk \
	   -kernel $(B)/os/kernel.elf; s=$$?; [ $$s -eq 1 ] || exit $$s

# --- make install: the program, its man page, the guest ABI and the SDK ---
# PREFIX and DESTDIR as usual (make install DESTDIR=/tmp/pkg PREFIX=/usr).
# A 64-bit guest builds against an installed SDK (docs/writing-guests.md):
#   cc SDK_GUEST_CFLAGS -I$PREFIX/include -c guest.c     (the flags above)
#   ld -z noexecstack -T $PREFIX/lib/mini-kvm/sdk.ld -o guest.elf64 \
#      $PREFIX/lib/mini-kvm/start.o guest.o $PREFIX/lib/mini-kvm/libsdk.a
PREFIX ?= /usr/local
INSTALL_DIRS := bin share/man/man1 include/mini-kvm lib/mini-kvm
INSTALLED := bin/mini-kvm share/man/man1/mini-kvm.1 include/mini-kvm/hypercall.h \
             include/mini-kvm/boot.h include/mini-kvm/sdk.h lib/mini-kvm/start.o \
             lib/mini-kvm/libsdk.a lib/mini-kvm/sdk.ld

$(B)/guests/sdk/libsdk.a: $(B)/guests/sdk/lib.o
	rm -f $@ && ar rcs $@ $^

install: $(B)/mini-kvm $(SDK_OBJS) $(B)/guests/sdk/libsdk.a
	install -d $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALL_DIRS))
	install -m 755 $(B)/mini-kvm $(DESTDIR)$(PREFIX)/bin/mini-kvm
	install -m 644 docs/mini-kvm.1 $(DESTDIR)$(PREFIX)/share/man/man1/mini-kvm.1
	install -m 644 include/mini-kvm/hypercall.h include/mini-kvm/boot.h guests/sdk/sdk.h \
	   $(DESTDIR)$(PREFIX)/include/mini-kvm/
	install -m 644 $(B)/guests/sdk/start.o $(B)/guests/sdk/libsdk.a guests/sdk/sdk.ld \
	   $(DESTDIR)$(PREFIX)/lib/mini-kvm/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))
	-rmdir $(DESTDIR)$(PREFIX)/include/mini-kvm $(DESTDIR)$(PREFIX)/lib/mini-kvm 2>/dev/null

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
