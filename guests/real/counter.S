/*
 * counter: count from 0 to 9, one digit per line, one HC_PUTCHAR per byte.
 *
 * Lesson: each OUT to port 0x500 is a VM exit; the VMM reads the
 * function number from the OUT's data (AL) and the byte from BL, then
 * resumes the guest after the OUT. 20 bytes of output = 20 exits.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$'0', %cl		/* CL = the digit to print next */
next:
	mov	%cl, %bl
	call	putc
	call	newline
	inc	%cl
	cmp	$'9', %cl
	jbe	next
	EXIT	0

#include "lib.S"
