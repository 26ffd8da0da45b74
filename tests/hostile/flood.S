/*
 * flood: 100 MB of output, 25,600 HC_WRITEs of one 4 KB line each (4,095
 * 'x' and a newline). The VMM must pass every byte and its memory must
 * not grow with the output.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$0x1000, %di		/* fill the buffer at 0x1000 */
	mov	$4095, %cx
	mov	$'x', %al
	rep stosb
	movb	$'\n', (%di)
	mov	$25600, %si
1:	mov	$0x1000, %ebx
	mov	$4096, %ecx
	HYPERCALL HC_WRITE
	dec	%si
	jnz	1b
	EXIT	0
