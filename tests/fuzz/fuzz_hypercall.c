/* fuzz_hypercall: any sequence of hypercalls -- number, EBX, ECX, each
 * 32 bits -- on a 64 KB guest with a 4-sector disk. guest_ptr() must keep
 * every access inside guest memory (ASan watches), and HC_EXIT's status
 * must be a byte. */
#define _GNU_SOURCE	/* memfd_create */
#include <sys/mman.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct guest g;
	uint32_t call[3];

	fake_guest(&g, 64 << 10);
	g.disk.fd = memfd_create("disk", MFD_CLOEXEC);
	if (g.disk.fd < 0 || ftruncate(g.disk.fd, 4 * HC_SECTOR_SIZE) < 0)
		abort();
	g.disk.sectors = 4;
	for (; size >= sizeof(call); data += sizeof(call), size -= sizeof(call)) {
		struct kvm_regs *regs = &g.vm.run->s.regs.regs;
		int status;

		memcpy(call, data, sizeof(call));
		regs->rbx = call[1], regs->rcx = call[2];
		status = hypercall_dispatch(&g, call[0], regs);
		if (status != GUEST_RUNNING && (status < 0 || status > 255))
			abort();
	}
	close(g.disk.fd);
	fake_guest_free(&g);
	return 0;
}
