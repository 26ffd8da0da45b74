/*
 * start.S: the first instructions of a protected-mode guest. The VMM (or a
 * Multiboot loader) enters here with EAX = the Multiboot magic and EBX =
 * the information structure; we give the C code its own stack and call
 * main(magic, info). Its return value becomes the exit code.
 */
#include <mini-kvm/hypercall.h>

	.section .text.start, "ax"
	.globl _start
_start:
	mov	$stack_top, %esp
	push	%ebx			/* main(magic, info) */
	push	%eax
	call	main
	mov	%eax, %ebx		/* HC_EXIT_STATUS(main's result) */
	mov	$HC_EXIT_STATUS, %eax
	mov	$HC_PORT, %dx
	out	%eax, %dx
	hlt				/* HC_EXIT_STATUS does not return */

	.bss
	.balign 16
	.space	8192
stack_top:
