/*
 * pm-disk: the disk hypercalls. Prints sector 0's first line (so two runs
 * show what the first one wrote), writes a new line there, reads it back,
 * then checks every refusal: no such sector, a buffer outside memory.
 * Without --disk it reports HC_ERR_NODEV and exits 3.
 */
#include "guest.h"

static uint8_t sector[HC_SECTOR_SIZE];

static void print_line(const uint8_t *s) {
	uint32_t n = 0;

	while (n < 64 && s[n] && s[n] != '\n')
		n++;
	hc_write(s, n);
	puts32("\n");
}

int main(void) {
	static const char message[] = "written by pm-disk\n";
	uint32_t r = hypercall(HC_DISK_READ, (uint32_t)(uintptr_t)sector, 0);

	if (r == HC_ERR_NODEV) {
		puts32("no disk\n");
		return 3;
	}
	puts32("sector 0 holds: ");
	print_line(sector);
	for (uint32_t i = 0; i < sizeof(message); i++)
		sector[i] = (uint8_t)message[i];
	if (hypercall(HC_DISK_WRITE, (uint32_t)(uintptr_t)sector, 0) != 1)
		return 1;
	sector[0] = 0;
	if (hypercall(HC_DISK_READ, (uint32_t)(uintptr_t)sector, 0) != 1)
		return 1;
	puts32("read back: ");
	print_line(sector);
	puts32(hypercall(HC_DISK_READ, (uint32_t)(uintptr_t)sector, 1000000) == HC_ERR_RANGE ?
	       "past the end: HC_ERR_RANGE\n" : "past the end: WRONG\n");
	puts32(hypercall(HC_DISK_WRITE, 0xfffffe01u, 0) == HC_ERR_FAULT ?
	       "bad buffer: HC_ERR_FAULT\n" : "bad buffer: WRONG\n");
	return 0;
}
