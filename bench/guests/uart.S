/* uart: 100,000 bytes through the 16550, polling LSR before each: two
 * exits per byte, as any PC program would do it. */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$100000, %ecx
1:	mov	$0x3fd, %dx
2:	in	%dx, %al
	test	$0x20, %al
	jz	2b
	mov	$0x3f8, %dx
	mov	$'x', %al
	out	%al, %dx
	loopl	1b
	hlt
