/* pm-keyboard: read one line from the keyboard ports by polling (no IRQ),
 * then print it back. Status 0x64 bit 0 says a byte waits at 0x60. */
#include "guest.h"

int main(void) {
	char line[64] = "got: ";
	uint32_t len = 5;

	while (len < sizeof(line) - 1) {
		while (!(inb(KBD_STATUS_PORT) & KBD_STATUS_OUTPUT_FULL))
			;
		line[len++] = (char)inb(KBD_DATA_PORT);
		if (line[len - 1] == '\n')
			break;
	}
	hc_write(line, len);
	return 0;
}
