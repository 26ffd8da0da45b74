/*
 * probe-paging: can this host's KVM run 32-bit paging with 4 MB pages?
 * Identity-map the first 8 MB with two PSE page-directory entries, turn on
 * CR4.PSE and CR0.PG (paging.h), then report.
 */
#include "paging.h"

int main(void) {
	paging_on_first_8mb();
	puts32("paging: ok\n");
	return 0;
}
