/* write: 10,240,000 bytes in 2,560 HC_WRITEs of 4,000 bytes, then HLT. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$0x1000, %di
	mov	$3999, %cx
	mov	$'x', %al
	rep stosb
	movb	$'\n', (%di)
	mov	$2560, %si
1:	mov	$0x1000, %ebx
	mov	$4000, %ecx
	HYPERCALL HC_WRITE
	dec	%si
	jnz	1b
	hlt
