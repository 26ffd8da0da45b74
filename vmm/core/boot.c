/*
 * boot: the seed's two kinds of guest, from image to a vCPU ready at its
 * first instruction: memory, the image loaded, the VM, the CPU mode. A
 * board (vmm/boards) adds the devices.
 */
#include <mini-kvm/boot.h>

#include "guest.h"
#include "log.h"

/* A flat binary at 0, in real mode; never an irqchip: nothing in real mode
 * asks for one. */
int boot_real(struct guest *g, const struct image *img) {
	int rc;

	g->cpu = CPU_REAL;
	if ((rc = guest_map_memory(g, REAL_MODE_MEMORY_DEFAULT, REAL_MODE_MEMORY_MAX)) ||
	    (rc = image_load_flat(img, &g->mem, g->name)) ||
	    (rc = vm_create(g->kvm, &g->vm, &g->mem, g->name)) ||
	    (rc = vcpu_create(&g->vm, g->name)))
		return rc;
	return cpu_setup_real(&g->vm, g->mem.size, g->name);
}

/* The conditional irqchip: KVM_CREATE_IRQCHIP and KVM_CREATE_PIT2 cost
 * milliseconds (--stats shows them), so a guest gets them only if its ELF
 * note asks (include/mini-kvm/boot.h) or --irqchip=on says so. */
static bool wants_irqchip(const struct guest *g, const struct elf_info *elf) {
	return g->config->irqchip == IRQCHIP_ON ||
	       (g->config->irqchip == IRQCHIP_AUTO && (elf->features & MINI_KVM_FEATURE_IRQCHIP));
}

/* An ELF32 file at its physical addresses, in protected mode. */
int boot_protected(struct guest *g, const struct image *img) {
	struct elf_info elf;
	int rc;

	g->cpu = CPU_PROTECTED;
	if ((rc = guest_map_memory(g, PROTECTED_MODE_MEMORY_DEFAULT, PROTECTED_MODE_MEMORY_MAX)) ||
	    (rc = image_load_elf(img, &elf_class32, &g->mem, &elf, g->name)) ||
	    (rc = vm_create(g->kvm, &g->vm, &g->mem, g->name)) ||
	    (wants_irqchip(g, &elf) && (rc = vm_create_irqchip(&g->vm, g->name))) ||
	    (rc = vcpu_create(&g->vm, g->name)))
		return rc;
	return cpu_setup_protected(&g->vm, &g->mem, (uint32_t)elf.entry, g->name);
}
