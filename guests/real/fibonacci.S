/*
 * fibonacci: the first 25 Fibonacci numbers, F(0) = 0 to F(24) = 46368,
 * the largest that fits in a 16-bit register.
 *
 * Lesson: the guest keeps its own state in registers and memory between
 * hypercalls; the VMM sees nothing but the output.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	xor	%ax, %ax		/* AX = F(n)   */
	mov	$1, %dx			/* DX = F(n+1) */
	xor	%bp, %bp		/* BP = n      */
term:
	mov	$label, %si
	call	puts			/* "F(" */
	push	%ax
	mov	%bp, %ax
	xor	%cx, %cx
	call	print_u16		/* n */
	mov	$equals, %si
	call	puts			/* ") = " */
	pop	%ax
	call	print_u16		/* F(n) */
	call	newline
	mov	%dx, %bx		/* (F(n), F(n+1)) -> (F(n+1), F(n+2)) */
	add	%ax, %dx
	mov	%bx, %ax
	inc	%bp
	cmp	$24, %bp
	jbe	term
	EXIT	0

	.section .rodata
label:	.asciz	"F("
equals:	.asciz	") = "

	.text
#include "lib.S"
