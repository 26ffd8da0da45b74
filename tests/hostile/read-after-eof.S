/*
 * read-after-eof: read stdin to its end, then keep asking: HC_GETCHAR must
 * say HC_EOF and HC_READ 0, every time. Echoes what it read; exit 0 only if
 * all three late reads behaved.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
1:	HYPERCALL HC_GETCHAR
	cmp	$HC_EOF, %eax
	je	2f
	mov	%al, %bl
	HYPERCALL HC_PUTCHAR
	jmp	1b
2:	HYPERCALL HC_GETCHAR
	cmp	$HC_EOF, %eax
	jne	wrong
	mov	$0x1000, %ebx
	mov	$16, %ecx
	HYPERCALL HC_READ
	cmp	$0, %eax
	jne	wrong
	HYPERCALL HC_GETCHAR
	cmp	$HC_EOF, %eax
	jne	wrong
	EXIT	0
wrong:	EXIT	1
