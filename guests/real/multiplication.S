/*
 * multiplication: the 9 x 9 times table, each entry right-aligned.
 *
 * Lesson: ordinary computation (MUL, DIV for decimal conversion) runs
 * inside the guest without exits; only output leaves the VM. Each number
 * goes out with one HC_WRITE.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$1, %si			/* SI = row */
row:
	mov	$1, %di			/* DI = column */
column:
	mov	%si, %ax
	mul	%di			/* DX:AX = row * column */
	mov	$4, %cx
	call	print_u16		/* keeps every register */
	inc	%di
	cmp	$9, %di
	jbe	column
	call	newline
	inc	%si
	cmp	$9, %si
	jbe	row
	EXIT	0

#include "lib.S"
