/*
 * original-exit: ends the way the original Mini-KVM's guests do. It prints
 * with HC_PUTCHAR, one byte in BL at a time, then sets only AL = HC_EXIT and
 * OUTs: BL still holds the last byte printed, a space (32). The original's
 * VMM ignores BL, so the guest exits 0; so must mini-kvm.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$message, %si
next:	lodsb
	test	%al, %al
	jz	done
	mov	%al, %bl
	HYPERCALL HC_PUTCHAR
	jmp	next
done:	mov	$HC_EXIT, %al		/* BL = ' ': not an exit status */
	mov	$HC_PORT, %dx
	out	%al, %dx
	hlt				/* never reached: HC_EXIT does not return */

message:
	.asciz	"2x9=18 "
