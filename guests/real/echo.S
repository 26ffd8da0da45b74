/*
 * echo: copy stdin to stdout, byte by byte, until end of input.
 *
 * Lesson: a hypercall can return a value. HC_GETCHAR leaves the next input
 * byte in AL with AH = 0, or HC_EOF (all ones: AH = 0xFF) at end of input.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	HYPERCALL HC_GETCHAR		/* EAX = byte, or HC_EOF */
	cmp	$0xff, %ah		/* only EOF has AH = 0xFF */
	je	done
	mov	%al, %bl
	call	putc
	jmp	_start
done:
	EXIT	0

#include "lib.S"
