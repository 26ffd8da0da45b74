/*
 * port-scan: OUT then IN on every port 0-0xFFFF, at every width (byte,
 * word, dword). The value written is all ones, so port 0x500 sees unknown
 * hypercall numbers (0xFF, 0xFFFF, 0xFFFFFFFF), never HC_EXIT. The UART's
 * data register prints three 0xFF bytes; its LCR gets DLAB set, harmless.
 * Then the guest says it survived.
 */
#include "real-mode.h"

.macro SCAN out_insn, in_insn, value
	xor	%dx, %dx
1:	mov	\value, %eax
	\out_insn
	\in_insn
	inc	%dx
	jnz	1b			/* 0x10000 ports, then DX wraps to 0 */
.endm

	.text
	.globl	_start
_start:
	SCAN	"out %al, %dx", "in %dx, %al", $0xff
	SCAN	"out %ax, %dx", "in %dx, %ax", $0xffff
	SCAN	"out %eax, %dx", "in %dx, %eax", $0xffffffff
	mov	$survived, %ebx
	mov	$survived_end - survived, %ecx
	HYPERCALL HC_WRITE
	EXIT	0
survived:
	.ascii	"\nsurvived the port scan\n"
survived_end:
