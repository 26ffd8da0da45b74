/* qemu-minimal: the QEMU counterpart of the minimal guest: a Multiboot
 * kernel that ends at once through isa-debug-exit (QEMU exits 1). */
#define MULTIBOOT_MAGIC 0x1BADB002
	.section .multiboot, "a"
	.balign	4
	.long	MULTIBOOT_MAGIC, 0, -MULTIBOOT_MAGIC
	.text
	.globl	_start
_start:
	xor	%eax, %eax
	out	%eax, $0xf4
1:	hlt
	jmp	1b
