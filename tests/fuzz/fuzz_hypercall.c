/* fuzz_hypercall: any sequence of hypercalls -- number, EBX, ECX, each
 * 32 bits -- on a 64 KB guest with a 4-sector disk. guest_ptr() must keep
 * every access inside guest memory (ASan watches), and HC_EXIT's status
 * must be a byte. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct board_devices dev;
	struct guest g;
	uint32_t call[3];

	fake_guest(&g, &dev, 64 << 10);
	dev.disk[0].fd = memfd_create("disk", MFD_CLOEXEC);
	if (dev.disk[0].fd < 0 || ftruncate(dev.disk[0].fd, 4 * HC_SECTOR_SIZE) < 0 ||
	    disk_attach(&dev.disk[0], &g.hc, &g.mem) < 0)
		abort();
	dev.disk[0].sectors = 4;
	for (; size >= sizeof(call); data += sizeof(call), size -= sizeof(call)) {
		struct kvm_regs *regs = &g.vm.vcpu[0].run->s.regs.regs;
		struct run_result result;

		memcpy(call, data, sizeof(call));
		regs->rbx = call[1], regs->rcx = call[2];
		result = hypercall_dispatch(&g.hc, call[0], regs);
		if (result.ends && (result.status < 0 || result.status > 255))
			abort();
	}
	close(dev.disk[0].fd);
	fake_guest_free(&g, &dev);
	return 0;
}
