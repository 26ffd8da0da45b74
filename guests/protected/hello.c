/*
 * hello: the smallest protected-mode guest in C. It shows the three things
 * a guest learns at boot: the Multiboot magic in EAX, the memory size in
 * the information structure at EBX, and who the hypervisor is (CPUID).
 */
#include "guest.h"

struct multiboot_info {
	uint32_t flags, mem_lower, mem_upper;	/* KB below 640K and above 1M */
};

int main(uint32_t magic, const struct multiboot_info *info) {
	char digits[12];

	puts32("Hello from 32-bit protected mode!\n");
	if (magic != MULTIBOOT_BOOT_MAGIC || !(info->flags & MULTIBOOT_INFO_MEMORY)) {
		puts32("no Multiboot information\n");
		return 1;
	}
	puts32("memory: ");
	puts32(utoa32((info->mem_upper + 1024) / 1024, digits + sizeof(digits)));
	puts32(" MB\nhypervisor: ");
	puts32(on_mini_kvm() ? "mini-kvm\n" : "not mini-kvm\n");
	return 0;
}
