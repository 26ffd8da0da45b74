/*
 * uart-burst: once a guest has sent UART_BUSY_BYTES (1,024) through the
 * UART, KVM queues its transmit-register writes instead of exiting
 * (coalesced I/O, vmm/devices/coalesced.c). Those writes must reach the UART
 * whole and in order, before anything the guest does after them.
 *  1. 6,000 bytes, 'a' to 'z' over and over, and a newline, with no LSR
 *     poll in between: queueing starts in the middle, and the rest is far
 *     more than the ring holds (about 170), so it fills and the writes that
 *     do not fit exit one by one.
 *  2. With DLAB set, port 0x3F8 is the divisor latch: write 'Z' there
 *     (queued), read it back (an exit): the read must see 'Z'. Print it.
 * Expected output: the 6,000 bytes, "\n", "Z\n".
 */
#include "real-mode.h"

#define COM1     0x3f8
#define UART_LCR (COM1 + 3)
#define LCR_DLAB 0x80
#define LCR_8N1  0x03

	.text
	.globl	_start
_start:
	mov	$COM1, %dx		/* THR */
	mov	$6000, %cx
	mov	$'a', %al
1:	out	%al, %dx
	inc	%al
	cmp	$'z' + 1, %al
	jne	2f
	mov	$'a', %al
2:	loop	1b
	mov	$'\n', %al
	out	%al, %dx

	mov	$UART_LCR, %dx
	mov	$LCR_DLAB, %al
	out	%al, %dx
	mov	$COM1, %dx		/* DLL */
	mov	$'Z', %al
	out	%al, %dx
	in	%dx, %al		/* DLL again: 'Z' if the write came first */
	mov	%al, %bl
	mov	$UART_LCR, %dx
	mov	$LCR_8N1, %al
	out	%al, %dx
	mov	$COM1, %dx		/* THR */
	mov	%bl, %al
	out	%al, %dx
	mov	$'\n', %al
	out	%al, %dx
	hlt
