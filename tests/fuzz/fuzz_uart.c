/* fuzz_uart: any sequence of accesses to the 16550's eight registers --
 * offset, direction, width, value -- through the port registry. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	struct board_devices dev;
	struct guest g;

	fake_guest(&g, &dev, 4096);
	if (pio_register(&g.pio, "uart", UART_COM1_BASE, UART_PORT_COUNT, uart_io, &dev.uart) < 0)
		abort();
	static const uint8_t widths[4] = { 1, 2, 4, 1 };

	for (; size >= 3; data += 3, size -= 3) {
		struct pio_access a = {
			.port = (uint16_t)(UART_COM1_BASE + (data[0] & 0x0f) - 4),	/* and around */
			.size = widths[data[0] >> 4 & 3], .is_write = data[0] & 0x80,
			.value = data[1] | (uint32_t)data[2] << 8,
		};

		if (pio_dispatch(&g.pio, &a).ends)
			abort();
		if (!a.is_write && a.value > 0xff && a.port >= UART_COM1_BASE &&
		    a.port < UART_COM1_BASE + UART_PORT_COUNT)
			abort();	/* an 8-bit device answers 8 bits */
	}
	fake_guest_free(&g, &dev);
	return 0;
}
