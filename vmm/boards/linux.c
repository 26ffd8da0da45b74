/*
 * linux: the board of a Linux kernel (a bzImage, or a vmlinux with a PVH
 * entry: vmm/linux). A PC with an
 * in-kernel irqchip and PIT, KVM's own CPUID leaves, the kernel loaded by
 * its boot protocol, a UART that interrupts on IRQ 4, the CMOS clock, the
 * reset ports, and a PCI bus with the virtio devices (docs/linux.md,
 * docs/virtio.md). Where the host's KVM cannot deliver
 * interrupts, the kernel could not get far: it is refused at once, in one
 * line.
 */
#include "board.h"
#include "core/log.h"
#include "host/host.h"
#include "linux/linux.h"

static bool claims_kernel(const struct image *img) {
	return bzimage_detect(img->head, img->head_len) || pvh_detect(img, NULL);
}

/* The machine: memory, the VM with KVM's real-mode pages and an irqchip,
 * its vCPUs with KVM's CPUID, the kernel loaded. */
static int build(struct guest *g, const struct image *img, const struct linux_boot *b) {
	g->cpu = b->pvh ? CPU_PROTECTED : CPU_LONG;	/* where the kernel starts */
	return guest_map_memory(g, b->memory, PROTECTED_MODE_MEMORY_MAX) ?:
	       vm_create(g->kvm, &g->vm, &g->mem, g->name) ?:
	       linux_vm_setup(&g->vm, g->name) ?:
	       vm_create_irqchip(&g->vm, g->name) ?:
	       board_create_vcpus(g) ?:
	       vm_set_cpuid(g->kvm, &g->vm, false, g->name) ?:
	       linux_load(g, img, b);
}

/* What a PC kernel finds beyond the UART: the clock, the reset ports, a
 * PCI bus with a virtio-blk device for each --disk. */
int board_linux_devices(struct guest *g) {
	struct board_devices *d = g->board_state;

	return board_claim(g, rtc_register(&d->rtc, &g->pio), "CMOS clock") ?:
	       board_claim(g, pc_reset_register(&d->reset, &g->pio, g->name), "reset ports") ?:
	       board_attach_uart(g, true) ?: board_attach_pci(g, true);
}

/* With more than one vCPU, the kernel needs the MP table to find the
 * others and the I/O APIC, and where each PCI device's line goes; one vCPU
 * needs none (the kernel then uses the PIC, as a PC without the table). */
static int write_mptable(struct guest *g) {
	struct board_devices *d = g->board_state;
	struct linux_pci_line lines[PCI_SLOTS];
	int count = 0;

	if (g->vm.vcpus == 1)
		return 0;
	for (int slot = 1; slot < PCI_SLOTS; slot++)
		if (d->pci.slot[slot])
			lines[count++] = (struct linux_pci_line){ (uint8_t)slot, (uint8_t)
				pci_config_get(d->pci.slot[slot], PCI_INTERRUPT_LINE, 1) };
	if (linux_mptable(&g->mem, g->vm.vcpus, lines, count) < 0) {
		log_error(g->name, "no room for the MP table of %d vCPUs", g->vm.vcpus);
		return EX_SOFTWARE;
	}
	return 0;
}

static int boot_linux(struct guest *g, const struct image *img) {
	const struct board_config *c = g->board_config;
	struct linux_boot b = { .initrd_fd = -1 };
	const char *lacks;
	int rc;

	if ((rc = board_start(g, img, true, true)) ||
	    (rc = linux_prepare(g, img, c->initrd, c->append, &b)))
		goto out;
	if ((lacks = host_lacks_interrupts(g->kvm))) {
		log_error(g->name, "cannot boot Linux: it needs %s, which this host's KVM cannot "
			  "do (VT-x or AMD-V hosts can)", lacks);
		rc = EXIT_GUEST_CRASHED;
		goto out;
	}
	rc = build(g, img, &b) ?: board_linux_devices(g) ?: write_mptable(g) ?:
	     board_start_vcpus(g);	/* last: smp.c says why */
out:
	linux_finish(&b);
	return rc;
}

const struct board board_linux = {
	.name = "Linux", .claims = claims_kernel, .boot = boot_linux,
	.stop = board_stop, .state_size = sizeof(struct board_devices),
};
