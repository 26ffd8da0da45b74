/*
 * boot.S: the assembly the kernel cannot do without -- the Multiboot
 * header, the entry point, the interrupt entry stubs and the return to
 * user mode, and the context switch.
 */
#include "../include/os.h"

#define MULTIBOOT_MAGIC 0x1BADB002
#define MULTIBOOT_FLAGS 0x00000002	/* bit 1: give us the memory size */
#define KERNEL_DATA 0x10

/* Multiboot v1 header (Multiboot spec 3.1.1): in the first 8 KB of the
 * file, 4-byte aligned, three words that sum to 0 (mod 2^32). */
	.section .multiboot, "a"
	.balign 4
	.long	MULTIBOOT_MAGIC, MULTIBOOT_FLAGS, -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

	.text
	.globl _start
_start:				/* EAX = boot magic, EBX = Multiboot info */
	mov	$boot_stack_top, %esp
	push	%ebx
	push	%eax
	call	kernel_main	/* never returns */

/*
 * Interrupt entry. The CPU pushes EIP, CS, EFLAGS (and ESP, SS when it came
 * from ring 3) and, for some exceptions, an error code (Intel SDM Vol. 3A,
 * 6.12.1 and Table 6-1). Each stub pushes a 0 where the CPU pushed none, then
 * its vector, so that every interrupt builds the same struct trap_frame.
 */
.macro STUB vector
	.globl	trap_\vector
trap_\vector:
	.if \vector != 8 && \vector != 10 && \vector != 11 && \vector != 12 && \
	    \vector != 13 && \vector != 14 && \vector != 17
	push	$0
	.endif
	push	$\vector
	jmp	trap_common
.endm

	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19
	STUB	\v
	.endr
	.irp v, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,128
	STUB	\v
	.endr

trap_common:
	push	%ds
	push	%es
	pusha
	mov	$KERNEL_DATA, %ax	/* the kernel's own data segment */
	mov	%ax, %ds
	mov	%ax, %es
	push	%esp			/* trap(struct trap_frame *) */
	call	trap
	add	$4, %esp
	.globl	trap_return
trap_return:			/* also where a new process starts */
	popa
	pop	%es
	pop	%ds
	add	$8, %esp		/* vector and error code */
	iret

/*
 * switch_context(uint32_t *save_esp, uint32_t next_esp): save the
 * registers a C function must preserve on this stack, store the stack
 * pointer, and continue on the other stack where it was saved.
 */
	.globl	switch_context
switch_context:
	mov	4(%esp), %eax
	mov	8(%esp), %edx
	push	%ebp
	push	%ebx
	push	%esi
	push	%edi
	mov	%esp, (%eax)
	mov	%edx, %esp
	pop	%edi
	pop	%esi
	pop	%ebx
	pop	%ebp
	ret

	.bss
	.balign	16
	.space	16384
boot_stack_top:
