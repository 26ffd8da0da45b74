/*
 * Shared by every real-mode guest: 16-bit code, the hypercall ABI as
 * assembler macros, and the memory layout the VMM gives us.
 *
 * What the VMM promises a flat binary (docs/writing-guests.md):
 *   loaded at guest-physical address 0, entered at CS:IP = 0000:0000,
 *   DS = ES = SS = 0, SP = 0 (the stack grows down from 0xFFFF),
 *   so an address in this file is also the guest-physical address.
 */
#include <mini-kvm/hypercall.h>

	.code16

/* HYPERCALL nr: AL = nr, then OUT to the hypercall port. Uses AL and DX;
 * the arguments are expected in EBX, ECX, EDX's role is the port number. */
.macro HYPERCALL nr
	mov	$\nr, %al
	mov	$HC_PORT, %dx
	out	%al, %dx
.endm

/* EXIT code: end the guest with an exit status (0-255). (A bare
 * HYPERCALL HC_EXIT ends it with status 0, whatever BL holds.) */
.macro EXIT code
	mov	$\code, %bl
	HYPERCALL HC_EXIT_STATUS
.endm
