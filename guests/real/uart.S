/*
 * uart: print through the 16550 serial port at 0x3F8, as a PC would.
 *
 * Lesson: a device, not a hypercall. The guest programs the line (DLAB,
 * divisor, 8N1) and, before each byte, polls the line status register
 * until "transmit holding register empty" is set. mini-kvm's UART is
 * always ready, but a real one is not: polling keeps the code honest.
 */
#include "real-mode.h"

#define COM1        0x3f8
#define UART_THR    (COM1 + 0)	/* transmit holding (DLAB = 0) */
#define UART_DLL    (COM1 + 0)	/* divisor low byte (DLAB = 1) */
#define UART_DLM    (COM1 + 1)	/* divisor high byte (DLAB = 1) */
#define UART_LCR    (COM1 + 3)	/* line control */
#define UART_LSR    (COM1 + 5)	/* line status */
#define LCR_DLAB    0x80
#define LCR_8N1     0x03	/* 8 data bits, no parity, 1 stop bit */
#define LSR_THRE    0x20

	.text
	.globl	_start
_start:
	mov	$UART_LCR, %dx		/* 115200 baud: divisor 1 */
	mov	$LCR_DLAB, %al
	out	%al, %dx
	mov	$UART_DLL, %dx
	mov	$1, %al
	out	%al, %dx
	mov	$UART_DLM, %dx
	xor	%al, %al
	out	%al, %dx
	mov	$UART_LCR, %dx		/* DLAB off, 8N1 */
	mov	$LCR_8N1, %al
	out	%al, %dx

	mov	$message, %si
next:
	lodsb				/* AL = *SI++ */
	test	%al, %al
	jz	done
	mov	%al, %ah
	mov	$UART_LSR, %dx
wait:
	in	%dx, %al
	test	$LSR_THRE, %al
	jz	wait
	mov	$UART_THR, %dx
	mov	%ah, %al
	out	%al, %dx
	jmp	next
done:
	hlt

	.section .rodata
message:
	.asciz	"Hello from the 16550 UART!\n"
