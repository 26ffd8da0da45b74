/*
 * hello: print "Hello, KVM!" with a single hypercall.
 *
 * Lesson: HC_WRITE takes a guest address (EBX) and a length (ECX) and
 * writes the whole buffer in one VM exit; printing byte by byte with
 * HC_PUTCHAR would cost one exit per byte. Compare with --stats.
 */
#include "real-mode.h"

	.text
	.globl	_start
_start:
	mov	$message, %ebx		/* guest address (CS = DS = 0) */
	mov	$message_end - message, %ecx
	HYPERCALL HC_WRITE		/* EAX = bytes written */
	hlt				/* no irqchip: HLT ends the guest */

	.section .rodata
message:
	.ascii	"Hello, KVM!\n"
message_end:
