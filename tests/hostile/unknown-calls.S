/*
 * unknown-calls: every 16-bit hypercall number from HC_COUNT to 0xFFFF (a
 * word OUT: the number is all of AX), then the dword numbers 0x10000 and
 * 0xFFFFFFFF. Each must return HC_ERR_NOSYS; the first that does not ends
 * the guest with status 1.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$HC_COUNT, %si
1:	mov	%si, %ax
	mov	$HC_PORT, %dx
	out	%ax, %dx
	cmp	$HC_ERR_NOSYS, %eax
	jne	wrong
	inc	%si
	jnz	1b
	mov	$0x10000, %eax
	out	%eax, %dx
	cmp	$HC_ERR_NOSYS, %eax
	jne	wrong
	mov	$0xffffffff, %eax
	out	%eax, %dx
	cmp	$HC_ERR_NOSYS, %eax
	jne	wrong
	EXIT	0
wrong:	EXIT	1
