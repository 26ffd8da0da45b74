/*
 * boot: put a Linux kernel (bzImage) in guest memory and the vCPU where
 * the boot protocol's 64-bit entry wants it (Documentation/arch/x86/boot.rst,
 * "64-bit Boot Protocol"): the protected-mode kernel at 1 MB, a zeroed
 * boot_params ("zero page") holding the file's setup header, an e820 memory
 * map, the command line and the initrd, then 64-bit mode with paging on,
 * flat __BOOT_CS/__BOOT_DS segments from our GDT, interrupts off, RSI =
 * boot_params, RIP = the kernel + 0x200 (startup_64). The Linux board
 * (vmm/boards/linux.c) adds the PC the kernel then finds (docs/linux.md).
 *
 * Guest-physical layout (all below 1 MB is RAM to the kernel, which takes
 * these pages back once it runs on its own page tables):
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "linux.h"
#include "long/long.h"

#define GDT_ADDRESS 0x1000		/* null, null, __BOOT_CS, __BOOT_DS */
#define BOOT_CS 0x10
#define BOOT_DS 0x18
#define BOOT_PARAMS_ADDRESS 0x7000	/* the zero page, 4 KB */
#define PML4_ADDRESS 0x9000		/* then the PDPT, then four page directories */
#define FOUR_GB (4ull << 30)
#define CMDLINE_ADDRESS LINUX_CMDLINE_ADDRESS
#define CMDLINE_MAX 0x10000		/* the room up to 0x30000 */
#define KERNEL_ADDRESS 0x100000		/* where a bzImage's kernel loads ("LOADED_HIGH") */
#define STARTUP_64_OFFSET 0x200		/* the 64-bit entry, from the kernel's start */
#define TYPE_OF_LOADER_UNKNOWN 0xff	/* "a boot loader without an assigned ID" */
#define VID_MODE_NORMAL 0xffff		/* "vga=normal" */
#define PAGE 0x1000ull
#define PVH_MEMORY_MIN (2u << 20)

static uint64_t page_up(uint64_t n) { return (n + PAGE - 1) & ~(PAGE - 1); }

/* Where the kernel's memory ends: the file's kernel at 1 MB, or the image
 * it unpacks -- a relocatable kernel moves itself to pref_address (if
 * higher) and needs init_size from there (boot protocol, "init_size").
 * The initrd must stay above it. */
static uint64_t kernel_end(const struct linux_kernel *k) {
	uint64_t base = k->hdr.pref_address > KERNEL_ADDRESS ? k->hdr.pref_address
							     : KERNEL_ADDRESS;
	uint64_t unpacked = base + k->hdr.init_size, loaded = KERNEL_ADDRESS + k->kernel_size;

	return page_up(unpacked > loaded ? unpacked : loaded);
}

/* COUNT bytes of FD at OFFSET into guest memory at GPA (checked first). */
static int read_into(struct guest_memory *mem, uint64_t gpa, int fd, uint64_t offset,
		     uint64_t count, const char *what, const char *who) {
	uint8_t *dst = guest_ptr(mem, gpa, count);

	if (!dst) {	/* callers check placements first: a bug, not the file's fault */
		log_error(who, "the %s does not fit in guest memory", what);
		return EX_SOFTWARE;
	}
	if (read_exact(fd, dst, count, offset) < 0) {
		log_error(who, "cannot read the %s: %s", what,
			  errno == EIO ? "the file shrank" : strerror(errno));
		return EX_NOINPUT;
	}
	return 0;
}

/* The initrd at the top of what the kernel can reach, above its image. */
static int place_initrd(struct guest *g, struct linux_boot *b) {
	uint64_t top = b->memory, size, start;
	struct stat st;
	int fd;

	if ((fd = open(b->initrd, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		log_error(g->name, "cannot open initrd '%s': %s", b->initrd,
			  fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return EX_NOINPUT;
	}
	size = (uint64_t)st.st_size;
	if (!b->pvh && top > (uint64_t)b->kernel.hdr.initrd_addr_max + 1)
		top = (uint64_t)b->kernel.hdr.initrd_addr_max + 1;	/* a vmlinux: all of RAM */
	start = size < top ? (top - size) & ~(PAGE - 1) : 0;
	if (size >= top || start < kernel_end(&b->kernel)) {
		log_error(g->name, "initrd '%s' (%llu KB) does not fit in guest memory above the "
			  "kernel (%llu MB; see -m)", b->initrd,
			  (unsigned long long)size >> 10, (unsigned long long)b->memory >> 20);
		close(fd);
		return EX_DATAERR;
	}
	b->initrd_fd = fd, b->initrd_start = start, b->initrd_size = size;
	return 0;
}

/* On any host: nothing here needs KVM. */
int linux_prepare(struct guest *g, const struct image *img, const char *initrd,
		  const char *append, struct linux_boot *b) {
	char why[200];

	*b = (struct linux_boot){ .initrd_fd = -1, .initrd = initrd,
				  .memory = g->config->memory ?: LINUX_MEMORY_DEFAULT };
	b->cmdline = append ? append : "";
	if ((b->pvh = pvh_detect(img, &b->pvh_entry))) {	/* its segments: checked as they load */
		b->kernel.hdr.cmdline_size = CMDLINE_MAX;
		if (b->memory < PVH_MEMORY_MIN) {	/* the boot area, the map's 1 MB hole */
			log_error(g->name, "a Linux kernel needs at least %u MB of memory (see -m)",
				  PVH_MEMORY_MIN >> 20);
			return EX_DATAERR;
		}
	} else if (bzimage_parse(img->head, img->head_len, img->size, &b->kernel, why,
			       sizeof(why)) < 0) {
		log_error(g->name, "bad Linux kernel '%s': %s", g->image_path, why);
		return EX_DATAERR;
	}
	if (strlen(b->cmdline) >= b->kernel.hdr.cmdline_size || strlen(b->cmdline) >= CMDLINE_MAX) {
		log_error(g->name, "--append: %zu bytes, more than the %u this kernel takes",
			  strlen(b->cmdline), (b->kernel.hdr.cmdline_size < CMDLINE_MAX ?
					       b->kernel.hdr.cmdline_size : CMDLINE_MAX) - 1);
		return EX_USAGE;
	}
	if (!b->pvh && kernel_end(&b->kernel) > b->memory) {
		log_error(g->name, "the kernel needs %llu MB of memory to unpack itself, the guest "
			  "has %llu MB (see -m)", (unsigned long long)(kernel_end(&b->kernel) >> 20) + 1,
			  (unsigned long long)b->memory >> 20);
		return EX_DATAERR;
	}
	return initrd ? place_initrd(g, b) : 0;
}

void linux_finish(struct linux_boot *b) {
	if (b->initrd_fd >= 0)
		close(b->initrd_fd);
	b->initrd_fd = -1;
}

/* The zero page: the file's own setup header, and what a loader fills in. */
static void write_boot_params(struct guest *g, const struct image *img,
			      const struct linux_boot *b, struct boot_params *bp) {
	size_t len = strlen(b->cmdline) + 1;

	memcpy(guest_ptr(&g->mem, CMDLINE_ADDRESS, len), b->cmdline, len);
	memset(bp, 0, sizeof(*bp));
	memcpy((uint8_t *)bp + 0x1f1, img->head + 0x1f1, b->kernel.header_end - 0x1f1);
	bp->hdr.type_of_loader = TYPE_OF_LOADER_UNKNOWN;
	bp->hdr.vid_mode = VID_MODE_NORMAL;
	bp->hdr.cmd_line_ptr = CMDLINE_ADDRESS;
	bp->hdr.ramdisk_image = (uint32_t)b->initrd_start;	/* memory ends below 4 GB */
	bp->hdr.ramdisk_size = (uint32_t)b->initrd_size;
	bp->e820_entries = (uint8_t)linux_memory_map(g->mem.size, bp->e820_table);
}

/* 64-bit mode, ring 0, paging on: the state startup_64 expects. The page
 * tables map the first 4 GB 1:1 with 2 MB pages: the kernel, boot_params
 * and the command line must be mapped (boot protocol); the kernel builds
 * its own tables at once. */
static int enter_startup_64(struct vm *vm, struct guest_memory *mem, const char *who) {
	struct cpu_flat flat = {
		.code = long_segment(BOOT_CS, SEG_TYPE_CODE_EXEC_READ_ACCESSED, 0),
		.data = long_segment(BOOT_DS, SEG_TYPE_DATA_READ_WRITE_ACCESSED, 0),
		.gdt_base = GDT_ADDRESS, .gdt_limit = 4 * 8 - 1, .cr3 = PML4_ADDRESS,
		.cr4 = CR4_PAE, .cr0 = CR0_PE | CR0_ET | CR0_NE | CR0_PG,
		.efer = EFER_LME | EFER_LMA,
	};
	uint64_t gdt[4] = { 0, 0, gdt_entry(&flat.code), gdt_entry(&flat.data) };	/* 0x10, 0x18 */
	struct identity_map map = { .pml4 = PML4_ADDRESS, .pdpt = PML4_ADDRESS + PAGE,
				    .pd = PML4_ADDRESS + 2 * PAGE, .size = FOUR_GB };
	struct kvm_regs regs = { .rip = KERNEL_ADDRESS + STARTUP_64_OFFSET,
				 .rflags = RFLAGS_FIXED, .rsi = BOOT_PARAMS_ADDRESS,
				 .rsp = BOOT_PARAMS_ADDRESS };	/* a stack below it */

	identity_map_build(mem, &map);
	memcpy(guest_ptr(mem, GDT_ADDRESS, sizeof(gdt)), gdt, sizeof(gdt));
	return cpu_enter(vm, cpu_load_flat, &flat, &regs, who);
}

/* The kernel: a vmlinux's segments (which say where they end), or a
 * bzImage's protected-mode part at 1 MB. */
static int load_kernel(struct guest *g, const struct image *img, const struct linux_boot *b,
		       uint64_t *end) {
	if (b->pvh)
		return pvh_load_kernel(g, img, end);
	*end = kernel_end(&b->kernel);
	return read_into(&g->mem, KERNEL_ADDRESS, img->fd, b->kernel.setup_size,
			 b->kernel.kernel_size, "kernel", g->name);
}

/* Everything in guest memory and the vCPU's registers, as linux_prepare
 * planned it; the VM exists and its memory is B->memory. */
int linux_load(struct guest *g, const struct image *img, const struct linux_boot *b) {
	struct boot_params *bp = guest_ptr(&g->mem, BOOT_PARAMS_ADDRESS, sizeof(*bp));
	uint64_t end;
	int rc;

	if ((rc = load_kernel(g, img, b, &end)))
		return rc;
	if (b->initrd_fd >= 0 && b->initrd_start < end) {
		log_error(g->name, "initrd '%s' does not fit in guest memory above the kernel "
			  "(%llu MB; see -m)", b->initrd, (unsigned long long)b->memory >> 20);
		return EX_DATAERR;
	}
	if (b->initrd_fd >= 0 && (rc = read_into(&g->mem, b->initrd_start, b->initrd_fd, 0,
						 b->initrd_size, "initrd", g->name)))
		return rc;
	if (b->pvh)
		return pvh_enter(g, b);
	write_boot_params(g, img, b, bp);
	return enter_startup_64(&g->vm, &g->mem, g->name);
}

/*
 * VT-x without "unrestricted guest" runs a guest's real mode as vm86 mode,
 * which needs a TSS and a page table of KVM's own inside the guest's
 * physical address space (KVM API 4.39 KVM_SET_TSS_ADDR, 4.64
 * KVM_SET_IDENTITY_MAP_ADDR: "required on Intel-based hosts"; the second
 * before any vCPU exists). A PC operating system resets CPUs through real
 * mode, so it gets them: four pages just below the BIOS area at the top of
 * the first 4 GB, where no guest RAM (at most 3 GB) can be. AMD's KVM
 * accepts and ignores them.
 */
#define IDENTITY_MAP_ADDRESS 0xfeffc000u	/* one page */
#define TSS_ADDRESS 0xfeffd000u			/* three pages */

int linux_vm_setup(struct vm *vm, const char *who) {
	uint64_t identity = IDENTITY_MAP_ADDRESS;

	if (KVM_IOCTL(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &identity, who) < 0 ||
	    KVM_IOCTL(vm->fd, KVM_SET_TSS_ADDR, (void *)(uintptr_t)TSS_ADDRESS, who) < 0)
		return EX_UNAVAILABLE;
	return 0;
}
