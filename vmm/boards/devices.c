/*
 * devices: the devices boards share, set up and stopped in one place. The
 * board's state (g->board_state) is a struct board_devices, zeroed by the
 * core; board_start makes it safe to stop before anything can fail.
 */
#include <mini-kvm/boot.h>
#include <unistd.h>

#include "board.h"
#include "core/log.h"

static struct board_devices *devices(const struct guest *g) {
	return g->board_state;
}

confine_fn *board_confine(const struct guest *g) {
	return g->hooks ? g->hooks->confine : NULL;
}

int board_claim(struct guest *g, int claimed, const char *what) {
	if (claimed == 0)
		return 0;
	log_error(g->name, "cannot set up the %s: its ports or calls are taken", what);
	return EX_SOFTWARE;
}

/* --initrd, --append and --cpus above 1 are a Linux kernel's; anything else
 * refuses them. */
static int refuse_kernel_options(struct guest *g, const struct image *img) {
	static const char *const formats[] = { [IMAGE_FLAT] = "a flat binary",
		[IMAGE_ELF32] = "an ELF32 file", [IMAGE_ELF64] = "an ELF64 file" };
	const struct board_config *c = g->board_config;
	const char *option = c->append ? "--append" : c->initrd ? "--initrd" :
			     c->cpus > 1 ? "--cpus" : NULL;

	if (!option)
		return 0;
	log_error(g->name, "%s is for a Linux kernel; '%s' is %s", option, img->path,
		  formats[img->format]);
	return EX_USAGE;
}

/* Every --disk opened; the first answers HC_DISK_READ/WRITE. */
static int open_disks(struct guest *g, const struct board_config *c, struct board_devices *d) {
	int rc;

	for (int i = 0; i < c->disk_count; i++) {
		if ((rc = disk_open(&d->disk[i], c->disks[i].path, c->disks[i].readonly, g->name)) ||
		    (rc = board_claim(g, guest_add_file(g, d->disk[i].fd, GUEST_FILE_DISK),
				      "disk")))
			return rc;
	}
	return c->disk_count ? board_claim(g, disk_attach(&d->disk[0], &g->hc, &g->mem), "disk")
			     : 0;
}

/* --net's tap, which only the virtio boards can give a card. */
static int open_tap(struct guest *g, const struct board_config *c, struct board_devices *d,
		    bool virtio) {
	if (!c->tap)
		return 0;
	if (!virtio) {
		log_error(g->name, "--net: a %s guest has no network card (virtio-net is for a "
			  "Linux kernel or a protected-mode guest)", g->board->name);
		return EX_USAGE;
	}
	if ((d->tap = tap_open(c->tap, g->name)) < 0) {
		int status = -d->tap;

		d->tap = 0;
		return status;
	}
	return board_claim(g, guest_add_file(g, d->tap, GUEST_FILE_NETWORK), "tap");
}

int board_start(struct guest *g, const struct image *img, bool kernel, bool virtio) {
	const struct board_config *c = g->board_config;
	struct board_devices *d = devices(g);
	int rc;

	if (!kernel && (rc = refuse_kernel_options(g, img)))
		return rc;
	if (!virtio && c->disk_count > 1) {
		log_error(g->name, "%d disks: a %s guest has one, for HC_DISK_READ/WRITE (more: "
			  "virtio-blk, for a Linux kernel or a protected-mode guest)",
			  c->disk_count, g->board->name);
		return EX_USAGE;
	}
	if (!virtio && c->balloon) {
		log_error(g->name, "--balloon: a %s guest has no PCI bus for it (virtio-balloon is "
			  "for a Linux kernel or a protected-mode guest)", g->board->name);
		return EX_USAGE;
	}
	return open_disks(g, c, d) ?: open_tap(g, c, d, virtio);
}

/* A guest that has sent UART_BUSY_BYTES through the UART will likely send
 * more: from now on its transmit-register writes are queued, not exits. */
static void uart_busy(void *arg) {
	struct guest *g = arg;

	coalesced_port_start(&devices(g)->uart_queue, g, UART_COM1_BASE);
}

/* The UART's interrupt: ISA IRQ 4, COM1's line on a PC. */
#define COM1_IRQ 4
static int set_com1_irq(void *arg, bool level) {
	struct guest *g = arg;

	return vm_irq_line(&g->vm, COM1_IRQ, level, g->name);
}

int board_attach_uart(struct guest *g, bool interrupts) {
	struct board_devices *d = devices(g);
	int rc;

	uart_init(&d->uart, &g->console, g->input);
	if ((rc = board_claim(g, pio_register(&g->pio, "uart", UART_COM1_BASE, UART_PORT_COUNT,
					      uart_io, &d->uart), "UART")))
		return rc;
	if (!interrupts) {	/* (queued writes would wait for an exit that a guest
				   sleeping until its THRE interrupt never makes) */
		coalesced_port_init(&d->uart_queue, g);
		d->uart.busy = uart_busy, d->uart.busy_arg = g;
		return 0;
	}
	if (uart_enable_irq(&d->uart, set_com1_irq, g, board_confine(g), g->name) < 0) {
		log_error(g->name, "cannot start the serial port's input thread");
		return EX_OSERR;
	}
	return 0;
}

int board_attach_keyboard(struct guest *g) {
	struct kbd *k = &devices(g)->kbd;
	int rc;

	kbd_init(k, g->input, &g->console, &g->vm, board_confine(g), g->name);
	if ((rc = board_claim(g, pio_register(&g->pio, "keyboard data", KBD_DATA_PORT, 1,
					      kbd_io, k) ?:
				 pio_register(&g->pio, "keyboard status", KBD_STATUS_PORT, 1,
					      kbd_io, k), "keyboard")))
		return rc;
	if (kbd_start(k) < 0) {
		log_error(g->name, "cannot start the keyboard thread");
		return EX_OSERR;
	}
	return 0;
}

void board_stop(struct guest *g) {
	struct board_devices *d = devices(g);

	board_stop_vcpus(g);	/* no vCPU may be in a device as it stops */
	kbd_stop(&d->kbd);
	uart_stop(&d->uart);
	coalesced_port_stop(&d->uart_queue);
	for (int i = 0; i < d->virtio_count; i++)
		virtio_kick_stop(&d->kick[i]);
	virtio_net_stop(&d->net);
	virtio_stop(&d->net.virtio);
	virtio_stop(&d->balloon.virtio);
	for (int i = 0; i < BOARD_DISKS_MAX; i++) {
		virtio_stop(&d->blk[i].virtio);
		disk_close(&d->disk[i]);
	}
	if (d->tap > 0)
		close(d->tap);
}
