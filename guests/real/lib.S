/*
 * Small routines shared by the real-mode guests; each guest includes this
 * file at its end. Every routine preserves the registers it does not return.
 */

/* putc: write the byte in BL (one exit per byte: HC_PUTCHAR). */
putc:
	push	%ax
	push	%dx
	HYPERCALL HC_PUTCHAR
	pop	%dx
	pop	%ax
	ret

/* write: write CX bytes starting at DS:SI in one exit (HC_WRITE). */
write:
	pushal
	movzwl	%si, %ebx		/* EBX = guest address (DS is 0) */
	movzwl	%cx, %ecx		/* ECX = length */
	HYPERCALL HC_WRITE
	popal
	ret

/* puts: write the NUL-terminated string at SI. */
puts:
	push	%cx
	push	%di
	mov	%si, %di
	xor	%cx, %cx
1:	cmpb	$0, (%di)		/* count the bytes up to the NUL */
	je	2f
	inc	%di
	inc	%cx
	jmp	1b
2:	call	write
	pop	%di
	pop	%cx
	ret

/* print_u16: write AX in decimal, right-aligned in at least CX columns. */
print_u16:
	pusha
	mov	$number_end, %di
	mov	$10, %bx
1:	xor	%dx, %dx		/* DX:AX / 10: quotient AX, remainder DX */
	div	%bx
	add	$'0', %dl
	dec	%di
	mov	%dl, (%di)		/* digits are produced right to left */
	test	%ax, %ax
	jnz	1b
2:	mov	$number_end, %dx
	sub	%di, %dx		/* DX = digits so far */
	cmp	%cx, %dx
	jae	3f
	dec	%di
	movb	$' ', (%di)		/* pad on the left */
	jmp	2b
3:	mov	%di, %si
	mov	$number_end, %cx
	sub	%di, %cx
	call	write
	popa
	ret

/* newline: write "\n". */
newline:
	push	%bx
	mov	$'\n', %bl
	call	putc
	pop	%bx
	ret

	.data
number_buf:
	.space	16			/* enough for 65535 padded to 16 columns */
number_end:
	.text
