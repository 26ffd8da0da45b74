/* 9: what the kernel tells about itself. */
#include "user.h"

int main(void) {
	struct os_info info;

	os_info(&info);
	printf("uptime:    %u ticks (100 per second)\n", info.ticks);
	printf("processes: %u\n", info.processes);
	printf("memory:    %u KB, %u KB free for programs\n", info.memory_kb, info.free_kb);
	printf("machine:   %s\n", info.hypervisor ? "mini-kvm" : "not mini-kvm");
	return 0;
}
