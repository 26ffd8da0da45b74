/*
 * matrix: C = A x B for two 3 x 3 matrices of 16-bit numbers.
 *
 *   A = | 1  2  3 |   B = |  9  8  7 |   C = |  30  24  18 |
 *       | 4  5  6 |       |  6  5  4 |       |  84  69  54 |
 *       | 7  8  9 |       |  3  2  1 |       | 138 114  90 |
 *
 * Lesson: real-mode addressing. The matrices are arrays in the guest's
 * memory, reached with base + index registers: C[i][j] = sum over k of
 * A[i][k] * B[k][j], with A[i][k] at A + 2 * (3i + k).
 */
#include "real-mode.h"

#define N 3

	.text
	.globl	_start
_start:
	xor	%si, %si		/* SI = 2 * 3i: byte offset of row i */
row:
	xor	%di, %di		/* DI = 2j: byte offset of column j */
column:
	xor	%bp, %bp		/* BP = the sum */
	xor	%bx, %bx		/* BX = 2 * 3k: byte offset of row k of B */
	mov	%si, %cx		/* CX = offset of A[i][k] */
product:
	push	%bx
	mov	%cx, %bx
	mov	a(%bx), %ax		/* AX = A[i][k] */
	pop	%bx
	mulw	b(%bx, %di)		/* DX:AX = A[i][k] * B[k][j] */
	add	%ax, %bp
	add	$2, %cx
	add	$2 * N, %bx
	cmp	$2 * N * N, %bx
	jb	product
	mov	%bp, %ax
	mov	$4, %cx
	call	print_u16		/* keeps every register */
	add	$2, %di
	cmp	$2 * N, %di
	jb	column
	call	newline
	add	$2 * N, %si
	cmp	$2 * N * N, %si
	jb	row
	EXIT	0

	.section .rodata
a:	.word	1, 2, 3,  4, 5, 6,  7, 8, 9
b:	.word	9, 8, 7,  6, 5, 4,  3, 2, 1

	.text
#include "lib.S"
