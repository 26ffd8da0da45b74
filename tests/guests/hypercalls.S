/*
 * hypercalls: checks the ABI from inside a guest and prints one verdict
 * line per check ("ok ..." or "FAIL ..."); then reads stdin with HC_READ.
 * The test compares the whole output with tests/golden/hypercalls.out.
 */
#include "real-mode.h"

/* CHECK expected, label: compare EAX with a constant, print the verdict. */
.macro CHECK expected, label
	cmp	$\expected, %eax
	mov	$\label, %si
	call	verdict
.endm

	.text
	.globl	_start
_start:
	/* An unknown number returns HC_ERR_NOSYS and the guest goes on. */
	HYPERCALL 0x7f
	CHECK	HC_ERR_NOSYS, unknown
	/* Same, as a 16-bit OUT: the number is the whole of AX. */
	mov	$0x0101, %ax		/* not PUTCHAR: AH counts */
	mov	$HC_PORT, %dx
	out	%ax, %dx
	CHECK	HC_ERR_NOSYS, wide

	/* HC_WRITE: a buffer that ends exactly at the end of RAM is fine ... */
	mov	$0x3000, %ax		/* ES:0xFFFF = 0x3FFFF, the last byte */
	mov	%ax, %es		/* of the default 256K */
	movb	$'*', %es:0xffff
	mov	$0x40000 - 1, %ebx
	mov	$1, %ecx
	HYPERCALL HC_WRITE		/* prints "*" */
	call	newline			/* keeps EAX */
	CHECK	1, last_byte
	/* ... one byte further is not. */
	mov	$0x40000 - 1, %ebx
	mov	$2, %ecx
	HYPERCALL HC_WRITE
	CHECK	HC_ERR_FAULT, straddle
	/* A length that wraps around 2^32 is not. */
	mov	$0x100, %ebx
	mov	$0xffffff01, %ecx
	HYPERCALL HC_WRITE
	CHECK	HC_ERR_FAULT, wrap
	/* A zero length writes nothing and succeeds. */
	mov	$0x100, %ebx
	xor	%ecx, %ecx
	HYPERCALL HC_WRITE
	CHECK	0, zero_length

	/* HC_CLOCK moves forward. */
	HYPERCALL HC_CLOCK
	mov	%eax, %edi		/* EDI = first reading (low 32 bits) */
	HYPERCALL HC_CLOCK
	sub	%edi, %eax
	cmp	$0, %eax
	setg	%al			/* AL = 1 if the second is later */
	movzbl	%al, %eax
	CHECK	1, clock

	/* HC_READ: read stdin in pieces of up to 8 bytes until EOF. */
read_more:
	mov	$buffer, %ebx
	mov	$8, %ecx
	HYPERCALL HC_READ
	test	%eax, %eax
	jz	read_done
	mov	%ax, %cx
	mov	$buffer, %si
	call	write
	jmp	read_more
read_done:
	CHECK	0, read_eof
	HYPERCALL HC_GETCHAR		/* after EOF, still EOF */
	CHECK	HC_EOF, getchar_eof
	EXIT	0

/* verdict: ZF set -> "ok LABEL\n", else "FAIL LABEL\n" (LABEL at SI). */
verdict:
	push	%si
	mov	$ok, %si
	je	1f
	mov	$fail, %si
1:	call	puts
	pop	%si
	call	puts
	call	newline
	ret

	.section .rodata
ok:		.asciz	"ok "
fail:		.asciz	"FAIL "
unknown:	.asciz	"unknown hypercall returns HC_ERR_NOSYS"
wide:		.asciz	"16-bit OUT uses all of AX as the number"
last_byte:	.asciz	"write of the last byte of RAM"
straddle:	.asciz	"write across the end of RAM is refused"
wrap:		.asciz	"write with a length wrapping 2^32 is refused"
zero_length:	.asciz	"write of zero bytes"
clock:		.asciz	"clock advances"
read_eof:	.asciz	"read returns 0 at end of input"
getchar_eof:	.asciz	"getchar after end of input returns HC_EOF"

	.data
buffer:	.space	8

	.text
#include "lib.S"
