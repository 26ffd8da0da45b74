/*
 * start.S: the first instructions of a 64-bit guest. mini-kvm enters here
 * in ring 3 with RDI = the memory size and RSP = the top of memory; we use
 * our own stack, call main(memory_size), and pass its result to
 * HC_EXIT_STATUS (HLT is privileged in ring 3: a guest ends by hypercall).
 */
#include <mini-kvm/hypercall.h>

	.section .text.start, "ax"
	.globl	_start
_start:
	lea	stack_top(%rip), %rsp
	call	main			/* RDI is still the memory size */
	mov	%eax, %ebx
	mov	$HC_EXIT_STATUS, %eax
	mov	$HC_PORT, %dx
	out	%eax, %dx
1:	jmp	1b			/* HC_EXIT_STATUS does not return */

	.bss
	.balign 16
	.space	65536
stack_top:
