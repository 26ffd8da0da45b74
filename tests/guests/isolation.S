/*
 * isolation: run two copies at once. Each writes its own signature at
 * address 0x8000, waits, and reads it back. If the VMs shared memory, the
 * other copy's signature would show through. The signature is the first
 * byte of stdin for the first guest and EOF (0xFF) for the others, so the
 * copies differ. Prints "mine" or "overwritten".
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	HYPERCALL HC_GETCHAR
	mov	%al, 0x8000		/* my signature */
	mov	%al, %bl
	mov	$20000, %cx		/* give the other guest time to write */
1:	cmp	%bl, 0x8000
	jne	changed
	loop	1b
	mov	$mine, %si
	jmp	2f
changed:
	mov	$overwritten, %si
2:	call	puts
	EXIT	0

	.section .rodata
mine:		.asciz	"mine\n"
overwritten:	.asciz	"overwritten\n"

	.text
#include "lib.S"
